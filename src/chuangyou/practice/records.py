"""每周一练 in the participation record: one line per published set given to the student's class,
with 按时 / 迟交 / 未交 and the score. Two queries for any number of students."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.org.models import Student
from chuangyou.practice.models import SetClass, SetStatus, Submission
from chuangyou.records.lines import RecordLine

SECTION = "每周一练"


def _detail(submission: Submission | None, *, past_deadline: bool) -> str:
    if submission is None or submission.submitted_at is None:
        return gettext("未交") if past_deadline else gettext("未完成")
    state = gettext("迟交") if submission.is_late else gettext("按时")
    if submission.ungraded:
        return gettext("%(state)s · 待批改") % {"state": state}
    return gettext("%(state)s · %(score)s 分") % {"state": state, "score": submission.score}


def lines_for_students(student_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    students = {
        s.pk: s for s in Student.objects.filter(pk__in=student_ids).only("pk", "school_class_id", "school_id")
    }
    given = (
        SetClass.objects.filter(
            school_class_id__in={s.school_class_id for s in students.values()},
            exercise_set__status=SetStatus.PUBLISHED,
        )
        .select_related("exercise_set__school")
        .order_by("exercise_set__week", "exercise_set__subject", "exercise_set_id")
    )
    submissions = {
        (s.exercise_set_id, s.student_id): s
        for s in Submission.objects.filter(student_id__in=students.keys())
    }
    sets_by_class = defaultdict(list)
    for link in given:
        sets_by_class[link.school_class_id].append(link.exercise_set)
    now = timezone.now()
    out: dict[int, list[RecordLine]] = {pk: [] for pk in student_ids}
    for student in students.values():
        for exercise_set in sets_by_class[student.school_class_id]:
            url = reverse("practice:detail", args=[exercise_set.school.code, exercise_set.pk])
            out[student.pk].append(
                RecordLine(
                    section=SECTION,
                    on=exercise_set.week,
                    title=f"{exercise_set.subject} · {exercise_set.title}",
                    detail=_detail(
                        submissions.get((exercise_set.pk, student.pk)),
                        past_deadline=exercise_set.is_past_deadline(now),
                    ),
                    url=url,
                )
            )
    return out


def lines_for_staff(staff_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    """Teachers don't answer weekly practice; what they set is not their participation."""
    return {pk: [] for pk in staff_ids}
