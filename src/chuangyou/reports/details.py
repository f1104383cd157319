"""What the 总结 names besides the figures: the overdue tasks and commitments with their owners, the
competition prizes, the funded projects, and the school's previous campaign to compare with. One
campaign at a time (the bureau's view needs none of it); a fixed handful of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from chuangyou.activities.models import Activity, Registration, RegStatus, Result
from chuangyou.activities.models import Status as ActivityStatus
from chuangyou.campaigns.models import Assignment, Campaign
from chuangyou.commitments.models import Fulfilment, Item
from chuangyou.commitments.models import Status as CommitmentStatus
from chuangyou.projects.models import Proposal
from chuangyou.projects.models import Status as ProposalStatus
from chuangyou.reports.facts import active_registrations, dated_in_span, facts_for
from chuangyou.reports.figures import SchoolFacts


@dataclass(frozen=True)
class Overdue:
    what: str
    owner: str
    deadline: dt.date


@dataclass(frozen=True)
class PrizeLine:
    activity: str
    award: str  # 一等奖 …
    count: int


@dataclass(frozen=True)
class ProjectLine:
    title: str
    amount: Decimal


@dataclass(frozen=True)
class HeldLine:
    title: str
    on: dt.date
    person_times: int
    in_charge: str


@dataclass(frozen=True)
class Details:
    held: list[HeldLine]  # the activities held, in date order (the first ten)
    overdue_tasks: list[Overdue]
    overdue_items: list[Overdue]
    prizes: list[PrizeLine]
    projects: list[ProjectLine]
    previous: SchoolFacts | None


def details_for(campaign: Campaign, *, today: dt.date, as_of: dt.datetime) -> Details:
    return Details(
        held=_held(campaign, as_of),
        overdue_tasks=_overdue_tasks(campaign, today),
        overdue_items=_overdue_items(campaign, today),
        prizes=_prizes(campaign),
        projects=_projects(campaign),
        previous=_previous(campaign, as_of),
    )


def _held(campaign: Campaign, as_of: dt.datetime) -> list[HeldLine]:
    rows = (
        Activity.objects.filter(campaign=campaign, status=ActivityStatus.PUBLISHED, ends_at__lte=as_of)
        .select_related("person_in_charge")
        .annotate(n=Count("registrations", filter=Q(registrations__status=RegStatus.CONFIRMED)))
        .order_by("starts_at", "pk")[:10]
    )
    return [HeldLine(a.title, timezone.localdate(a.starts_at), a.n, a.person_in_charge.name) for a in rows]


def _overdue_tasks(campaign: Campaign, today: dt.date) -> list[Overdue]:
    rows = (
        Assignment.objects.filter(campaign=campaign, done_on__isnull=True, deadline__lt=today)
        .select_related("owner")
        .order_by("deadline", "pk")
    )
    return [Overdue(a.title, a.owner.name, a.deadline) for a in rows]


def _overdue_items(campaign: Campaign, today: dt.date) -> list[Overdue]:
    rows = (
        Item.objects.filter(
            commitment__campaign=campaign,
            commitment__status=CommitmentStatus.PUBLISHED,
            fulfilment=Fulfilment.PENDING,
            deadline__lt=today,
        )
        .select_related("commitment__owner_staff", "commitment__owner_branch")
        .order_by("deadline", "pk")
    )
    return [Overdue(item.content, item.commitment.owner_name, item.deadline) for item in rows]


def _prizes(campaign: Campaign) -> list[PrizeLine]:
    """Awards recorded in the campaign's activities: activities in date order, higher levels first."""
    labels = dict(Result._meta.get_field("award").choices or [])
    levels = list(labels)
    places = Registration.objects.filter(active_registrations(), activity__campaign=campaign)
    rows = list(
        Result.objects.filter(registration__in=places.values("pk"))
        .exclude(award="")
        .values("registration__activity_id", "registration__activity__title", "award")
        .annotate(n=Count("pk"))
        .order_by("registration__activity__starts_at", "registration__activity_id")
    )
    first_seen = {row["registration__activity_id"]: i for i, row in reversed(list(enumerate(rows)))}
    rows.sort(
        key=lambda row: (
            first_seen[row["registration__activity_id"]],
            levels.index(row["award"]) if row["award"] in levels else len(levels),
        )
    )
    return [
        PrizeLine(row["registration__activity__title"], str(labels.get(row["award"], row["award"])), row["n"])
        for row in rows
    ]


def _projects(campaign: Campaign) -> list[ProjectLine]:
    rows = Proposal.objects.filter(
        dated_in_span([campaign], "decided_on"), status=ProposalStatus.FUNDED
    ).order_by("decided_on", "pk")
    return [ProjectLine(p.title, p.amount_granted or Decimal(0)) for p in rows]


def _previous(campaign: Campaign, as_of: dt.datetime) -> SchoolFacts | None:
    """The school's latest campaign before this one, with its own figures, if there is one."""
    previous = (
        Campaign.objects.filter(school_id=campaign.school_id, year__lt=campaign.year)
        .select_related("school")
        .prefetch_related("phases")
        .order_by("-year")
        .first()
    )
    if previous is None:
        return None
    return facts_for([previous], as_of=as_of).get(previous.school_id)
