"""The typed figures of a campaign: what `facts_for` computes and the dashboards, the 总结, the bureau's
view and the API read. Values only; the queries are in `facts.py`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
STAR_TARGETS = {5: 10, 4: 30, 3: 40}  # DOMAIN.md: about 10% ★5, 30% ★4, 40% ★3


def hours_of(value: Decimal | None) -> Decimal:
    """Hours to one decimal (they are counted in 0.5-hour units). SQLite and PostgreSQL return a sum's
    scale differently (2.5 vs 2.50), so every sum is quantized here and both print the same."""
    return (value or ZERO).quantize(Decimal("0.1"))


def money_of(value: Decimal | None) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"))


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """A share as a percentage with one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.part, self.whole)


@dataclass(frozen=True)
class PhaseLine:
    name: str
    starts_on: dt.date
    ends_on: dt.date
    status: str  # "done", "current" or "upcoming"
    description: str = ""  # the plan's 主要工作 for the phase


@dataclass(frozen=True)
class ClassLine:
    """One class: participation, practice and hours. Listed in grade and class order, never ranked."""

    class_id: int
    name: str
    students: int
    taking_part: int
    practice_expected: int  # each published set × the class's students
    practice_submitted: int
    practice_on_time: int
    hours: Decimal

    @property
    def participation(self) -> Decimal | None:
        return percent(self.taking_part, self.students)

    @property
    def completion(self) -> Decimal | None:
        return percent(self.practice_submitted, self.practice_expected)

    @property
    def on_time(self) -> Decimal | None:
        return percent(self.practice_on_time, self.practice_expected)


@dataclass(frozen=True)
class WeekLine:
    week: dt.date  # the Monday
    person_times: int  # 参与人次: confirmed places and team members in activities starting that week


@dataclass(frozen=True)
class KindLine:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class ActivityFacts:
    published: int
    held: int  # published and ended by the day of the facts
    by_kind: list[KindLine]
    students: Share  # students in at least one activity, of all students
    staff: Share
    person_times: int
    awards: int  # results with an award level
    photos: int  # approved exhibition photos


@dataclass(frozen=True)
class PracticeFacts:
    sets: int
    expected: int
    submitted: int
    on_time: int

    @property
    def completion(self) -> Decimal | None:
        return percent(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.expected)


@dataclass(frozen=True)
class VolunteerFacts:
    hours: Decimal
    claims: int
    students: int
    staff: int


@dataclass(frozen=True)
class CommitmentFacts:
    commitments: int  # published declarations
    items: int
    fulfilled: int
    not_fulfilled: int
    pending: int
    overdue: int  # still pending after their deadline
    filed: int  # declarations filed with the bureau

    @property
    def fulfilment_rate(self) -> Decimal | None:
        return percent(self.fulfilled, self.items)


@dataclass(frozen=True)
class StarLine:
    stars: int
    count: int
    share: Decimal | None
    target: int | None  # the DOMAIN.md target share, if there is one


@dataclass(frozen=True)
class EvaluationLine:
    """One published evaluation's turnout, by its title."""

    title: str
    entitled: int
    returned: int

    @property
    def turnout(self) -> Decimal | None:
        return percent(self.returned, self.entitled)


@dataclass(frozen=True)
class EvaluationFacts:
    held: int  # opened for voting (open, closed or published)
    published: int
    entitled: int  # raters entitled in published evaluations, paper ballots included
    returned: int
    branches_rated: int
    stars: list[StarLine]
    lines: list[EvaluationLine] = field(default_factory=list)  # each published one, by opening
    five_star: list[str] = field(default_factory=list)  # the branches rated ★5, by name

    @property
    def turnout(self) -> Decimal | None:
        return percent(self.returned, self.entitled)


@dataclass(frozen=True)
class AssignmentFacts:
    total: int
    done: int
    overdue: int


@dataclass(frozen=True)
class BudgetFacts:
    planned: Decimal  # the plan's 经费 lines
    granted: Decimal  # innovation projects funded in the span

    @property
    def used_share(self) -> Decimal | None:
        return percent(self.granted, self.planned)


@dataclass(frozen=True)
class TypeLine:
    name: str
    count: int


@dataclass(frozen=True)
class HonorFacts:
    nominations: int
    total: int
    by_type: list[TypeLine]
    prize_money: Decimal  # 应发: the prizes the honors carry (payables not cancelled)
    prize_paid: Decimal = ZERO  # 已发: those marked paid


@dataclass(frozen=True)
class SchoolFacts:
    school_id: int
    school_name: str
    campaign_id: int
    year: int
    title: str
    start: dt.date | None
    end: dt.date | None
    as_of: dt.datetime
    phases: list[PhaseLine]
    assignments: AssignmentFacts
    activities: ActivityFacts
    practice: PracticeFacts
    volunteering: VolunteerFacts
    commitments: CommitmentFacts
    evaluations: EvaluationFacts
    budget: BudgetFacts
    classes: list[ClassLine] = field(default_factory=list)
    weeks: list[WeekLine] = field(default_factory=list)
    honors: HonorFacts = field(default_factory=lambda: HonorFacts(0, 0, [], ZERO))

    @property
    def phases_done(self) -> int:
        return sum(1 for p in self.phases if p.status == "done")

    @property
    def current_phase(self) -> str | None:
        return next((p.name for p in self.phases if p.status == "current"), None)
