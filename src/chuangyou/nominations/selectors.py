"""Reads scoped to the actor: a 班主任 sees their class's nominations, the office sees the school's.

`get_<thing>(actor, school, pk)` finds one row the actor may see, or raises NotFound; pages and the API
both use them, so a lookup and its read rule exist once. Award types are a school's published rules:
anyone may read them (services check who may change them), so their lookups need no actor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext, gettext_lazy

from chuangyou.campaigns.models import Campaign
from chuangyou.lib.errors import NotFound
from chuangyou.lib.strokes import by_strokes
from chuangyou.nominations.models import (
    AwardType,
    Decision,
    Exam,
    Gate,
    Level,
    Nomination,
    NominationStatus,
    Notice,
    Objection,
)
from chuangyou.nominations.proposals import Proposal, proposals
from chuangyou.nominations.rules import (
    can_handle_objection,
    can_manage_bureau_awards,
    can_read_nominations,
    can_read_objections,
    handle_message,
)
from chuangyou.org.models import Bureau, School
from chuangyou.org.rules import Actor, can_read_school, require

READ_MESSAGE = gettext_lazy("您没有权限查看本校的推荐。")


def awards_for(school: School, *, active_only: bool = True) -> QuerySet[AwardType]:
    """The school's own award types and its bureau's."""
    rows = AwardType.objects.filter(Q(school=school) | Q(bureau_id=school.bureau_id))
    return rows.filter(is_active=True) if active_only else rows


def get_award(school: School, pk: int) -> AwardType:
    """One of the award types the school uses: its own or its bureau's, active or not."""
    award = awards_for(school, active_only=False).select_related("school").filter(pk=pk).first()
    if award is None:
        raise NotFound(gettext("没有这个奖项。"))
    return award


def get_own_award(school: School, pk: int) -> AwardType:
    """An award type the school set itself (so may edit), not its bureau's."""
    award = AwardType.objects.select_related("school").filter(school=school, pk=pk).first()
    if award is None:
        raise NotFound(gettext("本校没有这个奖项。"))
    return award


def get_gate(award: AwardType, pk: int) -> Gate:
    gate = Gate.objects.select_related("award_type").filter(award_type=award, pk=pk).first()
    if gate is None:
        raise NotFound(gettext("这个奖项没有这条评选条件。"))
    return gate


def nominations_for(actor: Actor, school: School) -> QuerySet[Nomination]:
    rows = Nomination.objects.filter(school=school).select_related("award_type", "notice")
    if can_read_school(actor, school):
        return rows
    classes, branches = actor.head_teacher_class_ids(), actor.secretary_branch_ids()
    require(bool(classes or branches), READ_MESSAGE)
    return rows.filter(Q(student__school_class_id__in=classes) | Q(staff__party_branch_id__in=branches))


def get_nomination(actor: Actor, school: School, pk: int) -> Nomination:
    found = (
        nominations_for(actor, school)
        .select_related("campaign", "school", "student__school_class", "staff")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(gettext("没有这条推荐。"))
    return found


def running_public_notices(school: School, today: dt.date) -> QuerySet[Notice]:
    """The notices running today that a school's public page shows: its own and its bureau's (which
    every school of the bureau shows), soonest to end first."""
    return (
        Notice.objects.filter(Q(school=school) | Q(bureau_id=school.bureau_id))
        .filter(starts_on__lte=today, ends_on__gte=today)
        .select_related("school", "bureau")
        .order_by("ends_on", "pk")
    )


def notices_for(actor: Actor, school: School) -> QuerySet[Notice]:
    require(can_read_school(actor, school), READ_MESSAGE)
    return Notice.objects.filter(school=school)


def get_notice(actor: Actor, school: School, pk: int) -> Notice:
    notice = notices_for(actor, school).select_related("campaign", "school").filter(pk=pk).first()
    if notice is None:
        raise NotFound(gettext("没有这份公示。"))
    return notice


def objections_for(actor: Actor, school: School) -> QuerySet[Objection]:
    require(can_read_objections(actor, school), gettext("只有监督小组、领导小组和教育局可以查看异议。"))
    # A bureau notice's objections are the bureau's to handle and read, even when the nominee is ours.
    return Objection.objects.filter(school=school, notice__school=school).select_related(
        "nomination", "notice"
    )


def get_objection(actor: Actor, school: School, pk: int) -> Objection:
    found = objections_for(actor, school).filter(pk=pk).first()
    if found is None:
        raise NotFound(gettext("没有这件异议。"))
    return found


def objection_evidence(actor: Actor, objection: Objection) -> FieldFile:
    """The evidence an objector uploaded: for those who handle the objection (the supervision group, or
    the bureau admin for a bureau notice), not for everyone who may read the list."""
    require(can_handle_objection(actor, objection), handle_message(objection))
    if not objection.evidence:
        raise NotFound(gettext("这件异议没有附证据。"))
    return objection.evidence


# --- the bureau's side: its award types, the ranking across its schools, its notices and objections ---

BUREAU_READ_MESSAGE = gettext_lazy("只有本局管理员可以查看教育局级评选。")


def _require_bureau(actor: Actor, bureau: Bureau) -> None:
    require(can_manage_bureau_awards(actor, bureau.pk), BUREAU_READ_MESSAGE)


def bureau_awards(actor: Actor, bureau: Bureau) -> QuerySet[AwardType]:
    _require_bureau(actor, bureau)
    return AwardType.objects.filter(bureau=bureau).prefetch_related("gates")


def get_bureau_award(actor: Actor, bureau: Bureau, pk: int) -> AwardType:
    award = bureau_awards(actor, bureau).filter(pk=pk).first()
    if award is None:
        raise NotFound(gettext("本局没有这个奖项。"))
    return award


def get_bureau_nomination(actor: Actor, bureau: Bureau, award: AwardType, pk: int) -> Nomination:
    """A nomination one of the bureau's schools sent up for `award`, as the ranking lists it."""
    _require_bureau(actor, bureau)
    found = (
        Nomination.objects.select_related("award_type")
        .filter(pk=pk, award_type=award, school__bureau=bureau, level=Level.BUREAU)
        .first()
    )
    if found is None:
        raise NotFound(gettext("没有这条推荐。"))
    return found


@dataclass(frozen=True)
class RankRow:
    """One nominee in the bureau's ranking: by score, then 姓氏笔画; with the last decision on it."""

    rank: int
    nomination: Nomination
    school_name: str
    score: Decimal | None
    status: str
    decided_by: str
    decided_at: dt.datetime | None
    decision: str
    reason: str


def bureau_ranking(actor: Actor, bureau: Bureau, award: AwardType, year: int) -> list[RankRow]:
    """The nominations the bureau's schools sent up for `award` in `year`, ranked across schools: scored
    ones first by score (highest first), then the rest; ties share a rank. Three queries."""
    _require_bureau(actor, bureau)
    if award.bureau_id != bureau.pk:
        raise NotFound(gettext("本局没有这个奖项。"))
    rows = list(
        Nomination.objects.filter(
            award_type=award,
            school__bureau=bureau,
            campaign__year=year,
            level=Level.BUREAU,
            status__in=[NominationStatus.ACTIVE, NominationStatus.SELECTED, NominationStatus.NOT_ADVANCED],
        ).select_related("school", "award_type", "notice")
    )
    last: dict[int, Decision] = {}
    for decision in Decision.objects.filter(nomination__in=rows, level=Level.BUREAU).order_by("pk"):
        last[decision.nomination_id] = decision
    ordered = by_strokes(rows, lambda n: n.nominee_name)
    ordered.sort(key=lambda n: (n.score is None, -(n.score or 0)))
    out: list[RankRow] = []
    for i, n in enumerate(ordered):
        same = out and out[-1].score == n.score and n.score is not None
        d = last.get(n.pk)
        out.append(
            RankRow(
                rank=out[-1].rank if same else i + 1,
                nomination=n,
                school_name=n.school.name,
                score=n.score,
                status=n.status,
                decided_by=d.by_label if d else "",
                decided_at=d.at if d else None,
                decision=d.get_outcome_display() if d else "",
                reason=d.reason if d else "",
            )
        )
    return out


def bureau_notices(actor: Actor, bureau: Bureau) -> QuerySet[Notice]:
    _require_bureau(actor, bureau)
    return Notice.objects.filter(bureau=bureau)


def get_bureau_notice(actor: Actor, bureau: Bureau, pk: int) -> Notice:
    notice = bureau_notices(actor, bureau).filter(pk=pk).first()
    if notice is None:
        raise NotFound(gettext("没有这份公示。"))
    return notice


def bureau_objections(actor: Actor, bureau: Bureau) -> QuerySet[Objection]:
    _require_bureau(actor, bureau)
    return Objection.objects.filter(notice__bureau=bureau).select_related("nomination", "notice", "school")


def get_bureau_objection(actor: Actor, bureau: Bureau, pk: int) -> Objection:
    found = bureau_objections(actor, bureau).prefetch_related("steps").filter(pk=pk).first()
    if found is None:
        raise NotFound(gettext("没有这件异议。"))
    return found


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
