"""工作台 entries of 每周一练: sets a student has yet to hand in, and, for a parent, each child's (see
org.todos)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.org.models import School, Student
from chuangyou.org.rules import Actor
from chuangyou.org.todos import Todo, provides
from chuangyou.practice import selectors


@provides
def practice_due(actor: Actor, school: School) -> Iterator[Todo]:
    ids = {actor.own_student_id} | set(actor.child_student_ids)
    students = Student.objects.filter(pk__in=[i for i in ids if i], school=school)
    now = timezone.now()
    for student in students:
        own = student.pk == actor.own_student_id
        for exercise_set in selectors.sets_for_student(student).filter(deadline__gte=now):
            if exercise_set.my_submitted_at is not None:  # type: ignore[attr-defined]
                continue
            title = exercise_set.title
            yield Todo(
                kind="practice",
                title=gettext("完成每周一练「%(title)s」") % {"title": title}
                if own
                else gettext("提醒%(name)s完成每周一练「%(title)s」")
                % {"name": student.name, "title": title},
                url=reverse("practice:detail", args=[school.code, exercise_set.pk]),
                due=exercise_set.deadline,
                note=exercise_set.subject,
            )
