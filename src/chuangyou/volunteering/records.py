"""志愿服务 lines of the per-person record: each certified claim with its hours, and each milestone
on the day the hours reached it. Three queries whatever the number of people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from chuangyou.records.lines import RecordLine
from chuangyou.volunteering.models import Claim, ClaimStatus, VolunteerSettings
from chuangyou.volunteering.models import default_milestones as _default_milestones

SECTION = "志愿服务"


def _milestones_by_school(school_ids: Iterable[int]) -> dict[int, list[int]]:
    ids = set(school_ids)
    found = dict(VolunteerSettings.objects.filter(school_id__in=ids).values_list("school_id", "milestones"))
    return {school_id: sorted(found.get(school_id) or _default_milestones()) for school_id in ids}


def _lines(claims: list[Claim], owner: str, ids: Collection[int]) -> dict[int, list[RecordLine]]:
    milestones = _milestones_by_school(c.school_id for c in claims)
    lines: dict[int, list[RecordLine]] = {i: [] for i in ids}
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for claim in claims:  # in date order, so a milestone is dated by the claim that crossed it
        person = getattr(claim, f"{owner}_id")
        before = totals[person]
        totals[person] = after = before + claim.hours
        url = reverse("volunteering:claim", args=[claim.school.code, claim.pk])
        lines[person].append(
            RecordLine(
                section=SECTION,
                on=claim.served_on,
                title=f"{claim.service}（{claim.organization}）",
                detail=gettext("已认证 %(hours)s 小时 · 组织者 %(organizer)s")
                % {"hours": format(claim.hours.normalize(), "f"), "organizer": claim.organizer.name},
                hours=claim.hours,
                url=url,
            )
        )
        for mark in milestones[claim.school_id]:
            if before < mark <= after:
                lines[person].append(
                    RecordLine(
                        section=SECTION,
                        on=claim.served_on,
                        title=gettext("志愿服务累计 %(mark)s 小时") % {"mark": mark},
                        detail=gettext("里程碑"),
                    )
                )
    return lines


def _approved() -> QuerySet[Claim]:
    return (
        Claim.objects.filter(status=ClaimStatus.APPROVED)
        .select_related("organizer", "school")
        .order_by("served_on", "pk")
    )


def lines_for_students(student_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    claims = list(_approved().filter(student_id__in=student_ids))
    return _lines(claims, "student", student_ids)


def lines_for_staff(staff_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    claims = list(_approved().filter(staff_id__in=staff_ids))
    return _lines(claims, "staff", staff_ids)
