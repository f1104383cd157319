import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chuangyou.evaluations import services
from chuangyou.evaluations.models import Evaluation, GroupKind, Source
from chuangyou.org.models import Role
from chuangyou.org.rules import actor_for
from chuangyou.testing import World


def build_teacher_evaluation(world: World, *, preset: str = "five_models", codes: int = 0) -> Evaluation:
    """师德标兵 民主测评 of every teacher: teachers (weight 2) by account, parents by one-time code."""
    wang = actor_for(world.wang)
    now = timezone.now()
    evaluation = services.create_evaluation(
        actor=wang,
        school=world.school,
        title="师德标兵民主测评",
        subject_type="teacher",
        preset=preset,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=2),
    )
    services.add_subjects(actor=wang, evaluation=evaluation, specs=services.roster_subjects(evaluation))
    services.add_group(
        actor=wang,
        evaluation=evaluation,
        kind=GroupKind.PEERS,
        name="教师互评",
        source=Source.ROLE,
        role=Role.TEACHER,
        weight=Decimal(2),
    )
    parents = services.add_group(
        actor=wang, evaluation=evaluation, kind=GroupKind.PARENTS, name="家长", source=Source.CODES
    )
    if codes:
        evaluation.issued_codes = services.issue_codes(actor=wang, group=parents, count=codes)  # type: ignore[attr-defined]
    return evaluation


@pytest.fixture
def teacher_evaluation(world: World) -> Evaluation:
    return build_teacher_evaluation(world, codes=3)
