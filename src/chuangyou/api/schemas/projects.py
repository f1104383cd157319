"""创新项目: the input and output schemas of `chuangyou.api.routers.projects`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from chuangyou.api.types import Digits, Omitted
from chuangyou.projects import services
from chuangyou.projects.models import Call, Proposal
from chuangyou.projects.models import Status as ProposalStatus

# The choice lists below copy the models' TextChoices: api/tests/test_schema_choices.py checks each against
# its model, so a choice added to a model and not here fails the suite.
DecisionName = Literal["funded", "not_funded"]


class CallOut(Schema):
    id: int
    title: str
    semester: str
    opens_on: dt.date
    closes_on: dt.date
    budget: Decimal
    per_project_cap: Decimal | None
    rules: str
    min_panel_size: int
    review_opened_at: dt.datetime | None
    granted: Decimal
    remaining: Decimal

    @staticmethod
    def resolve_granted(obj: Call) -> Decimal:
        return services.granted_total(obj)

    @staticmethod
    def resolve_remaining(obj: Call) -> Decimal:
        return obj.budget - services.granted_total(obj)


class CallIn(Schema):
    title: str
    semester: str
    opens_on: dt.date
    closes_on: dt.date
    budget: Annotated[Decimal, Digits(12, 2)]
    per_project_cap: Annotated[Decimal, Digits(12, 2)] | None = None
    rules: str = ""
    min_panel_size: int | None = None


class CallPatch(Schema):
    title: str = Omitted()
    semester: str = Omitted()
    opens_on: dt.date = Omitted()
    closes_on: dt.date = Omitted()
    budget: Annotated[Decimal, Digits(12, 2)] = Omitted()
    per_project_cap: Annotated[Decimal, Digits(12, 2)] | None = None
    rules: str = Omitted()
    min_panel_size: int | None = None


class PanelMemberOut(Schema):
    staff_id: int
    name: str = Field(alias="staff.name")


class PanelIn(Schema):
    staff_ids: list[int]


class RecusalOut(Schema):
    proposal_id: int
    proposal_title: str = Field(alias="proposal.title")
    staff_id: int
    staff_name: str = Field(alias="staff.name")
    reason: str
    recorded_at: dt.datetime


class TeamMemberOut(Schema):
    student_id: int
    student_no: str = Field(alias="student.student_no")
    name: str = Field(alias="student.name")
    is_lead: bool


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    uploaded_at: dt.datetime


class ProposalOut(Schema):
    id: int
    call_id: int
    title: str
    abstract: str
    plan: str
    budget_request: Decimal
    advisor_id: int
    advisor_name: str = Field(alias="advisor.name")
    status: ProposalStatus
    submitted_at: dt.datetime | None
    decided_on: dt.date | None
    amount_granted: Decimal | None
    panel_rank: int | None
    panel_total: Decimal | None
    team: list[TeamMemberOut]

    @staticmethod
    def resolve_team(obj: Proposal) -> list[Any]:
        return list(obj.team.all())


class TransitionOut(Schema):
    from_status: str
    to_status: ProposalStatus
    by: str = Field(alias="by_label")
    reason: str
    at: dt.datetime


class ProposalDetailOut(ProposalOut):
    attachments: list[AttachmentOut]
    history: list[TransitionOut]

    @staticmethod
    def resolve_attachments(obj: Proposal) -> list[Any]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_history(obj: Proposal) -> list[Any]:
        return list(obj.transitions.all())


class ProposalIn(Schema):
    title: str
    abstract: str
    plan: str
    budget_request: Annotated[Decimal, Digits(12, 2)]
    advisor_id: int
    member_student_nos: list[str] = []


class ProposalPatch(Schema):
    title: str = Omitted()
    abstract: str = Omitted()
    plan: str = Omitted()
    budget_request: Annotated[Decimal, Digits(12, 2)] = Omitted()
    advisor_id: int = Omitted()
    member_student_nos: list[str] = Omitted()


class FundingDecisionIn(Schema):
    decision: DecisionName
    amount: Annotated[Decimal, Digits(12, 2)] | None = None
    rank: int | None = None
    total: Annotated[Decimal, Digits(7, 2)] | None = None
    reason: str
