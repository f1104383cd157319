"""A weekly set with one question of each kind, built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from chuangyou.org.models import SchoolClass
from chuangyou.org.rules import actor_for
from chuangyou.practice import services
from chuangyou.practice.models import ExerciseSet, Question
from chuangyou.testing import World


def this_monday() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def make_set(
    world: World,
    *,
    classes: list[SchoolClass] | None = None,
    deadline: dt.datetime | None = None,
    week: dt.date | None = None,
    publish: bool = True,
    title: str = "一元一次方程",
) -> ExerciseSet:
    """tian's 数学 set for class_1: single (B, 2 分), multiple (AC, 3 分), fill (x=2 or 2, 2 分,
    case-insensitive), open (5 分). 12 points in all."""
    actor = actor_for(world.tian)
    monday = week or this_monday()
    exercise_set = services.create_set(
        actor=actor,
        school=world.school,
        title=title,
        subject="数学",
        week=monday,
        deadline=deadline or timezone.now() + dt.timedelta(days=3),
        classes=classes or [world.class_1],
    )
    services.add_question(
        actor=actor, exercise_set=exercise_set, kind="single", prompt="1+1=?", points=Decimal(2),
        choices=["1", "2", "3"], correct=[1],
    )  # fmt: skip
    services.add_question(
        actor=actor, exercise_set=exercise_set, kind="multiple", prompt="哪些是偶数？", points=Decimal(3),
        choices=["2", "3", "4"], correct=[0, 2],
    )  # fmt: skip
    services.add_question(
        actor=actor, exercise_set=exercise_set, kind="fill", prompt="x+1=3，x=?", points=Decimal(2),
        accepted=["x=2", "2"], ignore_case=True,
    )  # fmt: skip
    services.add_question(
        actor=actor, exercise_set=exercise_set, kind="open", prompt="说说你的解题思路。", points=Decimal(5)
    )
    if publish:
        services.publish_set(actor=actor, exercise_set=exercise_set)
    return ExerciseSet.objects.select_related("author", "school").get(pk=exercise_set.pk)


def questions(exercise_set: ExerciseSet) -> list[Question]:
    return list(Question.objects.filter(exercise_set=exercise_set).order_by("order"))
