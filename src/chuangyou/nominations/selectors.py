"""Reads scoped to the actor: a 班主任 sees their class's nominations, the office sees the school's."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from chuangyou.campaigns.models import Campaign
from chuangyou.nominations.models import AwardType, Exam, Nomination, Notice, Objection
from chuangyou.nominations.proposals import Proposal, proposals
from chuangyou.nominations.rules import can_read_nominations, can_read_objections
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, can_read_school, require

READ_MESSAGE = "您没有权限查看本校的推荐。"


def awards_for(school: School, *, active_only: bool = True) -> QuerySet[AwardType]:
    """The school's own award types and its bureau's."""
    rows = AwardType.objects.filter(Q(school=school) | Q(bureau_id=school.bureau_id))
    return rows.filter(is_active=True) if active_only else rows


def nominations_for(actor: Actor, school: School) -> QuerySet[Nomination]:
    rows = Nomination.objects.filter(school=school).select_related("award_type", "notice")
    if can_read_school(actor, school):
        return rows
    classes, branches = actor.head_teacher_class_ids(), actor.secretary_branch_ids()
    require(bool(classes or branches), READ_MESSAGE)
    return rows.filter(Q(student__school_class_id__in=classes) | Q(staff__party_branch_id__in=branches))


def notices_for(actor: Actor, school: School) -> QuerySet[Notice]:
    require(can_read_school(actor, school), READ_MESSAGE)
    return Notice.objects.filter(school=school)


def objections_for(actor: Actor, school: School) -> QuerySet[Objection]:
    require(can_read_objections(actor, school), "只有监督小组、领导小组和教育局可以查看异议。")
    return Objection.objects.filter(school=school).select_related("nomination", "notice")


def proposals_for(actor: Actor, school: School, campaign: Campaign, award: AwardType) -> list[Proposal]:
    """What the data proposes for `award`; a 班主任 sees the proposals for their own class."""
    require(can_read_nominations(actor, school), READ_MESSAGE)
    found = proposals(award, campaign)
    if can_read_school(actor, school):
        return found
    classes = actor.head_teacher_class_ids()
    return [p for p in found if p.student.school_class_id in classes]


def exams_for(actor: Actor, school: School) -> QuerySet[Exam]:
    require(can_read_school(actor, school), READ_MESSAGE)
    return Exam.objects.filter(school=school).annotate(rows=Count("scores")).order_by("-year", "-pk")
