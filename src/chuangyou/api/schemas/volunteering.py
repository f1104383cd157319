"""志愿服务: the input and output schemas of `chuangyou.api.routers.volunteering`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema

from chuangyou.api.types import Digits
from chuangyou.org.models import Student
from chuangyou.volunteering import selectors
from chuangyou.volunteering.models import Claim, ClaimStatus, Consent


class VolunteeringSettingsOut(Schema):
    unit_hours: Decimal
    max_hours_per_activity_day: Decimal
    students_need_consent: bool
    milestones: list[int]


class SettingsIn(Schema):
    unit_hours: Annotated[Decimal, Digits(4, 2)]
    max_hours_per_activity_day: Annotated[Decimal, Digits(4, 2)]
    students_need_consent: bool
    milestones: list[int]


class ClaimOut(Schema):
    id: int
    student_id: int | None
    staff_id: int | None
    participant_name: str
    served_on: dt.date
    service: str
    organization: str
    description: str
    hours: Decimal
    travel_excluded: bool = True
    organizer_id: int
    organizer_name: str
    status: ClaimStatus
    consent: Consent
    consent_at: dt.datetime | None
    decided_at: dt.datetime | None
    reason: str
    has_evidence: bool

    @staticmethod
    def resolve_organizer_name(obj: Claim) -> str:
        return obj.organizer.name

    @staticmethod
    def resolve_has_evidence(obj: Claim) -> bool:
        return bool(obj.evidence)


class ClaimIn(Schema):
    served_on: dt.date
    service: str
    organization: str
    description: str
    hours: Annotated[Decimal, Digits(5, 2)]
    organizer_id: int


class ApproveIn(Schema):
    note: str = ""


class RejectIn(Schema):
    reason: str


class HoursProgressOut(Schema):
    total: Decimal
    reached: list[int]
    next_milestone: int | None
    remaining: Decimal | None


class VolunteerOut(Schema):
    id: int
    number: str
    name: str
    class_name: str | None
    total: Decimal
    pending: Decimal
    reached: list[int]

    @staticmethod
    def resolve_total(obj: Any) -> Decimal:
        return Decimal(obj.total).quantize(selectors.CENTS)

    @staticmethod
    def resolve_pending(obj: Any) -> Decimal:
        return Decimal(obj.pending).quantize(selectors.CENTS)

    @staticmethod
    def resolve_number(obj: Any) -> str:
        return str(obj.student_no if isinstance(obj, Student) else obj.staff_no)

    @staticmethod
    def resolve_class_name(obj: Any) -> str | None:
        return str(obj.school_class) if isinstance(obj, Student) else None

    @staticmethod
    def resolve_reached(obj: Any, context: dict[str, Any]) -> list[int]:
        return selectors.progress(obj.total, context["request"].volunteer_milestones).reached
