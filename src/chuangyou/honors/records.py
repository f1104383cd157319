"""成绩与获奖 lines of the per-person record: every honor issued to the person, and long-term
recognitions. One query per kind, however many people are asked for (records.lines contract)."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse
from django.utils.translation import gettext

from chuangyou.honors.models import Honor, LongTermRecognition
from chuangyou.records.lines import RecordLine

SECTION = "成绩与获奖"


def _line(h: Honor) -> RecordLine:
    detail = gettext("%(level)s级 · %(year)s 年度 · 证书 %(number)s") % {
        "level": h.award_type.get_level_display(),
        "year": h.year,
        "number": h.number,
    }
    if h.revoked_on is not None:
        detail += gettext(" · 已撤销：%(reason)s") % {"reason": h.revoked_reason}
    url = reverse("honors:certificate", args=[h.school.code, h.pk])
    return RecordLine(section=SECTION, on=h.issued_on, title=h.award_type.name, detail=detail, url=url)


def _honors(**person: Collection[int]) -> list[Honor]:
    return list(
        Honor.objects.filter(**person).select_related("award_type", "school").order_by("issued_on", "pk")
    )


def lines_for_students(student_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    lines: dict[int, list[RecordLine]] = {i: [] for i in student_ids}
    for h in _honors(student_id__in=student_ids):
        if h.student_id is not None:
            lines[h.student_id].append(_line(h))
    recognitions = LongTermRecognition.objects.filter(student_id__in=student_ids).select_related("rule")
    for r in recognitions:
        lines[r.student_id].append(
            RecordLine(
                section=SECTION,
                on=r.confirmed_on,
                title=r.rule.title,
                detail=gettext("%(years)s 连续获奖") % {"years": r.years_text},
            )
        )
    return lines


def lines_for_staff(staff_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    lines: dict[int, list[RecordLine]] = {i: [] for i in staff_ids}
    for h in _honors(staff_id__in=staff_ids):
        if h.staff_id is not None:
            lines[h.staff_id].append(_line(h))
    return lines
