"""好书推荐 lines of the per-person record: each recommendation, and the award if it won. One query."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.books.models import Recommendation
from chuangyou.records.lines import RecordLine

SECTION = "好书推荐"


def lines_for_students(student_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    lines: dict[int, list[RecordLine]] = {i: [] for i in student_ids}
    rows = (
        Recommendation.objects.filter(student_id__in=student_ids)
        .select_related("award", "school")
        .order_by("month", "created_at", "pk")
    )
    for r in rows:
        award = getattr(r, "award", None)
        if award is not None:
            detail, on = (
                gettext("%(month)s好书推荐奖 第 %(rank)s 名")
                % {"month": format(award.month, gettext("%Y年%m月")), "rank": award.rank},
                timezone.localdate(award.decided_at),
            )
        else:
            detail = gettext("%(month)s推荐") % {"month": format(r.month, gettext("%Y年%m月"))}
            on = timezone.localdate(r.created_at)
        url = reverse("books:home", args=[r.school.code])
        lines[r.student_id].append(
            RecordLine(section=SECTION, on=on, title=f"《{r.title}》{r.author}", detail=detail, url=url)
        )
    return lines


def lines_for_staff(staff_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    """Teachers rate recommendations but do not recommend: nothing on their record from here."""
    return {i: [] for i in staff_ids}
