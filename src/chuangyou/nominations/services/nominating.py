"""Nominations (推荐), level by level: nominate, edit the 事迹材料, advance, select, decline, score.

While a nominee's notice runs, nothing about them changes (the freeze).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.campaigns.models import Campaign
from chuangyou.lib.errors import Conflict, Invalid, NotFound
from chuangyou.nominations.models import (
    LEVEL_ORDER,
    AwardType,
    Decision,
    Level,
    Nomination,
    NominationStatus,
    NomineeKind,
    next_level,
)
from chuangyou.nominations.proposals import proposals
from chuangyou.nominations.rules import (
    can_decide_at,
    can_nominate,
)
from chuangyou.nominations.services.quotas import require_gates, require_quota
from chuangyou.nominations.services.shared import decide, lock_award, system_user
from chuangyou.org.models import School, SchoolClass, Staff, Student
from chuangyou.org.rules import Actor, require

DECIDE_MESSAGE = gettext_lazy("您不是这一层级的推荐人，不能对这条推荐作出决定。")

STORY_MAX = 3000  # about 1,500 字 is asked for; twice that is the hard limit

# --- nominations -------------------------------------------------------------------------------------


def _frozen_message(n: Nomination, today: dt.date) -> str | None:
    notice = n.notice
    if notice is None:
        return None
    if notice.starts_on <= today <= notice.ends_on:
        return gettext("「%(nominee)s」正在公示（至 %(ends_on)s），公示期间不能修改其推荐、材料或决定。") % {
            "nominee": n.nominee_name,
            "ends_on": format(notice.ends_on, "%Y-%m-%d"),
        }
    return gettext("「%(nominee)s」已进入公示，推荐材料和决定不能再修改。") % {"nominee": n.nominee_name}


def require_not_frozen(n: Nomination, today: dt.date | None = None) -> None:
    message = _frozen_message(n, today or timezone.localdate())
    if message:
        raise Conflict(message)


def _clean_story(story: str) -> str:
    story = story.strip()
    if not story:
        raise Invalid(gettext("请填写事迹材料。"), {"story": [gettext("必填。")]})
    if len(story) > STORY_MAX:
        raise Invalid(
            gettext("事迹材料不能超过 %(max_chars)s 字（建议 1500 字左右）。") % {"max_chars": STORY_MAX},
            {"story": [gettext("太长。")]},
        )
    return story


def _nominee(
    award: AwardType,
    school: School,
    student: Student | None,
    staff: Staff | None,
    school_class: SchoolClass | None,
) -> tuple[str, str, str, int | None, int | None, int]:
    """Who is nominated: (kind, name, unit, their class, their branch, their school). Exactly one."""
    if sum(x is not None for x in (student, staff, school_class)) != 1:
        raise Invalid(
            gettext("请在学生、教职工、班级中选择一个被推荐对象。"),
            {"nominee": [gettext("必须且只能选一个。")]},
        )
    if student is not None:
        kind, name, unit = NomineeKind.STUDENT, student.name, str(student.school_class)
        class_id, branch_id, owner = student.school_class_id, None, student.school_id
    elif staff is not None:
        kind = NomineeKind.PARTY_MEMBER if award.for_kind == NomineeKind.PARTY_MEMBER else NomineeKind.TEACHER
        name, unit, class_id, branch_id, owner = (
            staff.name,
            staff.subject or school.name,
            None,
            staff.party_branch_id,
            staff.school_id,
        )
    else:
        assert school_class is not None
        kind, name, unit = NomineeKind.CLASS, str(school_class), school.name
        class_id, branch_id, owner = school_class.pk, None, school_class.school_id
    return kind, name, unit, class_id, branch_id, owner


@transaction.atomic
def nominate(
    *,
    actor: Actor,
    award: AwardType,
    campaign: Campaign,
    student: Student | None = None,
    staff: Staff | None = None,
    school_class: SchoolClass | None = None,
    story: str,
    evidence: list[dict[str, str]] | None = None,
    reason: str = "",
) -> Nomination:
    school = campaign.school
    kind, name, unit, class_id, branch_id, owner = _nominee(award, school, student, staff, school_class)
    require(owner == school.pk, gettext("被推荐人不是本校的。"))
    require(
        can_nominate(actor, school, kind=kind, class_id=class_id, branch_id=branch_id),
        gettext("您不能推荐这名对象。"),
    )
    award = lock_award(award)
    if (
        not award.is_active
        or (award.school_id is not None and award.school_id != school.pk)
        or (award.bureau_id is not None and award.bureau_id != school.bureau_id)
    ):
        raise NotFound(gettext("没有这个奖项。"))
    if award.for_kind != kind and not (
        award.for_kind == NomineeKind.TEACHER and kind == NomineeKind.PARTY_MEMBER
    ):
        raise Invalid(
            gettext("「%(award_name)s」表彰的是%(for_kind)s，不能推荐%(kind)s。")
            % {
                "award_name": award.name,
                "for_kind": award.get_for_kind_display(),
                "kind": NomineeKind(kind).label,
            }
        )
    duplicate = Nomination.objects.filter(award_type=award, campaign=campaign)
    if (student and duplicate.filter(student=student).exists()) or (
        staff and duplicate.filter(staff=staff).exists()
    ):
        raise Conflict(
            gettext("「%(name)s」已被推荐为「%(award_name)s」。") % {"name": name, "award_name": award.name}
        )
    n = Nomination(
        school=school,
        award_type=award,
        campaign=campaign,
        kind=kind,
        student=student,
        staff=staff,
        school_class=school_class,
        nominee_name=name,
        unit=unit,
        story=_clean_story(story),
        evidence=evidence or [],
        level=_start_level(award, kind),
        nominated_by=actor.user if actor.user is not None else system_user(),
    )
    require_gates(award, n)
    require_quota(award, n, level=n.level)
    n.save()
    decide(actor, n, Decision.Outcome.NOMINATED, reason or "推荐")
    record(actor, change_for("nomination.create", n, school_id=school.pk, after=snapshot(n)))
    return n


def _start_level(award: AwardType, kind: str) -> str:
    """The nominator's choice is the first level's decision: a class's nominee goes to the grade, an
    office's or a branch's to the school, never above the award's own level."""
    first = (
        Level.GRADE if kind in (NomineeKind.STUDENT, NomineeKind.CLASS, NomineeKind.TEAM) else Level.SCHOOL
    )
    return min(first, Level(award.level), key=LEVEL_ORDER.index)


@transaction.atomic
def edit_nomination(
    *, actor: Actor, nomination: Nomination, story: str, evidence: list[dict[str, str]] | None = None
) -> Nomination:
    n = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("notice", "student", "school")
        .get(pk=nomination.pk)
    )
    require(can_decide_at(actor, n), DECIDE_MESSAGE)
    require_not_frozen(n)
    before = snapshot(n, ["story", "evidence"])
    n.story = _clean_story(story)
    if evidence is not None:
        n.evidence = evidence
    n.save(update_fields=["story", "evidence"])
    decide(actor, n, Decision.Outcome.EDITED, "修改事迹材料")
    record(
        actor,
        change_for(
            "nomination.edit",
            n,
            school_id=n.school_id,
            before=before,
            after=snapshot(n, ["story", "evidence"]),
        ),
    )
    return n


def _locked(nomination: Nomination) -> tuple[AwardType, Nomination]:
    award = lock_award(nomination.award_type)
    n = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("notice", "student__school_class__grade", "staff", "school", "campaign")
        .get(pk=nomination.pk)
    )
    return award, n


def _require_active(n: Nomination) -> None:
    if n.status != NominationStatus.ACTIVE:
        raise Conflict(
            gettext("这条推荐已是「%(status)s」状态，不能再作决定。") % {"status": n.get_status_display()}
        )


@transaction.atomic
def advance(*, actor: Actor, nomination: Nomination, reason: str) -> Nomination:
    """Send a nomination up one level, within that level's shortlist (quota × ratio)."""
    award, n = _locked(nomination)
    require(can_decide_at(actor, n), DECIDE_MESSAGE)
    require_not_frozen(n)
    _require_active(n)
    up = next_level(n.level)
    if up is None or LEVEL_ORDER.index(Level(up)) > LEVEL_ORDER.index(Level(award.level)):
        raise Conflict(
            gettext("「%(award_name)s」是%(award_level)s级奖项，已到评定层级，请确定入选或不予推荐。")
            % {"award_name": award.name, "award_level": award.get_level_display()}
        )
    require_gates(award, n)
    require_quota(award, n, level=up)
    before = snapshot(n, ["level"])
    decide(actor, n, Decision.Outcome.ADVANCED, reason or "推荐至上一级")
    n.level = up
    n.save(update_fields=["level"])
    record(
        actor,
        change_for(
            "nomination.advance", n, school_id=n.school_id, before=before, after=snapshot(n, ["level"])
        ),
    )
    return n


@transaction.atomic
def select(*, actor: Actor, nomination: Nomination, reason: str) -> Nomination:
    """At the award's own level: put the nomination on the shortlist for the notice, within quota."""
    award, n = _locked(nomination)
    require(can_decide_at(actor, n), DECIDE_MESSAGE)
    require_not_frozen(n)
    _require_active(n)
    if n.level != award.level:
        raise Conflict(
            gettext("「%(award_name)s」在%(award_level)s级评定，这条推荐还在%(level)s级。")
            % {
                "award_name": award.name,
                "award_level": award.get_level_display(),
                "level": n.get_level_display(),
            }
        )
    require_gates(award, n)
    require_quota(award, n, level=n.level, selecting=True)
    decide(actor, n, Decision.Outcome.SELECTED, reason or "确定入选")
    n.status = NominationStatus.SELECTED
    n.save(update_fields=["status"])
    record(actor, change_for("nomination.select", n, school_id=n.school_id, after=snapshot(n, ["status"])))
    return n


@transaction.atomic
def decline(*, actor: Actor, nomination: Nomination, reason: str) -> Nomination:
    _award, n = _locked(nomination)
    require(can_decide_at(actor, n), DECIDE_MESSAGE)
    require_not_frozen(n)
    _require_active(n)
    if not reason.strip():
        raise Invalid(gettext("不予推荐须写明理由。"), {"reason": [gettext("必填。")]})
    decide(actor, n, Decision.Outcome.NOT_ADVANCED, reason)
    n.status = NominationStatus.NOT_ADVANCED
    n.save(update_fields=["status"])
    record(
        actor,
        change_for(
            "nomination.decline", n, school_id=n.school_id, after={"status": n.status, "reason": reason}
        ),
    )
    return n


@transaction.atomic
def rescore(*, actor: Actor, nomination: Nomination, score: Decimal, reason: str) -> Nomination:
    _award, n = _locked(nomination)
    require(can_decide_at(actor, n), DECIDE_MESSAGE)
    require_not_frozen(n)
    before = snapshot(n, ["score"])
    n.score = score
    n.save(update_fields=["score"])
    decide(
        actor,
        n,
        Decision.Outcome.SCORED,
        f"{score} 分：{reason}",
    )
    record(
        actor,
        change_for("nomination.score", n, school_id=n.school_id, before=before, after=snapshot(n, ["score"])),
    )
    return n


# --- data-proposed nominations and exam scores ----------------------------------------------------


@transaction.atomic
def nominate_from_proposal(
    *, actor: Actor, award: AwardType, campaign: Campaign, student: Student
) -> Nomination:
    """Confirm what the data proposes: the story and evidence come from the records, not from typing."""
    # Rights first, so a stranger can't learn who the data proposes by trying names (issue 9).
    require(
        student.school_id == campaign.school_id
        and can_nominate(
            actor, campaign.school, kind=NomineeKind.STUDENT, class_id=student.school_class_id, branch_id=None
        ),
        gettext("您不能推荐这名对象。"),
    )
    found = next((p for p in proposals(award, campaign) if p.student.pk == student.pk), None)
    if found is None:
        raise Invalid(
            gettext("「%(student)s」不在系统依据数据提出的「%(award_name)s」名单中，或已被推荐。")
            % {"student": student.name, "award_name": award.name}
        )
    return nominate(
        actor=actor,
        award=award,
        campaign=campaign,
        student=found.student,
        story=found.story,
        evidence=found.evidence,
        reason="系统依据数据提名，经确认推荐",
    )
