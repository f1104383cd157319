"""Quotas (名额) and gates at each level: advancing locks the award type's row first, so two deciders at once
can't both take the last place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext

from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.nominations import gates
from chuangyou.nominations.models import (
    LEVEL_ORDER,
    AwardType,
    Level,
    Nomination,
    NominationStatus,
    NomineeKind,
    QuotaUnit,
)
from chuangyou.nominations.services.shared import LIVE
from chuangyou.org.models import Staff, Student

# --- quotas ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaCheck:
    unit_label: str
    quota: int
    cap: int  # how many may be at this level or above: the quota, or quota × ratio below the award's level
    used: int


def _unit_filter(award: AwardType, n: Nomination) -> tuple[Q, Q, str]:
    """(nominations in the same quota unit, people counted for a share, the unit's name)."""
    student = n.student
    if award.quota_unit == QuotaUnit.CLASS and student is not None:
        cls = student.school_class
        return Q(student__school_class_id=cls.pk), Q(school_class_id=cls.pk), str(cls)
    if award.quota_unit in (QuotaUnit.CLASS, QuotaUnit.GRADE) and student is not None:
        grade = student.school_class.grade
        return Q(student__school_class__grade_id=grade.pk), Q(school_class__grade_id=grade.pk), grade.name
    return Q(school_id=n.school_id), Q(school_id=n.school_id), n.school.name


def _bureau_quota_check(award: AwardType, n: Nomination, *, level: str, selecting: bool) -> QuotaCheck:
    """Places across the bureau: the bureau selects at most `quota_value` among all its schools' nominees
    of the year; each school sends up at most `school_send_quota` (its own quota for this award), and
    below the bureau level holds at most that × the shortlist ratio."""
    if selecting:
        quota = int(award.quota_value)
        used = (
            Nomination.objects.filter(
                award_type=award,
                campaign__year=n.campaign.year,
                school__bureau_id=award.bureau_id or 0,
                status=NominationStatus.SELECTED,
            )
            .exclude(pk=n.pk)
            .count()
        )
        return QuotaCheck(gettext("全局"), quota, quota, used)
    send = award.school_send_quota or 0
    levels = LEVEL_ORDER[LEVEL_ORDER.index(Level(level)) :]
    used = (
        Nomination.objects.filter(
            award_type=award, campaign_id=n.campaign_id, status__in=LIVE, level__in=levels
        )
        .exclude(pk=n.pk)
        .count()
    )
    cap = send if level == Level.BUREAU else award.shortlist_for(send)
    return QuotaCheck(n.school.name, send, cap, used)


def quota_check(award: AwardType, n: Nomination, *, level: str, selecting: bool) -> QuotaCheck:
    if award.quota_unit == QuotaUnit.BUREAU:
        return _bureau_quota_check(award, n, level=level, selecting=selecting)
    in_unit, people, label = _unit_filter(award, n)
    if award.for_kind == NomineeKind.STUDENT:
        base = Student.objects.filter(people).count()
    elif award.for_kind in (NomineeKind.TEACHER, NomineeKind.PARTY_MEMBER):
        base = Staff.objects.filter(school_id=n.school_id).count()
    else:
        base = 1
    quota = award.quota_for(base)
    siblings = Nomination.objects.filter(in_unit, award_type=award, campaign_id=n.campaign_id).exclude(
        pk=n.pk
    )
    if selecting:
        used = siblings.filter(status=NominationStatus.SELECTED).count()
        return QuotaCheck(label, quota, quota, used)
    levels = LEVEL_ORDER[LEVEL_ORDER.index(Level(level)) :]
    used = siblings.filter(status__in=LIVE, level__in=levels).count()
    return QuotaCheck(label, quota, award.shortlist_for(quota), used)


def require_quota(award: AwardType, n: Nomination, *, level: str, selecting: bool = False) -> None:
    q = quota_check(award, n, level=level, selecting=selecting)
    if q.used >= q.cap:
        what = (
            gettext("入选名额")
            if selecting
            else gettext("%(level)s级推荐名额（名额 %(quota)s 名，差额比例 1:%(ratio)s）")
            % {
                "level": Level(level).label,
                "quota": q.quota,
                "ratio": award.shortlist_ratio,
            }
        )
        raise Conflict(
            gettext("「%(award_name)s」在%(unit)s的%(what)s已满：最多 %(cap)s 名，已有 %(used)s 名。")
            % {
                "award_name": award.name,
                "unit": q.unit_label,
                "what": what,
                "cap": q.cap,
                "used": q.used,
            }
        )


def require_gates(award: AwardType, n: Nomination) -> None:
    results = gates.evaluate(award, gates.Nominee(n.kind, n.student_id, n.staff_id), n.campaign.year)
    failed = gates.failures(results)
    if failed:
        raise Invalid(failed)
