"""工作台 entries of the plan: the 分工 tasks this person owns that are past their deadline (see
org.todos). Only for those who may open the plan's task list."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.campaigns.models import Assignment
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, can_read_school
from chuangyou.org.todos import Todo, end_of, provides


@provides
def overdue_tasks(actor: Actor, school: School) -> Iterator[Todo]:
    if actor.user is None or not can_read_school(actor, school):
        return
    today = timezone.localdate()
    mine = Assignment.objects.filter(
        campaign__school=school, owner__user=actor.user, done_on__isnull=True, deadline__lt=today
    ).select_related("campaign")
    for task in mine.order_by("deadline", "pk"):
        yield Todo(
            kind="task",
            title=gettext("逾期任务：%(title)s") % {"title": task.title},
            url=reverse("campaigns:assignments", args=[school.code, task.campaign.year]) + "?status=overdue",
            due=end_of(task.deadline),
        )
