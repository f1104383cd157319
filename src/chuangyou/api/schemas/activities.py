"""Activities, sign-up, results, external awards, evidence and the calendar:
the input and output schemas of `chuangyou.api.routers.activities`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema

from chuangyou.activities.models import Activity, Registration, Result
from chuangyou.api.types import Digits, Moment


class ActivityOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    phase_id: int
    campaign_id: int
    person_in_charge_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    resources: str
    grade_ids: list[int]
    class_ids: list[int]
    for_students: bool
    for_teachers: bool
    for_party_members: bool
    is_team: bool
    team_min: int
    team_max: int
    capacity: int
    signup_opens: dt.datetime
    signup_closes: dt.datetime
    status: str
    has_safety_plan: bool
    confirmed: int
    waitlisted: int

    @staticmethod
    def resolve_grade_ids(obj: Activity) -> list[int]:
        return sorted(g.pk for g in obj.grades.all())

    @staticmethod
    def resolve_class_ids(obj: Activity) -> list[int]:
        return sorted(c.pk for c in obj.classes.all())

    @staticmethod
    def resolve_has_safety_plan(obj: Activity) -> bool:
        return bool(obj.safety_plan)


class ActivityIn(Schema):
    kind: str
    title: str
    phase_id: int
    person_in_charge_id: int
    starts_at: Moment
    ends_at: Moment
    capacity: int
    signup_opens: Moment
    signup_closes: Moment
    description: str = ""
    venue: str = ""
    resources: str = ""
    grade_ids: list[int] = []
    class_ids: list[int] = []
    for_students: bool = True
    for_teachers: bool = False
    for_party_members: bool = False
    is_team: bool = False
    team_min: int = 1
    team_max: int = 1


class PersonIn(Schema):
    """Who signs up: a student or a staff member by id; empty means oneself."""

    student_id: int | None = None
    staff_id: int | None = None


class RegistrationOut(Schema):
    id: int
    activity_id: int
    student_id: int | None
    staff_id: int | None
    name: str
    team_name: str
    status: str
    waitlist_position: int | None

    @staticmethod
    def resolve_name(obj: Registration) -> str:
        return obj.person_name


class BulkIn(Schema):
    student_ids: list[int]


class BulkOut(Schema):
    student_id: int
    name: str
    registration: RegistrationOut | None
    message: str


class TeamIn(Schema):
    team_name: str
    captain: PersonIn
    members: list[PersonIn]


class ResultIn(Schema):
    rank: int | None = None
    score: Annotated[Decimal, Digits(7, 2)] | None = None
    award: str = ""
    note: str = ""


class ActivityResultOut(Schema):
    id: int
    registration_id: int
    rank: int | None
    score: Decimal | None
    award: str
    note: str
    summary: str

    @staticmethod
    def resolve_summary(obj: Result) -> str:
        return obj.summary()


class ImportOut(Schema):
    id: int
    applied: bool
    row_count: int
    error_count: int
    errors: list[dict[str, Any]]


class ExternalAwardOut(Schema):
    id: int
    student_id: int
    competition: str
    level: str
    award: str
    rank: int | None
    awarded_on: dt.date


class ExternalAwardIn(Schema):
    student_id: int
    competition: str
    level: str
    awarded_on: dt.date
    award: str = ""
    rank: int | None = None


class EvidenceOut(Schema):
    id: int
    activity_id: int
    original_name: str
    caption: str
    is_image: bool
    exhibition_approved: bool
    uploaded_at: dt.datetime


class ExhibitionIn(Schema):
    approved: bool


class CalendarOut(Schema):
    id: int
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    status: str
