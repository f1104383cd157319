"""A bureau's view across its schools, its 总结 and the nominations sent up:
the input and output schemas of `chuangyou.api.routers.bureaus`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal

from ninja import Schema


class StarBandOut(Schema):
    stars: int
    count: int
    share: Decimal | None
    target: int | None


class SchoolOut(Schema):
    """One school's campaign: phase progress, participation, evaluations by star band against the
    targets, honors, commitments filed and fulfilled, and budget."""

    code: str
    name: str
    phases_done: int
    phases: int
    current_phase: str | None
    students_taking_part: int
    students_total: int
    students_share: Decimal | None
    staff_share: Decimal | None
    activities_held: int
    practice_on_time_rate: Decimal | None
    volunteer_hours: Decimal
    commitments: int
    commitments_filed: int
    commitment_items: int
    commitments_fulfilled: int
    fulfilment_rate: Decimal | None
    evaluation_turnout: Decimal | None
    branches_rated: int
    stars: list[StarBandOut]
    nominations: int
    honors: int
    prize_money: Decimal
    budget_planned: Decimal
    budget_granted: Decimal


class RankedOut(Schema):
    rank: int | None  # None for a school with nothing to count in the sorted column
    code: str
    name: str
    values: dict[str, Decimal | int | None]


class RankingOut(Schema):
    sort: str
    columns: dict[str, str]  # key → title, in the table's order
    rows: list[RankedOut]


class ComparedOut(Schema):
    key: str
    title: str
    values: list[Decimal | int | None]  # one per school, in the order asked


class ComparisonOut(Schema):
    schools: list[str]
    rows: list[ComparedOut]


class CriterionOut(Schema):
    key: str
    school: Decimal | None
    exemplar: Decimal | None


class BenchmarkOut(Schema):
    """对标定位: the school's mean mark per criterion of its branch evaluations beside the exemplar's."""

    school: str
    exemplar: str
    criteria: list[CriterionOut]


class BureauDocumentOut(Schema):
    id: int
    kind: str
    title: str
    year: int
    state: str
    error: str
    created_at: dt.datetime
    finished_at: dt.datetime | None


class BureauNominationOut(Schema):
    id: int
    school: str
    award: str
    nominee_name: str
    unit: str
    level: str
    status: str


class BureauDecisionIn(Schema):
    decision: str  # "select" or "decline"
    reason: str = ""
