"""工作台 entries of 推荐与公示: the objections the supervision group must handle (see org.todos)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext

from chuangyou.nominations.models import Objection, ObjectionStatus
from chuangyou.nominations.rules import can_handle_objections
from chuangyou.org.models import School
from chuangyou.org.rules import Actor
from chuangyou.org.todos import Todo, end_of, provides


@provides
def objections_to_handle(actor: Actor, school: School) -> Iterator[Todo]:
    if not can_handle_objections(actor, school) or actor.system:
        return
    waiting = (
        Objection.objects.filter(school=school, notice__school=school)
        .exclude(status=ObjectionStatus.ARCHIVED)
        .select_related("nomination")
        .order_by("due_on", "pk")
    )
    for o in waiting:
        yield Todo(
            kind="objection",
            title=gettext("办理异议 #%(n)s：%(nominee)s") % {"n": o.pk, "nominee": o.nomination.nominee_name},
            url=reverse("nominations:objection", args=[school.code, o.pk]),
            due=end_of(o.due_on) if o.due_on else None,
            note=o.get_status_display(),
        )
