"""An activity in the personas' school, built through the services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from chuangyou.activities import services
from chuangyou.activities.models import Activity, Kind
from chuangyou.campaigns.models import Phase
from chuangyou.campaigns.services import create_campaign
from chuangyou.org.models import School, SchoolClass, Staff, Student
from chuangyou.org.rules import SYSTEM
from chuangyou.org.services import create_student
from chuangyou.testing import World

_phones = itertools.count(1)


def phase_of(school: School) -> Phase:
    phase = Phase.objects.filter(school=school).order_by("order").first()
    if phase is None:
        create_campaign(
            actor=SYSTEM, school=school, year=timezone.localdate().year, title="方案", theme="树先锋"
        )
        phase = Phase.objects.filter(school=school).order_by("order").first()
    assert phase is not None
    return phase


def make_activity(
    school: School, person_in_charge: Staff, *, publish: bool = True, **fields: Any
) -> Activity:
    now = timezone.now()
    values: dict[str, Any] = {
        "kind": Kind.SUBJECT_CONTEST,
        "title": "数学竞赛",
        "phase": phase_of(school),
        "person_in_charge": person_in_charge,
        "starts_at": now + dt.timedelta(days=10),
        "ends_at": now + dt.timedelta(days=10, hours=2),
        "capacity": 2,
        "signup_opens": now - dt.timedelta(days=1),
        "signup_closes": now + dt.timedelta(days=5),
        "venue": "阶梯教室",
    }
    values.update(fields)
    activity = services.create_activity(actor=SYSTEM, school=school, data=services.ActivityInput(**values))
    if publish:
        activity = services.publish_activity(actor=SYSTEM, activity=activity)
    return activity


def add_students(school_class: SchoolClass, count: int, *, prefix: str = "N") -> list[Student]:
    return [
        create_student(
            actor=SYSTEM,
            school_class=school_class,
            student_no=f"{prefix}{i:03d}",
            name=f"学生{prefix}{i}",
            gender="F",
            guardians=[(f"家长{prefix}{i}", f"139{next(_phones):08d}")],
        )
        for i in range(count)
    ]


@pytest.fixture
def activity(world: World) -> Activity:
    return make_activity(world.school, world.staff_hu)
