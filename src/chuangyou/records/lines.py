"""The contract between the participation apps and the per-person record (参与档案).

Each app that records participation has a module `<app>/records.py` with two batch functions:

    def lines_for_students(student_ids: Collection[int]) -> dict[int, list[RecordLine]]
    def lines_for_staff(staff_ids: Collection[int]) -> dict[int, list[RecordLine]]

They take many people at once and run a fixed number of queries however many ids are given, so
the record page of one student and the export of a whole class cost the same number of queries.
Visibility is the caller's job: these functions are only called for people the viewer may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext_noop


@dataclass(frozen=True)
class RecordLine:
    section: str  # one of SECTIONS
    on: dt.date | None  # the day it happened or was decided
    title: str  # e.g. the activity's or book's title
    detail: str = ""  # e.g. "一等奖", "已认证 2.5 小时", "按时完成 · 92 分"
    hours: Decimal | None = None  # volunteer hours this line adds, if any
    url: str = ""  # the source page inside the office site, if there is one


# The sections are keys (kept in Chinese); pages show them through `{% trans section %}`.
SECTIONS = (
    gettext_noop("活动"),
    gettext_noop("成绩与获奖"),
    gettext_noop("志愿服务"),
    gettext_noop("每周一练"),
    gettext_noop("好书推荐"),
    gettext_noop("创新项目"),
    gettext_noop("公开承诺"),
)


class RecordSource(Protocol):
    def lines_for_students(self, student_ids: Collection[int]) -> dict[int, list[RecordLine]]: ...

    def lines_for_staff(self, staff_ids: Collection[int]) -> dict[int, list[RecordLine]]: ...


# Which sections of the participation record (SECTIONS above) are evidence for which
# dimension of the ready-made 综合素质 rubric. Activities span every kind (sport, art, practice…),
# so they stand beside three.
DIMENSION_SECTIONS: dict[str, tuple[str, ...]] = {
    "思想品德": ("志愿服务", "公开承诺"),
    "学业水平": ("成绩与获奖", "每周一练", "好书推荐", "创新项目"),
    "身心健康": ("活动",),
    "艺术素养": ("活动",),
    "社会实践": ("活动", "志愿服务", "创新项目"),
}
