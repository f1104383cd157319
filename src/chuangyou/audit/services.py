"""Recording, sealing and checking the audit log. Every service that writes calls `record` in its
transaction; the entries are sealed into keyed blocks right after it commits (see models.py)."""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.db import connection as db_connection
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangyou.audit.models import BUREAU_CHAIN, GENESIS_HASH, AuditBlock, AuditEntry, AuditHead, chain_of

log = logging.getLogger(__name__)


# The log sits below org and accounts (every service writes it, theirs too), so it names what it needs
# of them as protocols: org.rules.Actor is an Actor, a School or a User is a Row.
class Row(Protocol):
    @property
    def pk(self) -> Any: ...


class Actor(Protocol):
    @property
    def user(self) -> Row | None: ...

    @property
    def label(self) -> str: ...


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time | Decimal):
        return str(value)
    if isinstance(value, FieldFile):  # the stored name; .url would raise on an empty field
        return value.name or None
    raise TypeError(f"cannot record {type(value).__name__} in the audit log")


def normalize(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """Turn a snapshot into plain JSON values, so the hash is the same after a database round trip."""
    if data is None:
        return None
    return json.loads(json.dumps(data, default=_jsonable, ensure_ascii=False))


def snapshot(instance: models.Model, fields: Sequence[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a row, foreign keys as ids, ready for `before` or `after`."""
    values: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in {"id", "password"}:
            continue
        values[f.attname] = getattr(instance, f.attname)
    return normalize(values) or {}


@dataclass(frozen=True)
class Change:
    """One entry to append. `school_id` is the school whose supervision group may read it."""

    action: str
    object_type: str
    object_id: str
    object_repr: str
    school_id: int | None
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def change_for(
    action: str,
    obj: models.Model,
    *,
    school_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> Change:
    return Change(
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        school_id=school_id,
        before=normalize(before),
        after=normalize(after),
    )


def record(actor: Actor, change: Change) -> AuditEntry:
    return record_many(actor, [change])[0]


def record_many(actor: Actor, changes: Iterable[Change]) -> list[AuditEntry]:
    """Append entries in order. Must run inside the caller's transaction, so a rolled-back write
    leaves no entry behind. Appending takes no lock: the entries are sealed after the commit."""
    pending = list(changes)
    if not pending:
        return []
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the writing service's transaction")
    now = timezone.now()
    actor_id = actor.user.pk if actor.user is not None else None
    entries = [
        AuditEntry(
            chain=chain_of(change.school_id),
            at=now,
            school_id=change.school_id,
            actor_id=actor_id,
            actor_label=actor.label[:120],
            action=change.action,
            object_type=change.object_type,
            object_id=change.object_id,
            object_repr=change.object_repr,
            before=change.before,
            after=change.after,
        )
        for change in pending
    ]
    # The sealer hashes them: the hash covers the entry's number, which the database assigns here.
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    _seal_after_commit(connection, {entry.chain for entry in entries})
    return entries


class _Sealer:
    """The on-commit callback that seals the chains a transaction wrote to (one per transaction)."""

    def __init__(self) -> None:
        self.chains: set[int] = set()

    def __call__(self) -> None:
        for chain in sorted(self.chains):
            _pace.seal_soon(chain)


class _Pace:
    """Seals each chain from a timer, once per AUDIT_SEAL_INTERVAL, so a burst of writers is sealed in a
    block or two and no writer pays for a seal (the seal is most of an audited write's cost). A commit
    starts the chain's timer unless one is already waiting; the timer takes itself off the list before
    it seals, so an entry committed meanwhile starts the next one. Every entry is thus sealed within about
    one interval, whether or not anyone writes again. An interval of 0 (the tests' setting) seals in the
    committing writer, at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._timers: dict[int, threading.Timer] = {}

    def seal_soon(self, chain: int) -> None:
        interval = float(settings.AUDIT_SEAL_INTERVAL)
        if interval <= 0:
            seal_pending(chain=chain)
            return
        with self._lock:
            if chain in self._timers:
                return
            timer = threading.Timer(interval, self._on_timer, args=(chain,))
            timer.daemon = True
            self._timers[chain] = timer
            timer.start()

    def flush(self) -> None:
        """Seal now what the waiting timers would have: at exit, a daemon timer would die unsealed (a
        management command ends right after its last write)."""
        with self._lock:
            waiting = list(self._timers.items())
            self._timers.clear()
        for chain, timer in waiting:
            timer.cancel()
            try:
                seal_pending(chain=chain)
            except Exception:
                log.exception("sealing audit chain %s at exit failed; seal-audit will", chain)

    def _on_timer(self, chain: int) -> None:
        with self._lock:
            self._timers.pop(chain, None)
        try:
            seal_pending(chain=chain)
        except Exception:
            log.exception(
                "sealing audit chain %s on the timer failed; the next write or seal-audit retries", chain
            )
        finally:
            db_connection.close()  # the timer's own thread and connection end here


_pace = _Pace()


def seal_waiting() -> None:
    """Seal now what waits for this process's sealing timers: at exit (a command ends right after its
    last write), and before a throw-away database is dropped (the benchmarks)."""
    _pace.flush()


atexit.register(seal_waiting)


def _seal_after_commit(connection: Any, chains: set[int]) -> None:
    # Several entries written at one savepoint level share one sealer; a sealer of another level could be
    # dropped with its savepoint, so it isn't reused.
    sids = set(connection.savepoint_ids)
    for callback_sids, func, _robust in reversed(connection.run_on_commit):
        if isinstance(func, _Sealer) and callback_sids == sids:
            func.chains |= chains
            return
    sealer = _Sealer()
    sealer.chains |= chains
    transaction.on_commit(sealer, robust=True)


# Sealing ------------------------------------------------------------------------------------------------

# A block holds at most this many entries; a backlog (after a restore, or the first seal after the
# upgrade) is sealed as several blocks.
BLOCK_SIZE = 5000


def _key(purpose: str) -> bytes:
    """A key for one purpose, derived from the secret outside the database, read at call time."""
    secret = settings.AUDIT_SEAL_KEY or settings.SECRET_KEY
    return hmac.new(secret.encode(), f"chuangyou.audit.{purpose}".encode(), hashlib.sha256).digest()


def block_mac(block: AuditBlock) -> str:
    return hmac.new(_key("block"), block.canonical_payload().encode(), hashlib.sha256).hexdigest()


def merkle_root(leaves: Sequence[str]) -> str:
    """RFC 6962's Merkle tree hash over hex leaf hashes (inner nodes prefixed 0x01)."""
    if not leaves:
        return hashlib.sha256(b"").hexdigest()
    return _mth([bytes.fromhex(leaf) for leaf in leaves]).hex()


def _mth(nodes: list[bytes]) -> bytes:
    if len(nodes) == 1:
        return nodes[0]
    split = 1 << ((len(nodes) - 1).bit_length() - 1)  # the largest power of two below len(nodes)
    return hashlib.sha256(b"\x01" + _mth(nodes[:split]) + _mth(nodes[split:])).digest()


def seal_pending(*, chain: int, max_blocks: int = 20) -> int:
    """Seal the chain's committed, unsealed entries into blocks; returns how many were sealed.

    Called after audited writes commit (paced by _Pace), by the task worker and by `chuangyou seal-audit`.
    The head is try-locked: if another process is sealing this chain, return at once, as it seals ours
    too (it looks again after each block, and our entry committed before we found its lock taken)."""
    sealed = 0
    for _round in range(max_blocks):
        # A plain look first (the partial index audit_unsealed answers it): under concurrent writers
        # another sealer has usually taken our entry already, and then no transaction or lock is needed.
        if not _entries().filter(chain=chain, block=None).exists():
            break
        count = _seal_one_block(chain)
        if not count:
            break
        sealed += count
    return sealed


def _entries() -> models.QuerySet[AuditEntry]:
    """Entries through a plain queryset: the sealer sets `entry_hash` and `block`, nothing else."""
    return models.QuerySet(AuditEntry)


def _lock_head(chain: int) -> AuditHead | None:
    head = AuditHead.objects.select_for_update(skip_locked=True).filter(chain=chain).first()
    if head is None and not AuditHead.objects.filter(chain=chain).exists():
        AuditHead.objects.get_or_create(chain=chain)
        head = AuditHead.objects.select_for_update(skip_locked=True).filter(chain=chain).first()
    return head


def _seal_one_block(chain: int) -> int:
    with transaction.atomic():
        head = _lock_head(chain)
        if head is None:
            return 0  # someone else is sealing this chain
        unsealed = _entries().filter(chain=chain, block=None).order_by("seq")
        entries = list(unsealed[:BLOCK_SIZE])
        if not entries:
            return 0
        for entry in entries:
            entry.entry_hash = entry.compute_hash()
        block = AuditBlock(
            chain=chain,
            number=head.blocks + 1,
            sealed_at=timezone.now(),
            first_seq=entries[0].seq,
            last_seq=entries[-1].seq,
            seqs=[entry.seq for entry in entries],
            root=merkle_root([entry.entry_hash for entry in entries]),
            prev_hash=head.last_hash,
        )
        block.block_hash = block_mac(block)
        block.save()
        # One statement run for every entry (psycopg pipelines it; SQLite runs it in process). Django's
        # bulk_update writes a CASE over every id for every row, which cost most of a seal.
        with db_connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE audit_auditentry SET entry_hash = %s, block_id = %s WHERE seq = %s",
                [(entry.entry_hash, block.pk, entry.seq) for entry in entries],
            )
        head.blocks, head.last_hash = block.number, block.block_hash
        head.save(update_fields=["blocks", "last_hash"])
        return len(entries)


def seal_all() -> int:
    """Seal every chain's backlog, whatever its size (the command and the task worker)."""
    chains = _entries().filter(block=None).values_list("chain", flat=True).distinct()
    total = 0
    for chain in sorted(set(chains)):
        while count := seal_pending(chain=chain):
            total += count
    return total


# Checkpoints --------------------------------------------------------------------------------------------

CHECKPOINT_FORMAT = "chuangyou-audit-checkpoint/1"


@dataclass(frozen=True)
class ChainTip:
    chain: int
    label: str
    blocks: int
    tip: str
    last_seq: int


@dataclass(frozen=True)
class Checkpoint:
    """A chain's tip as the supervision group downloaded it, signed with a key outside the database."""

    issued_at: str
    school: str | None
    chains: tuple[ChainTip, ...]
    unsealed: int

    def body(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "issued_at": self.issued_at,
            "school": self.school,
            "chains": [asdict(tip) for tip in self.chains],
            "unsealed": self.unsealed,
        }

    def signature(self) -> str:
        text = json.dumps(self.body(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hmac.new(_key("checkpoint"), text.encode(), hashlib.sha256).hexdigest()

    def to_json(self) -> str:
        return json.dumps({**self.body(), "signature": self.signature()}, ensure_ascii=False, indent=2)


class CheckpointError(ValueError):
    pass


def make_checkpoint(*, chain: int, school_code: str | None) -> Checkpoint:
    """The chain's sealed tip as of now (seal first to include the latest entries), signed."""
    head = AuditHead.objects.filter(chain=chain).first()
    last = AuditBlock.objects.filter(chain=chain).order_by("-number").first()
    tip = ChainTip(
        chain=chain,
        label=chain_label(chain),
        blocks=head.blocks if head else 0,
        tip=head.last_hash if head else GENESIS_HASH,
        last_seq=last.last_seq if last else 0,
    )
    unsealed = AuditEntry.objects.filter(chain=chain, block=None).count()
    issued = timezone.now().isoformat(timespec="seconds")
    return Checkpoint(issued_at=issued, school=school_code, chains=(tip,), unsealed=unsealed)


def read_checkpoint(text: str) -> Checkpoint:
    """Parse a downloaded checkpoint and check its signature; CheckpointError says what is wrong."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != CHECKPOINT_FORMAT:
            raise CheckpointError(_("这不是创优的审计检查点文件。"))
        checkpoint = Checkpoint(
            issued_at=str(data["issued_at"]),
            school=data["school"],
            chains=tuple(
                ChainTip(
                    chain=int(c["chain"]),
                    label=str(c["label"]),
                    blocks=int(c["blocks"]),
                    tip=str(c["tip"]),
                    last_seq=int(c["last_seq"]),
                )
                for c in data["chains"]
            ),
            unsealed=int(data["unsealed"]),
        )
        signature = str(data["signature"])
    except CheckpointError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CheckpointError(_("检查点文件格式不对，无法读取。")) from exc
    if not hmac.compare_digest(signature, checkpoint.signature()):
        raise CheckpointError(_("检查点的签名不符：文件被改动过，或不是本系统签发的。"))
    return checkpoint


# Verification -------------------------------------------------------------------------------------------


@dataclass
class ChainReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    # Each chain's last block hash, by chain label: what a checkpoint holds.
    tips: dict[str, str] = field(default_factory=dict)
    blocks: int = 0
    unsealed: int = 0  # entries not sealed yet: reported, not a problem (they are seconds old)
    against_checkpoint: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def tip_hash(self) -> str:
        """The tip of the only chain checked, or of all chains combined."""
        if len(self.tips) == 1:
            return next(iter(self.tips.values()))
        joined = "".join(f"{label}:{tip};" for label, tip in sorted(self.tips.items()))
        return hashlib.sha256(joined.encode()).hexdigest()


def chain_label(chain: int) -> str:
    if chain == BUREAU_CHAIN:
        return _("教育局及平台")
    school = AuditEntry.objects.filter(school_id=chain).values_list("school__name", flat=True).first()
    return school or _("学校 %(id)d") % {"id": chain}


def verify_chain(*, school: Row | None = None, checkpoint: Checkpoint | None = None) -> ChainReport:
    """Check every block of one school's chain (or of all chains): its link, its keyed seal, and each
    entry against its hash and the block's Merkle root. Against a checkpoint, also that the block it
    names is still there, unchanged (a cut tail, a deleted or rebuilt chain)."""
    report = ChainReport(against_checkpoint=checkpoint is not None)
    expected = {tip.chain: tip for tip in checkpoint.chains} if checkpoint else {}
    if school is not None:
        chains = [chain_of(school.pk)]
        if checkpoint is not None and set(expected) != set(chains):
            report.problems.append(_("检查点属于另一条链，不能用来核对本校的日志。"))
    else:
        chains = sorted(
            set(AuditEntry.objects.values_list("chain", flat=True).distinct())
            | set(AuditHead.objects.values_list("chain", flat=True))
            | set(expected)
        )
    for chain in chains:
        _verify_one(chain, report, prefix=len(chains) > 1, expected=expected.get(chain))
    return report


def _verify_one(chain: int, report: ChainReport, *, prefix: bool, expected: ChainTip | None) -> None:
    label = expected.label if expected else chain_label(chain)
    problems: list[str] = []
    expected_prev, number, checked = GENESIS_HASH, 0, 0
    hashes: dict[int, str] = {}
    for block in AuditBlock.objects.filter(chain=chain).order_by("number").iterator(chunk_size=50):
        number += 1
        if block.number != number:
            problems.append(
                _("第 %(first)d 至第 %(last)d 个封存块缺失（被删除）。")
                % {"first": number, "last": block.number - 1}
            )
            number = block.number
        if block.prev_hash != expected_prev:
            problems.append(_("第 %(n)d 个封存块与上一块的链接不符。") % {"n": block.number})
        if not hmac.compare_digest(block_mac(block), block.block_hash):
            problems.append(_("第 %(n)d 个封存块的封签不符（块被改写或重算）。") % {"n": block.number})
        checked += _verify_entries(chain, block, problems)
        expected_prev = block.block_hash
        hashes[block.number] = block.block_hash
    head = AuditHead.objects.filter(chain=chain).first()
    if head is None and number:
        problems.append(_("链头记录缺失（被删除）。"))
    elif head is not None and (head.blocks != number or head.last_hash != expected_prev):
        problems.append(
            _("链头记录为第 %(head)d 块，但日志只到第 %(last)d 块（末尾被删除或改写）。")
            % {"head": head.blocks, "last": number}
        )
    if expected is not None and expected.blocks:
        if expected.blocks not in hashes:
            problems.append(
                _("检查点记录本链已封存 %(cp)d 块，数据库里只有 %(n)d 块（末尾被截断，或整条链被删除）。")
                % {"cp": expected.blocks, "n": number}
            )
        elif not hmac.compare_digest(hashes[expected.blocks], expected.tip):
            problems.append(_("第 %(n)d 个封存块与检查点记录的不符（历史被改写）。") % {"n": expected.blocks})
    report.checked += checked
    report.blocks += number
    report.unsealed += AuditEntry.objects.filter(chain=chain, block=None).count()
    report.problems.extend(f"{label}：{p}" if prefix else p for p in problems)
    report.tips[label] = expected_prev


def _verify_entries(chain: int, block: AuditBlock, problems: list[str]) -> int:
    """Check one block's entries against their hashes and its root; returns how many were found."""
    rows = AuditEntry.objects.filter(chain=chain, seq__gte=block.first_seq, seq__lte=block.last_seq)
    found = {entry.seq: entry for entry in rows.order_by("seq")}
    listed = [int(seq) for seq in block.seqs]
    listed_set = set(listed)
    before = len(problems)
    missing = [seq for seq in listed if seq not in found]
    if missing:
        numbers = "、".join(str(seq) for seq in missing[:10]) + ("……" if len(missing) > 10 else "")
        problems.append(_("第 %(seqs)s 条记录缺失（被删除）。") % {"seqs": numbers})
    leaves: list[str] = []
    for seq in listed:
        entry = found.get(seq)
        if entry is None:
            continue
        leaf = entry.compute_hash()
        if leaf != entry.entry_hash or entry.block_id != block.pk:
            problems.append(_("第 %(seq)d 条记录的内容与其哈希不符（被修改）。") % {"seq": seq})
        leaves.append(leaf)
    for seq, entry in found.items():
        if entry.block_id == block.pk and seq not in listed_set:
            problems.append(_("第 %(seq)d 条记录不在它所属的封存块里（被插入）。") % {"seq": seq})
    if len(problems) == before and merkle_root(leaves) != block.root:
        problems.append(_("第 %(n)d 个封存块的记录与其默克尔根不符。") % {"n": block.number})
    return len(leaves)
