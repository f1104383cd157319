"""Fixtures for 创新项目 tests, built through the services like the personas themselves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from chuangyou.accounts.models import User
from chuangyou.org import services as org_services
from chuangyou.org.models import Staff, Student
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.projects import services
from chuangyou.projects.models import Call, Proposal
from chuangyou.testing import World


def staff_of(user: User) -> Staff:
    return Staff.objects.get(user=user)


def make_call(world: World, **overrides: Any) -> Call:
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "title": "创新项目征集",
        "semester": "2026 秋季学期",
        "opens_on": today - dt.timedelta(days=1),
        "closes_on": today + dt.timedelta(days=30),
        "budget": Decimal("10000"),
        "per_project_cap": Decimal("3000"),
        "rules": "每学期评选一次。",
    }
    return services.create_call(actor=actor_for(world.wang), school=world.school, **(fields | overrides))


def propose(world: World, user: User, call: Call, **overrides: Any) -> Proposal:
    fields: dict[str, Any] = {
        "title": "校园雨水回收装置",
        "abstract": "收集屋顶雨水浇灌花坛。",
        "plan": "九月调研，十月制作，十一月安装。",
        "budget_request": Decimal("2000"),
        "advisor": staff_of(world.tian),
    }
    return services.create_proposal(actor=actor_for(user), call=call, **(fields | overrides))


def panel_of_three(world: World, call: Call) -> None:
    members = [world.staff_hu, staff_of(world.bella), staff_of(world.su)]
    services.set_panel(actor=actor_for(world.wang), call=call, members=members)


@pytest.fixture
def call(world: World) -> Call:
    return make_call(world)


@pytest.fixture
def zhao(world: World) -> Student:
    """A third student (初一(2)班), so two proposals can have disjoint teams."""
    day = timezone.localdate() - dt.timedelta(days=30)
    return org_services.create_student(
        actor=SYSTEM,
        school_class=world.class_2,
        student_no="S003",
        name="赵同学",
        gender="M",
        guardians=[("赵家长", "13800000003")],
        on=day,
    )


@pytest.fixture
def submitted(world: World, call: Call) -> Proposal:
    """xiao leads, ming is on the team, tian advises; submitted."""
    proposal = propose(world, world.xiao, call, members=[world.student_ming])
    return services.submit_proposal(actor=actor_for(world.xiao), proposal=proposal)


@pytest.fixture
def under_review(world: World, call: Call, submitted: Proposal) -> Proposal:
    panel_of_three(world, call)
    services.open_review(actor=actor_for(world.wang), call=call)
    return Proposal.objects.get(pk=submitted.pk)
