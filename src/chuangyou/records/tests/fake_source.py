"""A record source for the aggregator's tests: one query per batch, like a real one should be."""

import datetime as dt
from collections.abc import Collection
from decimal import Decimal

from chuangyou.org.models import Staff, Student
from chuangyou.records.lines import RecordLine


def lines_for_students(student_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    out: dict[int, list[RecordLine]] = {}
    for student in Student.objects.filter(pk__in=student_ids).only("pk", "name"):
        out[student.pk] = [
            RecordLine("活动", dt.date(2026, 10, 8), "秋季运动会", "已报名"),
            RecordLine(
                "志愿服务", dt.date(2026, 10, 20), "社区敬老院服务", "已认证 2.5 小时", Decimal("2.5")
            ),
            RecordLine("志愿服务", dt.date(2026, 11, 2), "图书馆整理", "已认证 1 小时", Decimal("1")),
        ]
    return out


def lines_for_staff(staff_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    return {
        s.pk: [RecordLine("公开承诺", dt.date(2026, 10, 1), "每周开放答疑两次", "进行中")]
        for s in Staff.objects.filter(pk__in=staff_ids).only("pk")
    }
