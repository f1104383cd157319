"""The participation record's sections 活动 and 成绩与获奖 (see records/lines.py for the contract).

Each function runs a fixed number of queries however many people it is given."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.activities.models import ExternalAward, Registration, RegStatus, TeamMember
from chuangyou.records.lines import RecordLine


def _url(registration: Registration) -> str:
    activity = registration.activity
    return reverse("activities:detail", args=[activity.school.code, activity.pk])


def _lines(registration: Registration) -> list[RecordLine]:
    activity = registration.activity
    on = timezone.localtime(activity.starts_at).date()
    form = (
        gettext("团队：%(team)s") % {"team": registration.team_name}
        if registration.team_name
        else gettext("个人")
    )
    detail = f"{activity.get_kind_display()} · {form}"
    url = _url(registration)
    lines = [RecordLine(section="活动", on=on, title=activity.title, detail=detail, url=url)]
    result = getattr(registration, "result", None)
    if result is not None:
        lines.append(
            RecordLine(section="成绩与获奖", on=on, title=activity.title, detail=result.summary(), url=url)
        )
    return lines


def _registrations(key: str, ids: Collection[int]) -> list[tuple[int, Registration]]:
    """(person id, registration) for confirmed places held as captain or as a team member: two queries."""
    related = ("activity__school", "result")
    own = Registration.objects.filter(status=RegStatus.CONFIRMED, **{f"{key}_id__in": ids}).select_related(
        *related
    )
    pairs = [(getattr(r, f"{key}_id"), r) for r in own]
    members = TeamMember.objects.filter(
        registration__status=RegStatus.CONFIRMED, **{f"{key}_id__in": ids}
    ).select_related(*(f"registration__{name}" for name in related))
    pairs += [(getattr(m, f"{key}_id"), m.registration) for m in members]
    return pairs


def _collect(key: str, ids: Collection[int]) -> dict[int, list[RecordLine]]:
    found: dict[int, list[RecordLine]] = {}
    for person_id, registration in _registrations(key, ids):
        found.setdefault(person_id, []).extend(_lines(registration))
    return found


def lines_for_students(student_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    found = _collect("student", student_ids)
    for prize in ExternalAward.objects.filter(student_id__in=student_ids):
        parts = [str(prize.get_level_display())]
        if prize.award:
            parts.append(str(prize.get_award_display()))
        if prize.rank is not None:
            parts.append(gettext("第%(rank)s名") % {"rank": prize.rank})
        found.setdefault(prize.student_id, []).append(
            RecordLine(
                section="成绩与获奖", on=prize.awarded_on, title=prize.competition, detail=" · ".join(parts)
            )
        )
    for lines in found.values():
        lines.sort(key=lambda line: (line.on is None, line.on), reverse=True)
    return found


def lines_for_staff(staff_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    found = _collect("staff", staff_ids)
    for lines in found.values():
        lines.sort(key=lambda line: (line.on is None, line.on), reverse=True)
    return found
