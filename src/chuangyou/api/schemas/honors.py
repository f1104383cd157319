"""表彰, certificates, the prize ledger and the honor roll:
the input and output schemas of `chuangyou.api.routers.honors`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Schema

from chuangyou.api.types import Digits
from chuangyou.honors.models import CertificateBatch, Honor


class HonorOut(Schema):
    id: int
    number: str
    serial: int
    year: int
    name: str
    unit: str
    award_type_id: int
    award_name: str
    level: str
    nomination_id: int
    student_id: int | None
    staff_id: int | None
    issued_on: dt.date
    citation: str
    revoked_on: dt.date | None
    revoked_reason: str
    certificate_url: str

    @staticmethod
    def resolve_award_name(obj: Honor) -> str:
        return obj.award_type.name

    @staticmethod
    def resolve_level(obj: Honor) -> str:
        return obj.award_type.level

    @staticmethod
    def resolve_certificate_url(obj: Honor) -> str:
        return reverse("api:honor_certificate", kwargs={"code": obj.school.code, "honor_id": obj.pk})


class RevokeIn(Schema):
    reason: str


class LedgerLineOut(Schema):
    line_id: int
    name: str
    budget: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal


class BudgetIn(Schema):
    amount: Annotated[Decimal, Digits(12, 2)]


class BudgetOut(Schema):
    line_id: int
    amount: Decimal


class PaidIn(Schema):
    paid_on: dt.date


class PayableOut(Schema):
    id: int
    honor_id: int
    amount: Decimal
    paid_on: dt.date | None
    cancelled: bool


class BatchIn(Schema):
    as_zip: bool = False


class BatchOut(Schema):
    id: int
    notice_id: int
    as_zip: bool
    status: str
    done: int
    total: int
    percent: int
    ready: bool
    error: str

    @staticmethod
    def resolve_ready(obj: CertificateBatch) -> bool:
        return bool(obj.file)


class VerifyOut(Schema):
    verdict: Literal["genuine", "revoked", "not_found"]
    number: str | None = None
    name: str | None = None
    unit: str | None = None
    award: str | None = None
    issued_on: dt.date | None = None
    revoked_on: dt.date | None = None
    revoked_reason: str | None = None


class RollHonorOut(Schema):
    name: str
    unit: str
    citation: str
    has_photo: bool


class RollAwardOut(Schema):
    award: str
    honors: list[RollHonorOut]


class RollOut(Schema):
    school: str
    year: int
    awards: list[RollAwardOut]
