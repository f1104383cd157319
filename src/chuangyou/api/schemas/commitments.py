"""公开承诺: the input and output schemas of `chuangyou.api.routers.commitments`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from typing import Literal

from ninja import Schema

from chuangyou.api.types import Omitted
from chuangyou.commitments.models import Category, Commitment, Item, ItemVersion, ProgressReport

# The choice lists below copy the models' TextChoices: api/tests/test_schema_choices.py checks each against
# its model, so a choice added to a model and not here fails the suite.
FulfilmentName = Literal["pending", "fulfilled", "not_fulfilled"]
CommitmentStatusName = Literal["draft", "submitted", "returned", "published"]


class ItemOut(Schema):
    id: int
    category: Category
    content: str
    measures: str
    deadline: dt.date
    version: int
    times_revised: int
    fulfilment: FulfilmentName
    fulfilment_reason: str


class CommitmentOut(Schema):
    id: int
    campaign_year: int
    owner_kind: Literal["branch", "staff"]
    owner_id: int
    owner_name: str
    status: CommitmentStatusName
    return_reason: str
    published_at: dt.datetime | None
    last_progress_on: dt.date | None
    filed_on: dt.date | None

    @staticmethod
    def resolve_campaign_year(obj: Commitment) -> int:
        return obj.campaign.year

    @staticmethod
    def resolve_owner_kind(obj: Commitment) -> str:
        return "branch" if obj.is_branch else "staff"

    @staticmethod
    def resolve_owner_id(obj: Commitment) -> int | None:
        return obj.owner_branch_id or obj.owner_staff_id

    @staticmethod
    def resolve_filed_on(obj: Commitment) -> dt.date | None:
        filing = getattr(obj, "filing", None)
        return filing.filed_on if filing else None


class CommitmentDetailOut(CommitmentOut):
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Commitment) -> list[Item]:
        return list(Item.objects.filter(commitment=obj).order_by("pk"))


class DeclareIn(Schema):
    year: int | None = None
    branch_id: int | None = None


class ItemIn(Schema):
    category: Category
    content: str
    measures: str
    deadline: dt.date


class ItemPatch(Schema):
    category: Category = Omitted()
    content: str = Omitted()
    measures: str = Omitted()
    deadline: dt.date = Omitted()


class RevisionIn(ItemPatch):
    reason: str


class ReasonIn(Schema):
    reason: str


class FulfilmentIn(Schema):
    fulfilled: bool
    reason: str = ""


class VersionOut(Schema):
    number: int
    category: Category
    content: str
    measures: str
    deadline: dt.date
    reason: str
    changed_by: str
    changed_at: dt.datetime

    @staticmethod
    def resolve_changed_by(obj: ItemVersion) -> str:
        return obj.changed_by_label


class ProgressEvidenceOut(Schema):
    id: int
    name: str


class ProgressOut(Schema):
    id: int
    item_id: int
    text: str
    reported_on: dt.date
    evidence: list[ProgressEvidenceOut]

    @staticmethod
    def resolve_evidence(obj: ProgressReport) -> list[ProgressEvidenceOut]:
        return [ProgressEvidenceOut(id=e.pk, name=e.name) for e in obj.evidence.all()]


class FilingOut(Schema):
    id: int
    school_code: str
    commitment_id: int
    owner_name: str
    filed_on: dt.date
    filed_by: str
    item_count: int

    @staticmethod
    def resolve_school_code(obj: object) -> str:
        return obj.school.code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_owner_name(obj: object) -> str:
        return obj.commitment.owner_name  # type: ignore[attr-defined]

    @staticmethod
    def resolve_filed_by(obj: object) -> str:
        return obj.filed_by_label  # type: ignore[attr-defined]


class SchoolFilingsOut(Schema):
    school_code: str
    school_name: str
    filings: int
    items: int
    last_filed_on: dt.date | None


class OverdueOut(Schema):
    commitment_id: int
    owner_name: str
    published_at: dt.datetime | None
    last_progress_on: dt.date | None


class PastDeadlineOut(Schema):
    item_id: int
    commitment_id: int
    owner_name: str
    content: str
    deadline: dt.date


class FollowUpOut(Schema):
    interval_days: int
    overdue_progress: list[OverdueOut]
    past_deadline: list[PastDeadlineOut]


class CommitmentSettingsOut(Schema):
    person_min_items: int
    person_max_items: int
    branch_min_items: int
    progress_interval_days: int


class BoardItemOut(Schema):
    id: int
    category: Category
    content: str
    measures: str
    deadline: dt.date
    times_revised: int
    fulfilment: FulfilmentName
    fulfilment_reason: str
    last_report_on: dt.date | None
    evidence_count: int


class BoardOwnerOut(Schema):
    commitment_id: int
    owner_kind: Literal["branch", "staff"]
    owner_name: str
    published_at: dt.datetime | None
    last_report_on: dt.date | None
    items: list[BoardItemOut]


class BoardOut(Schema):
    school_name: str
    campaign_title: str | None
    owners: list[BoardOwnerOut]
