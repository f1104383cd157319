"""Campaigns, phases, 分工 and resources: the input and output schemas of `chuangyou.api.routers.campaigns`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Schema

from chuangyou.api.types import Digits, Omitted, Text
from chuangyou.campaigns import selectors
from chuangyou.campaigns.models import Assignment, Campaign, Phase, ResourceKind


class PhaseOut(Schema):
    id: int
    order: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    description: str
    status: Literal["done", "current", "upcoming"]

    @staticmethod
    def resolve_status(obj: Phase) -> str:
        return obj.status_on(timezone.localdate())


class CampaignOut(Schema):
    id: int
    year: int
    title: str
    theme: str
    goals: str
    principles: str
    is_public: bool
    current_phase: str | None
    has_safety_plan: bool

    @staticmethod
    def resolve_current_phase(obj: Campaign) -> str | None:
        phase = obj.current_phase(timezone.localdate())
        return phase.name if phase else None

    @staticmethod
    def resolve_has_safety_plan(obj: Campaign) -> bool:
        return bool(obj.safety_plan)


class CountsOut(Schema):
    all: int
    open: int
    overdue: int
    done: int


class CampaignDetailOut(CampaignOut):
    safety_notes: str
    phases: list[PhaseOut]
    assignment_counts: CountsOut
    funds_total: Decimal

    @staticmethod
    def resolve_phases(obj: Campaign) -> list[Phase]:
        return list(obj.phases.all())

    @staticmethod
    def resolve_assignment_counts(obj: Campaign) -> selectors.AssignmentCounts:
        return selectors.assignment_counts(obj, today=timezone.localdate())

    @staticmethod
    def resolve_funds_total(obj: Campaign) -> Decimal:
        return selectors.funds_total(obj)


class CampaignIn(Schema):
    year: int
    title: str
    theme: str
    goals: str = ""
    principles: str = ""
    is_public: bool = True


class CampaignPatch(Schema):
    title: str = Omitted()
    theme: str = Omitted()
    goals: str = Omitted()
    principles: str = Omitted()
    is_public: bool = Omitted()


class PhaseIn(Schema):
    name: str
    starts_on: dt.date
    ends_on: dt.date
    description: str = ""


class PhasePatch(Schema):
    name: str = Omitted()
    starts_on: dt.date = Omitted()
    ends_on: dt.date = Omitted()
    description: str = Omitted()


class MoveIn(Schema):
    direction: Literal["up", "down"]


class AssignmentOut(Schema):
    id: int
    title: str
    description: str
    owner_id: int
    owner_name: str = Field(alias="owner.name")
    phase_id: int | None
    deadline: dt.date
    done_on: dt.date | None
    overdue: bool

    @staticmethod
    def resolve_overdue(obj: Assignment) -> bool:
        return obj.is_overdue(timezone.localdate())


class AssignmentIn(Schema):
    title: str
    owner_id: int
    deadline: dt.date
    phase_id: int | None = None
    description: str = ""


class AssignmentPatch(Schema):
    title: str = Omitted()
    owner_id: int = Omitted()
    deadline: dt.date = Omitted()
    phase_id: int | None = None
    description: str = Omitted()


class DoneIn(Schema):
    done_on: dt.date | None = None


class ResourceOut(Schema):
    id: int
    kind: ResourceKind
    name: str
    quantity: str
    amount: Decimal | None
    notes: str


class ResourceIn(Schema):
    kind: ResourceKind
    name: Annotated[str, Text(120)]
    quantity: Annotated[str, Text(60)] = ""
    amount: Annotated[Decimal, Digits(12, 2)] | None = None
    notes: Annotated[str, Text(200)] = ""


class ResourcePatch(Schema):
    kind: ResourceKind = Omitted()
    name: Annotated[str, Text(120)] = Omitted()
    quantity: Annotated[str, Text(60)] = Omitted()
    amount: Annotated[Decimal, Digits(12, 2)] | None = None
    notes: Annotated[str, Text(200)] = Omitted()
