"""The one-click 民主测评 presets: 师德标兵 of every teacher on the 五个模范, and 五星级 创评 of every
party branch on the 五个好. They need only the roster, so they live with the engine; the uses that
draw on another app (创新项目, 评诺, 综合素质评价) live in that app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.evaluations import services as engine
from chuangyou.evaluations.models import Evaluation, GroupKind, Source, SubjectType, Use
from chuangyou.evaluations.rules import can_manage_evaluation
from chuangyou.lib.errors import Invalid
from chuangyou.org.models import Role, School, Staff
from chuangyou.org.rules import Actor, require


def _preset_groups(
    actor: Actor, evaluation: Evaluation, groups: Sequence[tuple[str, str, str, dict[str, Any]]]
) -> None:
    for kind, name, source, extra in groups:
        engine.add_group(actor=actor, evaluation=evaluation, kind=kind, name=name, source=source, **extra)


def create_teacher_merit(
    *, actor: Actor, school: School, opens_at: dt.datetime, closes_at: dt.datetime
) -> Evaluation:
    """One click: 师德标兵 民主测评 of every teacher on the 五个模范, by peers, students, parents (by
    code) and the leading group, at equal weights (there is no national default)."""
    require(can_manage_evaluation(actor, school), engine.MANAGE_MESSAGE)
    with transaction.atomic():
        evaluation = engine.create_evaluation(
            actor=actor,
            school=school,
            title=f"{timezone.localdate().year}年师德标兵民主测评",
            subject_type=SubjectType.TEACHER,
            preset="five_models",
            opens_at=opens_at,
            closes_at=closes_at,
            use=Use.TEACHER_MERIT,
        )
        engine.add_subjects(actor=actor, evaluation=evaluation, specs=engine.roster_subjects(evaluation))
        _preset_groups(
            actor,
            evaluation,
            [
                (GroupKind.PEERS, "同事互评", Source.ROLE, {"role": Role.TEACHER}),
                (GroupKind.STUDENTS, "学生评议", Source.ROLE, {"role": Role.STUDENT}),
                (GroupKind.PARENTS, "家长评议", Source.CODES, {}),
                (GroupKind.LEADERS, "领导评议", Source.ROLE, {"role": Role.LEADING_GROUP}),
            ],
        )
    return evaluation


def create_five_star(
    *, actor: Actor, school: School, opens_at: dt.datetime, closes_at: dt.datetime
) -> Evaluation:
    """One click: 五星级 创评 of the school's branches on the 110-point scale with its star bands, by
    the party members, the staff (群众) and the leading group. A branch under a year old is listed
    as not rated."""
    require(can_manage_evaluation(actor, school), engine.MANAGE_MESSAGE)
    members = sorted(
        u for u in Staff.objects.filter(school=school, is_party_member=True).values_list("user_id", flat=True)
        if u is not None
    )  # fmt: skip
    if not members:
        raise Invalid(gettext("本校还没有登记党员教师。"))
    with transaction.atomic():
        evaluation = engine.create_evaluation(
            actor=actor,
            school=school,
            title=f"{timezone.localdate().year}年五星级党支部创评",
            subject_type=SubjectType.BRANCH,
            preset="five_star",
            opens_at=opens_at,
            closes_at=closes_at,
            use=Use.FIVE_STAR,
        )
        engine.add_subjects(actor=actor, evaluation=evaluation, specs=engine.roster_subjects(evaluation))
        _preset_groups(
            actor,
            evaluation,
            [
                (GroupKind.PEERS, "党员评议", Source.LIST, {"user_ids": members}),
                (GroupKind.PUBLIC, "群众评议", Source.ROLE, {"role": Role.TEACHER}),
                (GroupKind.LEADERS, "领导评议", Source.ROLE, {"role": Role.LEADING_GROUP}),
            ],
        )
    return evaluation
