"""统计与文稿: the input and output schemas of `chuangyou.api.routers.reports`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class ClassStatsOut(Schema):
    class_id: int
    name: str
    students: int
    taking_part: int
    practice_expected: int
    practice_submitted: int
    practice_on_time: int
    hours: Decimal


class FactsOut(Schema):
    school: str
    year: int
    as_of: dt.datetime
    activities_published: int
    activities_held: int
    students_taking_part: int
    students_total: int
    staff_taking_part: int
    staff_total: int
    person_times: int
    practice_sets: int
    practice_expected: int
    practice_on_time: int
    volunteer_hours: Decimal
    commitment_items: int
    commitments_fulfilled: int
    commitments_overdue: int
    evaluations_held: int
    evaluation_entitled: int
    evaluation_returned: int
    photos: int
    tasks_overdue: int
    classes: list[ClassStatsOut]


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    state: str
    created_at: dt.datetime


class BriefingIn(Schema):
    """The page's form: the same limits."""

    title: str = Field("创先争优工作简报", min_length=1, max_length=60)
    period_start: dt.date
    period_end: dt.date
    is_supplement: bool = False  # 增刊, numbered apart from the regular issues
    to_report: str = Field("", max_length=200)  # 报
    to_send: str = Field("", max_length=200)  # 送
    to_issue: str = Field("", max_length=200)  # 发


class BriefingOut(Schema):
    id: int
    year: int
    number: int
    is_supplement: bool
    label: str
    title: str
    issuer: str
    issued_on: dt.date
    period_start: dt.date
    period_end: dt.date
    distribution: dict[str, str]
    document: DocumentOut


class PersonalOut(Schema):
    name: str
    class_name: str
    activities: list[str]
    hours: Decimal
    practice_expected: int
    practice_on_time: int
    honors: list[str]
