"""Reads of commitments, limited to what the actor may see; the public board; and the seam the
evaluation engine uses for 评诺 ballots (`ballot_subjects`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_lazy

from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import rules
from chuangyou.commitments.models import (
    Commitment,
    CommitmentSettings,
    Evidence,
    Filing,
    Fulfilment,
    Item,
    ItemVersion,
    ProgressReport,
    Status,
)
from chuangyou.lib.errors import NotFound
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, require

READ_MESSAGE = gettext_lazy("只有本校管理员、三个小组、党支部书记和主管教育局可以查看承诺办公页面。")
FOLLOW_UP_MESSAGE = gettext_lazy("只有党支部书记和工作小组可以查看逾期未报告进展的名单。")

StatusFilter = Literal["all", "draft", "submitted", "returned", "published"]
STATUS_FILTERS: tuple[StatusFilter, ...] = ("all", "draft", "submitted", "returned", "published")


def status_filter(value: str | None) -> StatusFilter:
    return next((f for f in STATUS_FILTERS if f == value), "all")


def settings_of(school: School) -> CommitmentSettings:
    """The school's settings, or an unsaved row holding the defaults."""
    return CommitmentSettings.objects.filter(school=school).first() or CommitmentSettings(school=school)


# --- campaigns ---------------------------------------------------------------------------------


def current_campaign(school: School, *, today: dt.date) -> Campaign | None:
    """The campaign whose phases hold today, else this year's, else the latest."""
    campaigns = list(Campaign.objects.filter(school=school).prefetch_related("phases").order_by("-year"))
    for campaign in campaigns:
        span = campaign.span()
        if span is not None and span[0] <= today <= span[1]:
            return campaign
    return next((c for c in campaigns if c.year == today.year), campaigns[0] if campaigns else None)


def campaign_of(school: School, year: int | None, *, today: dt.date) -> Campaign | None:
    if year is None:
        return current_campaign(school, today=today)
    return Campaign.objects.filter(school=school, year=year).first()


def campaign_years(school: School) -> list[int]:
    return list(Campaign.objects.filter(school=school).order_by("-year").values_list("year", flat=True))


# --- commitments -------------------------------------------------------------------------------


def _base() -> QuerySet[Commitment]:
    return Commitment.objects.select_related(
        "school__bureau", "campaign", "owner_staff__party_branch", "owner_branch", "filing"
    )


def visible_filter(actor: Actor, school: School) -> Q:
    """The office sees every commitment; anyone else their own drafts and the published ones."""
    if rules.can_read_office(actor, school):
        return Q()
    own = Q(status=Status.PUBLISHED)
    if actor.user is not None:
        own |= Q(owner_staff__user=actor.user) | Q(owner_branch_id__in=actor.secretary_branch_ids())
    return own


def commitments_for(
    actor: Actor, campaign: Campaign, *, status: StatusFilter = "all", query: str = ""
) -> QuerySet[Commitment]:
    rows = (
        _base()
        .filter(campaign=campaign)
        .filter(visible_filter(actor, campaign.school))
        .annotate(item_count=Count("items"))
    )
    if status != "all":
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(Q(owner_staff__name__contains=query) | Q(owner_branch__name__contains=query))
    return rows.order_by(F("owner_branch__name").asc(nulls_last=True), "owner_staff__name", "pk")


def commitment_for(actor: Actor, school: School, commitment_id: int) -> Commitment:
    commitment = _base().filter(school=school, pk=commitment_id).first()
    if commitment is None:
        raise NotFound(gettext("本校没有这份承诺。"))
    require(rules.can_read_commitment(actor, commitment), gettext("您没有权限查看这份承诺。"))
    return commitment


def own_commitment(actor: Actor, campaign: Campaign) -> Commitment | None:
    if actor.user is None:
        return None
    return _base().filter(campaign=campaign, owner_staff__user=actor.user).first()


def review_queue(actor: Actor, campaign: Campaign) -> QuerySet[Commitment]:
    """Submitted commitments this actor reviews as 党支部书记."""
    branch_ids = actor.secretary_branch_ids()
    if not branch_ids:
        return Commitment.objects.none()
    mine = Q(owner_branch_id__in=branch_ids) | Q(owner_staff__party_branch_id__in=branch_ids)
    if rules.is_secretary_in(actor, campaign.school):
        mine |= Q(owner_staff__isnull=False, owner_staff__party_branch__isnull=True)
    return (
        _base()
        .filter(campaign=campaign, status=Status.SUBMITTED)
        .filter(mine)
        .annotate(item_count=Count("items"))
    )


def _last_report() -> Subquery:
    return Subquery(
        ProgressReport.objects.filter(item=OuterRef("pk")).order_by("-reported_on").values("reported_on")[:1]
    )


def _evidence_count() -> Subquery:
    return Subquery(
        Evidence.objects.filter(report__item=OuterRef("pk"))
        .order_by()
        .values("report__item")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )


def items_with_progress() -> QuerySet[Item]:
    """Items with their last report date, report count and evidence count, in one query."""
    report_count = Subquery(
        ProgressReport.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Item.objects.annotate(
        last_report_on=_last_report(),
        report_count=Coalesce(report_count, 0),
        evidence_count=Coalesce(_evidence_count(), 0),
    ).order_by("pk")


def items_of(commitment: Commitment) -> list[Item]:
    return list(items_with_progress().filter(commitment=commitment))


def item_of(commitment: Commitment, item_id: int) -> Item:
    item = (
        Item.objects.select_related(
            "commitment__school", "commitment__owner_staff", "commitment__owner_branch"
        )
        .filter(commitment=commitment, pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound(gettext("这份承诺没有这一条。"))
    return item


def versions_of(item: Item) -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(item=item).order_by("-number")


def reports_of(commitment: Commitment) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(item__commitment=commitment)
        .select_related("item", "reported_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
    )


def evidence_for(actor: Actor, school: School, evidence_id: int) -> Evidence:
    evidence = (
        Evidence.objects.select_related(
            "report__item__commitment__school",
            "report__item__commitment__owner_staff",
            "report__item__commitment__owner_branch",
        )
        .filter(school=school, pk=evidence_id)
        .first()
    )
    if evidence is None:
        raise NotFound(gettext("没有这个佐证材料。"))
    require(
        rules.can_see_evidence(actor, evidence.report.item.commitment),
        gettext("您没有权限查看这个佐证材料。"),
    )
    return evidence


# --- the public board --------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardEntry:
    commitment: Commitment
    items: list[Item]

    @property
    def last_report_on(self) -> dt.date | None:
        return self.commitment.last_progress_on


def board_commitments(campaign: Campaign, *, query: str = "", owner: str = "") -> QuerySet[Commitment]:
    """Published commitments only, branches first, people by name. Drafts and returned ones never."""
    rows = (
        Commitment.objects.filter(campaign=campaign, status=Status.PUBLISHED)
        .select_related("owner_staff", "owner_branch")
        .prefetch_related(Prefetch("items", queryset=items_with_progress()))
    )
    if owner == "branch":
        rows = rows.filter(owner_branch__isnull=False)
    elif owner == "person":
        rows = rows.filter(owner_staff__isnull=False)
    if query:
        rows = rows.filter(Q(owner_staff__name__contains=query) | Q(owner_branch__name__contains=query))
    return rows.order_by(F("owner_branch__name").asc(nulls_last=True), "owner_staff__name", "pk")


def board_entries(commitments: Iterable[Commitment]) -> list[BoardEntry]:
    return [BoardEntry(commitment=c, items=list(c.items.all())) for c in commitments]


# --- follow-up ---------------------------------------------------------------------------------


def overdue_progress(actor: Actor, campaign: Campaign, *, today: dt.date) -> QuerySet[Commitment]:
    """Published commitments with no progress report within the school's interval (90 days by
    default), counted from the last report, or from publication if there is none yet."""
    school = campaign.school
    require(rules.can_follow_up(actor, school), FOLLOW_UP_MESSAGE)
    cutoff = today - dt.timedelta(days=settings_of(school).progress_interval_days)
    stale = Q(last_progress_on__lt=cutoff) | Q(last_progress_on__isnull=True, published_at__date__lt=cutoff)
    return (
        _base()
        .filter(campaign=campaign, status=Status.PUBLISHED)
        .filter(stale)
        .annotate(item_count=Count("items"))
        .order_by(F("owner_branch__name").asc(nulls_last=True), "owner_staff__name", "pk")
    )


def items_past_deadline(actor: Actor, campaign: Campaign, *, today: dt.date) -> QuerySet[Item]:
    require(rules.can_follow_up(actor, campaign.school), FOLLOW_UP_MESSAGE)
    return (
        Item.objects.filter(
            commitment__campaign=campaign,
            commitment__status=Status.PUBLISHED,
            fulfilment=Fulfilment.PENDING,
            deadline__lt=today,
        )
        .select_related("commitment__owner_staff", "commitment__owner_branch")
        .order_by("deadline", "pk")
    )


# --- 申报备案 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolFilings:
    school: School
    filings: int
    items: int
    last_filed_on: dt.date | None


def bureau_summary(actor: Actor, school: School) -> list[SchoolFilings]:
    """What each school of this school's bureau has filed: one line per school, for the bureau."""
    require(rules.can_see_bureau_filings(actor, school), gettext("只有主管教育局可以查看各校的申报备案。"))
    totals = {
        row["school"]: row
        for row in Filing.objects.filter(bureau_id=school.bureau_id)
        .order_by()
        .values("school")
        .annotate(filings=Count("pk"), items=Sum("item_count"), last=Max("filed_on"))
    }
    lines = []
    for each in School.objects.filter(bureau_id=school.bureau_id).order_by("code"):
        row = totals.get(each.pk, {})
        lines.append(SchoolFilings(each, row.get("filings", 0), row.get("items") or 0, row.get("last")))
    return lines


def filings_of(actor: Actor, school: School) -> QuerySet[Filing]:
    """A school's filings, for its bureau and its own office."""
    require(
        rules.can_see_bureau_filings(actor, school) or rules.can_read_office(actor, school),
        gettext("您没有权限查看申报备案。"),
    )
    return (
        Filing.objects.filter(school=school)
        .select_related("commitment__owner_branch", "commitment__campaign")
        .prefetch_related(Prefetch("commitment__items", queryset=Item.objects.order_by("pk")))
        .order_by("-filed_on", "-pk")
    )


# --- the seam for 评诺 -------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotSubject:
    """One published item as the evaluation engine's ballot subject."""

    item_id: int
    commitment_id: int
    owner_kind: Literal["branch", "staff"]
    owner_id: int
    owner_name: str
    category: str
    content: str
    deadline: dt.date
    fulfilment: str
    fulfilment_reason: str


def ballot_subjects(campaign: Campaign) -> list[BallotSubject]:
    """A campaign's published items with their owners and fulfilment, for 评诺 ballots. Visibility
    is the caller's: the evaluation engine decides who votes on what."""
    items = (
        Item.objects.filter(commitment__campaign=campaign, commitment__status=Status.PUBLISHED)
        .select_related("commitment__owner_staff", "commitment__owner_branch")
        .order_by(F("commitment__owner_branch_id").asc(nulls_last=True), "commitment_id", "pk")
    )
    subjects = []
    for item in items:
        c = item.commitment
        kind: Literal["branch", "staff"] = "branch" if c.owner_branch_id else "staff"
        owner_id = c.owner_branch_id if c.owner_branch_id else c.owner_staff_id
        assert owner_id is not None
        subjects.append(
            BallotSubject(
                item_id=item.pk,
                commitment_id=c.pk,
                owner_kind=kind,
                owner_id=owner_id,
                owner_name=c.owner_name,
                category=item.category,
                content=item.content,
                deadline=item.deadline,
                fulfilment=item.fulfilment,
                fulfilment_reason=item.fulfilment_reason,
            )
        )
    return subjects
