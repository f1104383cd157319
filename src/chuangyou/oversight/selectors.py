"""Reads of the audit log, limited to the one school the actor may audit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangyou.audit.models import AuditEntry, chain_of
from chuangyou.audit.services import ChainReport, Checkpoint, make_checkpoint, verify_chain
from chuangyou.lib.errors import Invalid
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, can_read_audit, require


@dataclass(frozen=True)
class AuditFilter:
    """What the supervision group narrows the log by. Empty values don't filter."""

    actor_id: int | None = None
    actor: str = ""  # part of the person's name or login, as recorded in the entry
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    text: str = ""  # part of the object's name
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_entries_for(actor: Actor, school: School) -> QuerySet[AuditEntry]:
    """The school's entries, newest first. Entries of other schools are never included."""
    require(can_read_audit(actor, school), _("只有监督小组、学校管理员和教育局管理员可以查看审计日志。"))
    return AuditEntry.objects.filter(school=school).order_by("-seq")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filter_entries(entries: QuerySet[AuditEntry], wanted: AuditFilter) -> QuerySet[AuditEntry]:
    if wanted.date_from and wanted.date_to and wanted.date_to < wanted.date_from:
        raise Invalid(_("结束日期不能早于开始日期。"), {"date_to": [_("结束日期不能早于开始日期。")]})
    if wanted.actor_id is not None:
        entries = entries.filter(actor_id=wanted.actor_id)
    if wanted.actor.strip():
        entries = entries.filter(actor_label__icontains=wanted.actor.strip())
    if wanted.action:
        entries = entries.filter(action=wanted.action)
    if wanted.object_type:
        entries = entries.filter(object_type=wanted.object_type)
    if wanted.object_id.strip():
        entries = entries.filter(object_id=wanted.object_id.strip())
    if wanted.text.strip():
        text = wanted.text.strip()
        entries = entries.filter(Q(object_repr__icontains=text) | Q(object_id=text))
    # Days are the school's local days: "3月1日" means from its midnight to the next.
    if wanted.date_from:
        entries = entries.filter(at__gte=_start_of(wanted.date_from))
    if wanted.date_to:
        entries = entries.filter(at__lt=_start_of(wanted.date_to + dt.timedelta(days=1)))
    return entries


def actions_in(entries: QuerySet[AuditEntry]) -> list[str]:
    """The actions that occur in these entries, for the filter's choices."""
    return list(entries.order_by("action").values_list("action", flat=True).distinct())


def object_types_in(entries: QuerySet[AuditEntry]) -> list[str]:
    return list(entries.order_by("object_type").values_list("object_type", flat=True).distinct())


def chain_report_for(actor: Actor, school: School, checkpoint: Checkpoint | None = None) -> ChainReport:
    """Check this school's chain (against a checkpoint, if given), for someone who may audit it."""
    require(can_read_audit(actor, school), _("只有监督小组、学校管理员和教育局管理员可以校验审计日志。"))
    return verify_chain(school=school, checkpoint=checkpoint)


def checkpoint_for(actor: Actor, school: School) -> Checkpoint:
    """The school's chain tip as of now, signed: the supervision group keeps it outside the system."""
    require(can_read_audit(actor, school), _("只有监督小组、学校管理员和教育局管理员可以下载检查点。"))
    return make_checkpoint(chain=chain_of(school.pk), school_code=school.code)
