"""Reads of the campaign plan, limited to what the actor may see, and the few facts the public page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext, gettext_lazy

from chuangyou.campaigns.models import Assignment, Campaign, Phase, ResourceKind, ResourceLine
from chuangyou.lib.errors import NotFound
from chuangyou.org.models import Role, School, Staff
from chuangyou.org.rules import Actor, can_read_school, require
from chuangyou.org.selectors import group_seats

READ_MESSAGE = gettext_lazy("只有本校管理员、三个小组成员和主管教育局可以查看活动方案。")

AssignmentFilter = Literal["all", "open", "overdue", "done"]
ASSIGNMENT_FILTERS: tuple[AssignmentFilter, ...] = ("all", "open", "overdue", "done")


def assignment_filter(value: str | None) -> AssignmentFilter:
    """The list filter named in a query string; anything unknown shows all."""
    return next((f for f in ASSIGNMENT_FILTERS if f == value), "all")


def _with_phases(queryset: QuerySet[Campaign]) -> QuerySet[Campaign]:
    return queryset.prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("order")))


def campaigns_visible_to(actor: Actor, school: School) -> QuerySet[Campaign]:
    if not can_read_school(actor, school):
        return Campaign.objects.none()
    return _with_phases(Campaign.objects.filter(school=school)).order_by("-year")


def campaign_for(actor: Actor, school: School, year: int) -> Campaign:
    """One year's plan, phases prefetched. Refuses a reader without rights before saying whether it exists."""
    require(can_read_school(actor, school), READ_MESSAGE)
    campaign = campaigns_visible_to(actor, school).select_related("school").filter(year=year).first()
    if campaign is None:
        raise NotFound(
            gettext("%(school_name)s还没有 %(year)s 年度的活动方案。")
            % {"school_name": school.name, "year": year}
        )
    return campaign


def assignments_of(
    campaign: Campaign, *, status: AssignmentFilter = "all", today: dt.date
) -> QuerySet[Assignment]:
    """A plan's 分工, filtered: open (not done), overdue (not done, deadline passed) or done."""
    rows = Assignment.objects.filter(campaign=campaign).select_related("owner", "phase")
    if status == "open":
        rows = rows.filter(done_on__isnull=True)
    elif status == "overdue":
        rows = rows.filter(done_on__isnull=True, deadline__lt=today)
    elif status == "done":
        rows = rows.filter(done_on__isnull=False)
    return rows.order_by("deadline", "pk")


@dataclass(frozen=True)
class AssignmentCounts:
    all: int
    open: int
    overdue: int
    done: int


def assignment_counts(campaign: Campaign, *, today: dt.date) -> AssignmentCounts:
    open_q = Q(done_on__isnull=True)
    totals = Assignment.objects.filter(campaign=campaign).aggregate(
        all=Count("pk"),
        open=Count("pk", filter=open_q),
        overdue=Count("pk", filter=open_q & Q(deadline__lt=today)),
        done=Count("pk", filter=Q(done_on__isnull=False)),
    )
    return AssignmentCounts(**totals)


def resources_of(campaign: Campaign) -> QuerySet[ResourceLine]:
    """Lines grouped as the plan lists them: 场地, then 物资, then 经费."""
    kind_order = Case(*(When(kind=k, then=Value(i)) for i, k in enumerate(ResourceKind.values)))
    return ResourceLine.objects.filter(campaign=campaign).order_by(kind_order, "pk")


def funds_total(campaign: Campaign) -> Decimal:
    """The sum of the 经费 lines."""
    total = ResourceLine.objects.filter(campaign=campaign, kind=ResourceKind.FUNDS).aggregate(
        total=Sum("amount")
    )["total"]
    return (total or Decimal(0)).quantize(Decimal("0.01"))


def owner_choices(school: School) -> QuerySet[Staff]:
    """Who can be put in charge of a task: the school's staff."""
    return Staff.objects.filter(school=school).order_by("name", "staff_no")


# --- the three groups ---------------------------------------------------------------------------


@dataclass
class Group:
    role: str
    label: str
    leaders: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [*self.leaders, *self.members]


def office_groups(school: School, *, today: dt.date) -> list[Group]:
    """领导小组, 工作小组 and 监督小组 as seated today, 组长 first. Names only: the public page shows them."""
    groups = {
        role: Group(role=role, label=str(Role(role).label))
        for role in (Role.LEADING_GROUP, Role.WORKING_GROUP, Role.SUPERVISION_GROUP)
    }
    seated_today = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    seats = group_seats(school).filter(seated_today).order_by("role", "-is_leader", "user__display_name")
    for seat in seats:
        group = groups[Role(seat.role)]
        name = seat.user.display_name
        (group.leaders if seat.is_leader else group.members).append(name)
    return list(groups.values())


# --- the public page ----------------------------------------------------------------------------


def public_campaign(school: School, *, today: dt.date) -> Campaign | None:
    """The plan the public page shows: the one running today, else this year's, else the latest."""
    campaigns = list(_with_phases(Campaign.objects.filter(school=school, is_public=True)).order_by("-year"))
    for campaign in campaigns:
        span = campaign.span()
        if span is not None and span[0] <= today <= span[1]:
            return campaign
    this_year = next((c for c in campaigns if c.year == today.year), None)
    return this_year or (campaigns[0] if campaigns else None)


def schools_with_public_campaign() -> QuerySet[School]:
    has_public = Campaign.objects.filter(school=OuterRef("pk"), is_public=True)
    return School.objects.filter(Exists(has_public)).order_by("code")


# --- the timeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    phase: Phase
    status: str  # "done", "current" or "upcoming": the CSS class of the phase on the timeline
    is_next: bool  # the first phase still to come, when none is running


@dataclass(frozen=True)
class Timeline:
    items: list[TimelineItem]
    today: dt.date
    current: Phase | None
    upcoming: Phase | None

    @property
    def finished(self) -> bool:
        return bool(self.items) and self.current is None and self.upcoming is None


def timeline_of(campaign: Campaign, *, today: dt.date) -> Timeline:
    """The plan's phases in order, each marked done, current or upcoming on `today`."""
    current = campaign.current_phase(today)
    upcoming = None if current is not None else campaign.next_phase(today)
    items = [
        TimelineItem(phase=p, status=p.status_on(today), is_next=upcoming is not None and p.pk == upcoming.pk)
        for p in campaign.phases.all()
    ]
    return Timeline(items=items, today=today, current=current, upcoming=upcoming)
