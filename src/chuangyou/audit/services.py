"""Recording and checking the audit chain. Every service that writes calls `record` in its transaction."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangyou.audit.models import GENESIS_HASH, AuditEntry, AuditHead
from chuangyou.org.rules import Actor


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
    leaves no entry behind, and the head lock serializes appenders so the chain never forks."""
    pending = list(changes)
    if not pending:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the writing service's transaction")
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    now = timezone.now()
    actor_id = actor.user.pk if actor.user is not None else None
    entries = []
    prev_hash, seq = head.last_hash, head.last_seq
    for change in pending:
        seq += 1
        entry = AuditEntry(
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
    AuditEntry.objects.bulk_create(entries, batch_size=2000)
    head.last_seq, head.last_hash = seq, prev_hash
    head.save(update_fields=["last_seq", "last_hash"])
    return entries


@dataclass
class ChainReport:
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    tip_hash: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain() -> ChainReport:
    """Recompute every hash in order. Reports each break: an edited entry, a missing one, or a cut tail."""
    report = ChainReport()
    expected_prev, expected_seq = GENESIS_HASH, 1
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq == expected_seq + 1:
            report.problems.append(_("第 %(seq)d 条记录缺失（被删除）。") % {"seq": expected_seq})
        elif entry.seq != expected_seq:
            report.problems.append(
                _("第 %(first)d 条至第 %(last)d 条记录缺失（被删除）。")
                % {"first": expected_seq, "last": entry.seq - 1}
            )
        if entry.prev_hash != expected_prev:
            report.problems.append(_("第 %(seq)d 条记录与上一条记录的链接不符。") % {"seq": entry.seq})
        if entry.compute_hash() != entry.entry_hash:
            report.problems.append(_("第 %(seq)d 条记录的内容与其哈希不符（被修改）。") % {"seq": entry.seq})
        expected_prev, expected_seq = entry.entry_hash, entry.seq + 1
        report.checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is None and report.checked:
        report.problems.append(_("链头记录缺失（被删除）。"))
    elif head is not None and head.last_seq != last_seq:
        report.problems.append(
            _("链头记录为第 %(head)d 条，但日志只到第 %(last)d 条（末尾记录被删除）。")
            % {"head": head.last_seq, "last": last_seq}
        )
    elif head is not None and head.last_hash != expected_prev:
        report.problems.append(_("链头哈希与第 %(last)d 条记录不符（末尾记录被修改）。") % {"last": last_seq})
    report.tip_hash = expected_prev
    return report
