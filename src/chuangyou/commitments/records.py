"""公开承诺 lines for the participation record (records/lines.py): one line per published item a
staff member committed to, with its category and where it stands. Students make no commitments."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.commitments.models import Fulfilment, Item, Status
from chuangyou.records.lines import RecordLine

SECTION = "公开承诺"


def lines_for_students(student_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    return {}


def lines_for_staff(staff_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    """One query for any number of people."""
    items = (
        Item.objects.filter(commitment__owner_staff_id__in=staff_ids, commitment__status=Status.PUBLISHED)
        .select_related("commitment__school")
        .order_by("commitment__published_at", "pk")
    )
    lines: dict[int, list[RecordLine]] = {}
    for item in items:
        commitment = item.commitment
        assert commitment.owner_staff_id is not None
        assert commitment.published_at is not None
        parts = [item.get_category_display(), item.get_fulfilment_display()]
        if item.fulfilment == Fulfilment.NOT_FULFILLED:
            parts.append(item.fulfilment_reason)
        if item.times_revised:
            parts.append(gettext("已修改 %(times)s 次") % {"times": item.times_revised})
        lines.setdefault(commitment.owner_staff_id, []).append(
            RecordLine(
                section=SECTION,
                on=timezone.localdate(commitment.published_at),
                title=item.content[:80],
                detail=" · ".join(str(p) for p in parts),
                url=reverse("commitments:detail", args=[commitment.school.code, commitment.pk]),
            )
        )
    return lines
