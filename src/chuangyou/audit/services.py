"""Recording and checking the audit chain. Every service that writes calls `record` in its transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangyou.audit.models import BUREAU_CHAIN, GENESIS_HASH, AuditEntry, AuditHead, chain_of


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
    leaves no entry behind. Each chain's head row is locked until commit, so a chain never forks;
    heads are locked in chain order, so two writers touching the same two schools can't deadlock."""
    pending = list(changes)
    if not pending:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the writing service's transaction")
    by_chain: dict[int, list[Change]] = defaultdict(list)
    for change in pending:
        by_chain[chain_of(change.school_id)].append(change)
    now = timezone.now()
    actor_id = actor.user.pk if actor.user is not None else None
    written: dict[int, AuditEntry] = {}
    for chain in sorted(by_chain):
        head, _created = AuditHead.objects.select_for_update().get_or_create(chain=chain)
        prev_hash, seq = head.last_hash, head.last_seq
        entries = []
        for change in by_chain[chain]:
            seq += 1
            entry = AuditEntry(
                chain=chain,
                seq=seq,
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
                prev_hash=prev_hash,
            )
            entry.entry_hash = entry.compute_hash()
            prev_hash = entry.entry_hash
            entries.append(entry)
            written[id(change)] = entry
        AuditEntry.objects.bulk_create(entries, batch_size=2000)
        head.last_seq, head.last_hash = seq, prev_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return [written[id(change)] for change in pending]


@dataclass
class ChainReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    # Each chain's last hash, by chain label: what a supervisor notes down to detect a rewritten tail.
    tips: dict[str, str] = field(default_factory=dict)

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


def verify_chain(*, school: Row | None = None) -> ChainReport:
    """Recompute every hash in order, chain by chain (one school's, or all). Reports each break: an
    edited entry, a missing one, or a cut tail."""
    report = ChainReport()
    if school is not None:
        chains = [chain_of(school.pk)]
    else:
        chains = sorted(
            set(AuditEntry.objects.values_list("chain", flat=True).distinct())
            | set(AuditHead.objects.values_list("chain", flat=True))
        )
    for chain in chains:
        _verify_one(chain, report, prefix=len(chains) > 1)
    return report


def _verify_one(chain: int, report: ChainReport, *, prefix: bool) -> None:
    label = chain_label(chain)
    problems: list[str] = []
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    for entry in AuditEntry.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=2000):
        if entry.seq == expected_seq + 1:
            problems.append(_("第 %(seq)d 条记录缺失（被删除）。") % {"seq": expected_seq})
        elif entry.seq != expected_seq:
            problems.append(
                _("第 %(first)d 条至第 %(last)d 条记录缺失（被删除）。")
                % {"first": expected_seq, "last": entry.seq - 1}
            )
        if entry.prev_hash != expected_prev:
            problems.append(_("第 %(seq)d 条记录与上一条记录的链接不符。") % {"seq": entry.seq})
        if entry.compute_hash() != entry.entry_hash:
            problems.append(_("第 %(seq)d 条记录的内容与其哈希不符（被修改）。") % {"seq": entry.seq})
        expected_prev, expected_seq = entry.entry_hash, entry.seq + 1
        checked += 1
    head = AuditHead.objects.filter(chain=chain).first()
    last_seq = expected_seq - 1
    if head is None and checked:
        problems.append(_("链头记录缺失（被删除）。"))
    elif head is not None and head.last_seq != last_seq:
        problems.append(
            _("链头记录为第 %(head)d 条，但日志只到第 %(last)d 条（末尾记录被删除）。")
            % {"head": head.last_seq, "last": last_seq}
        )
    elif head is not None and head.last_hash != expected_prev:
        problems.append(_("链头哈希与第 %(last)d 条记录不符（末尾记录被修改）。") % {"last": last_seq})
    report.checked += checked
    report.problems.extend(f"{label}：{p}" if prefix else p for p in problems)
    report.tips[label] = expected_prev
