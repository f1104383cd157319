"""奖项、推荐、公示与异议: the input and output schemas of `chuangyou.api.routers.nominations`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Schema

from chuangyou.api.types import Digits, Omitted
from chuangyou.nominations.models import (
    AwardType,
    Decision,
    Gate,
    Nomination,
    Notice,
    Objection,
    ObjectionStep,
)

# The choice lists below copy the models' TextChoices: api/tests/test_schema_choices.py checks each against
# its model, so a choice added to a model and not here fails the suite.
LevelName = Literal["class", "grade", "school", "bureau"]
ForKind = Literal["student", "teacher", "party_member", "branch", "class", "team"]
GateKindName = Literal["min_prior_honors", "not_within_years", "min_volunteer_hours", "no_upheld_objection"]
SourceName = Literal["volunteer_hours", "funded_projects", "book_picks", "competition_prizes", "exam_firsts"]
StepName = Literal["accepted", "verifying", "upheld", "rejected", "deferred", "replied", "archived"]
QuotaKindName = Literal["count", "share"]
SchoolQuotaUnit = Literal["class", "grade", "school"]
BureauQuotaUnit = Literal["school", "bureau"]
ExamKindName = Literal["midterm", "final"]


class GateOut(Schema):
    id: int
    kind: str
    description: str
    params: dict[str, Any]

    @staticmethod
    def resolve_description(obj: Gate) -> str:
        return obj.get_kind_display()


class AwardTypeOut(Schema):
    id: int
    name: str
    code: str
    level: str
    for_kind: str
    quota_kind: str
    quota_value: Decimal
    quota_unit: str
    quota_text: str
    shortlist_ratio: Decimal
    prize: Decimal
    budget_line_id: int | None
    number_pattern: str
    certificate_reason: str
    is_active: bool
    proposal_source: str
    is_bureau_award: bool
    gates: list[GateOut]

    @staticmethod
    def resolve_is_bureau_award(obj: AwardType) -> bool:
        return obj.bureau_id is not None

    @staticmethod
    def resolve_gates(obj: AwardType) -> list[Gate]:
        return list(obj.gates.all())


class AwardTypeIn(Schema):
    name: str
    code: str
    level: LevelName = "school"
    for_kind: ForKind = "student"
    quota_kind: QuotaKindName = "count"
    quota_value: Annotated[Decimal, Digits(6, 3)]
    quota_unit: SchoolQuotaUnit = "school"
    shortlist_ratio: Annotated[Decimal, Digits(4, 2)] = Decimal("1.20")
    prize: Annotated[Decimal, Digits(10, 2)] = Decimal(0)
    budget_line_id: int | None = None
    number_pattern: str = "{year}{school}{award}{serial:04d}"
    certificate_reason: str = "在创先争优活动中表现突出，特授予此荣誉，以资鼓励。"
    is_active: bool = True
    proposal_source: SourceName | Literal[""] = ""


class AwardTypePatch(Schema):
    name: str = Omitted()
    code: str = Omitted()
    level: LevelName = Omitted()
    for_kind: ForKind = Omitted()
    quota_kind: QuotaKindName = Omitted()
    quota_value: Annotated[Decimal, Digits(6, 3)] = Omitted()
    quota_unit: SchoolQuotaUnit = Omitted()
    shortlist_ratio: Annotated[Decimal, Digits(4, 2)] = Omitted()
    prize: Annotated[Decimal, Digits(10, 2)] = Omitted()
    budget_line_id: int | None = None
    number_pattern: str = Omitted()
    certificate_reason: str = Omitted()
    is_active: bool = Omitted()
    proposal_source: SourceName | Literal[""] = Omitted()


class GateIn(Schema):
    kind: GateKindName
    params: dict[str, Any] = {}


class PresetsIn(Schema):
    budget_line_id: int | None = None


class DecisionOut(Schema):
    level: str
    outcome: str
    reason: str
    by_label: str
    at: dt.datetime


class NominationOut(Schema):
    id: int
    award_type_id: int
    award_name: str
    campaign_year: int
    kind: str
    student_id: int | None
    staff_id: int | None
    school_class_id: int | None
    nominee_name: str
    unit: str
    level: str
    status: str
    score: Decimal | None
    notice_id: int | None
    removal_note: str
    created_at: dt.datetime

    @staticmethod
    def resolve_award_name(obj: Nomination) -> str:
        return obj.award_type.name

    @staticmethod
    def resolve_campaign_year(obj: Nomination) -> int:
        return obj.campaign.year


class NominationDetailOut(NominationOut):
    story: str
    evidence: list[dict[str, Any]]
    frozen: bool
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_frozen(obj: Nomination) -> bool:
        return obj.notice_running(timezone.localdate())

    @staticmethod
    def resolve_decisions(obj: Nomination) -> list[Decision]:
        return list(obj.decisions.all())


class NominationIn(Schema):
    award_type_id: int
    year: int
    student_id: int | None = None
    staff_id: int | None = None
    class_id: int | None = None
    story: str
    evidence: list[dict[str, str]] = []
    reason: str = ""


class NominationPatch(Schema):
    story: str
    evidence: list[dict[str, str]] = Omitted()


class StepReasonIn(Schema):
    reason: str = ""


class ScoreIn(Schema):
    score: Annotated[Decimal, Digits(7, 2)]
    reason: str


class NoticeRowOut(Schema):
    nomination_id: int
    nominee_name: str
    unit: str
    award_name: str
    status: str


class NoticeOut(Schema):
    id: int
    campaign_year: int
    title: str
    basis: str
    starts_on: dt.date
    working_days: int
    ends_on: dt.date
    office: str
    phone: str
    address: str
    state: Literal["upcoming", "running", "ended"]
    published_at: dt.datetime

    @staticmethod
    def resolve_campaign_year(obj: Notice) -> int:
        return obj.notice_year

    @staticmethod
    def resolve_state(obj: Notice) -> str:
        return obj.state_on(timezone.localdate())


class NoticeDetailOut(NoticeOut):
    rows: list[NoticeRowOut]

    @staticmethod
    def resolve_rows(obj: Notice) -> list[dict[str, Any]]:
        return [
            {
                "nomination_id": n.pk,
                "nominee_name": n.nominee_name,
                "unit": n.unit,
                "award_name": n.award_type.name,
                "status": n.status,
            }
            for n in obj.nominations.select_related("award_type").order_by("pk")
        ]


class NoticeIn(Schema):
    year: int
    title: str
    basis: str
    starts_on: dt.date
    working_days: int = 5
    office: str
    phone: str
    address: str
    nomination_ids: list[int]


class StepOut(Schema):
    to_status: str
    note: str
    by_label: str
    at: dt.datetime


class ObjectionOut(Schema):
    id: int
    notice_id: int
    nomination_id: int
    nominee_name: str
    is_anonymous: bool
    name: str
    phone: str
    organization: str
    grounds: str
    has_evidence: bool
    status: str
    outcome: str
    due_on: dt.date
    deferred_until: dt.date | None
    reply: str
    filed_at: dt.datetime
    steps: list[StepOut]

    @staticmethod
    def resolve_nominee_name(obj: Objection) -> str:
        return obj.nomination.nominee_name

    @staticmethod
    def resolve_has_evidence(obj: Objection) -> bool:
        return bool(obj.evidence)

    @staticmethod
    def resolve_steps(obj: Objection) -> list[ObjectionStep]:
        return list(obj.steps.all())


class StepIn(Schema):
    to_status: StepName
    note: str = ""
    reply: str = ""
    deferred_until: dt.date | None = None


class NomineeProposalOut(Schema):
    student_id: int
    student_name: str
    class_name: str
    reasons: list[str]
    evidence: list[dict[str, str]]


class ExamOut(Schema):
    id: int
    year: int
    term: str
    kind: str
    file_name: str
    rows: int
    imported_at: dt.datetime


# --- the bureau's side (`bureau_router`) ---------------------------------------------------------


class BureauAwardTypeIn(Schema):
    name: str
    code: str
    for_kind: ForKind = "student"
    quota_kind: QuotaKindName = "count"
    quota_value: Annotated[Decimal, Digits(6, 3)]
    quota_unit: BureauQuotaUnit = "bureau"
    school_send_quota: int | None = None
    shortlist_ratio: Annotated[Decimal, Digits(4, 2)] = Decimal("1.20")
    number_pattern: str = "{year}{bureau}{award}{serial:04d}"
    certificate_reason: str = "在创先争优活动中表现突出，特授予此荣誉，以资鼓励。"
    is_active: bool = True


class BureauAwardTypePatch(Schema):
    name: str = Omitted()
    code: str = Omitted()
    for_kind: ForKind = Omitted()
    quota_kind: QuotaKindName = Omitted()
    quota_value: Annotated[Decimal, Digits(6, 3)] = Omitted()
    quota_unit: BureauQuotaUnit = Omitted()
    school_send_quota: int | None = None
    shortlist_ratio: Annotated[Decimal, Digits(4, 2)] = Omitted()
    number_pattern: str = Omitted()
    certificate_reason: str = Omitted()
    is_active: bool = Omitted()


class BureauAwardTypeOut(AwardTypeOut):
    school_send_quota: int | None


class RankOut(Schema):
    rank: int
    nomination_id: int
    nominee_name: str
    unit: str
    school_code: str
    school_name: str
    score: Decimal | None
    status: str
    decided_by: str
    decided_at: dt.datetime | None
    decision: str
    reason: str


class BureauNoticeIn(Schema):
    year: int
    title: str
    basis: str
    starts_on: dt.date
    working_days: int = 5
    office: str
    phone: str
    address: str
    nomination_ids: list[int]


class BureauObjectionOut(ObjectionOut):
    school_code: str

    @staticmethod
    def resolve_school_code(obj: Objection) -> str:
        return obj.school.code


class IssuedOut(Schema):
    id: int
    number: str
    name: str
    unit: str
    school_code: str

    @staticmethod
    def resolve_school_code(obj: Any) -> str:
        return str(obj.school.code)
