"""The participation record (参与档案): the input and output schemas of `chuangyou.api.routers.records`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal

from ninja import Schema


class LineOut(Schema):
    section: str
    on: dt.date | None
    title: str
    detail: str
    hours: Decimal | None


class RecordOut(Schema):
    name: str
    subtitle: str
    hours: Decimal
    lines: list[LineOut]


class ClassRecordOut(Schema):
    student_id: int
    student_no: str
    record: RecordOut
