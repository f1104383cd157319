"""The audited-writes guard (audit/guard.py) catches what it is for, and lets the named exceptions pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django_tasks import task

from chuangyou.audit.guard import UNAUDITED, WriteGuard
from chuangyou.org.models import PartyBranch
from chuangyou.testing import World

# Code standing in for an app's modules: the guard tells them apart by their module's name.
PROBE_SOURCE = """
from django.db import transaction
from chuangyou.audit.services import change_for, record
from chuangyou.org.models import PartyBranch


def careless(*, actor, school, name):
    with transaction.atomic():
        return PartyBranch.objects.create(school=school, name=name)


def careful(*, actor, school, name):
    with transaction.atomic():
        branch = PartyBranch.objects.create(school=school, name=name)
        record(actor, change_for("branch.create", branch, school_id=school.pk))
        return branch


def first_read(*, actor, school, name):
    return PartyBranch.objects.get_or_create(school=school, name=name)[0]


def save_answer(*, actor, school, name):
    with transaction.atomic():
        return PartyBranch.objects.create(school=school, name=name)


def through_careful(*, actor, school, name):
    return CAREFUL(actor=actor, school=school, name=name)
"""


def probe(module: str) -> dict[str, Callable[..., Any]]:
    namespace: dict[str, Any] = {"__name__": module}
    exec(compile(PROBE_SOURCE, f"<{module}>", "exec"), namespace)  # noqa: S102 - fixed source above
    return namespace


@pytest.fixture
def audited_writes() -> WriteGuard:
    """These tests make the mistakes on purpose: the suite-wide guard (conftest.py) is not installed here."""
    return WriteGuard()


@pytest.fixture
def guard() -> Any:
    watching = WriteGuard()
    with watching.installed():
        yield watching


def call(guard: WriteGuard, fn: Callable[..., Any], world: World) -> list[str]:
    from chuangyou.org.rules import actor_for

    with guard.request("POST /probe/"):
        fn(actor=actor_for(world.alice), school=world.school, name="探针支部")
    return guard.problems


def test_a_service_that_writes_without_an_entry_is_caught(world: World, guard: WriteGuard) -> None:
    services = probe("chuangyou.probe.services")
    assert call(guard, services["careless"], world) == [
        "POST /probe/: chuangyou.probe.services.careless wrote org_partybranch without an audit entry"
    ]


def test_a_service_that_records_its_write_passes(world: World, guard: WriteGuard) -> None:
    services = probe("chuangyou.probe.services")
    assert call(guard, services["careful"], world) == []
    assert PartyBranch.objects.filter(name="探针支部").count() == 1


def test_a_view_that_writes_itself_is_caught(world: World, guard: WriteGuard) -> None:
    views = probe("chuangyou.probe.views")
    assert call(guard, views["first_read"], world) == [
        "POST /probe/: org_partybranch by chuangyou.probe.views.first_read written outside a service"
    ]


def test_a_selector_that_writes_is_caught_even_through_an_audited_service(
    world: World, guard: WriteGuard
) -> None:
    selectors = probe("chuangyou.probe.selectors")
    assert call(guard, selectors["first_read"], world) == [
        "POST /probe/: org_partybranch by chuangyou.probe.selectors.first_read written while a selector reads"
    ]
    guard.problems.clear()
    selectors["CAREFUL"] = probe("chuangyou.probe.services")["careful"]
    assert call(guard, selectors["through_careful"], world) == [
        "POST /probe/: org_partybranch by chuangyou.probe.selectors.through_careful "
        "(through chuangyou.probe.services.careful) written while a selector reads"
    ]


def test_the_named_exceptions_pass(world: World, guard: WriteGuard) -> None:
    with guard.request("POST /probe/"):
        session = SessionStore()
        session["x"] = 1
        session.save()  # a table on the list
    # A function on the list: practice autosave, writing without an entry.
    assert call(guard, probe("chuangyou.practice.services")["save_answer"], world) == []
    assert call(guard, probe("chuangyou.practice.services")["careless"], world) == [
        "POST /probe/: chuangyou.practice.services.careless wrote org_partybranch without an audit entry"
    ]
    assert {
        "django_session",
        "limits_counter",
        "audit_auditentry",
        "django_tasks_database_dbtaskresult",
    } <= set(UNAUDITED)
    assert {
        "chuangyou.evaluations.services.voting.cast_ballot",
        "chuangyou.practice.services.save_answer",
    } <= set(UNAUDITED)


def test_the_guard_sees_the_test_clients_requests_and_only_them(world: World, guard: WriteGuard) -> None:
    PartyBranch.objects.create(school=world.school, name="测试准备")  # outside a request: not judged
    alice = world.client("alice")
    assert alice.get("/").status_code in {200, 302}
    assert guard.requests == ["GET /"]
    assert guard.problems == []


@task()
def careless_task(school_id: int) -> None:
    PartyBranch.objects.create(school_id=school_id, name="任务写的支部")


def test_a_task_that_writes_outside_a_service_is_caught(world: World, guard: WriteGuard) -> None:
    """In tests the tasks run at once; each run is judged like a request (honors' batches were one)."""
    careless_task.enqueue(world.school.pk)
    assert guard.problems == [
        "task chuangyou.audit.tests.test_guard.careless_task: org_partybranch by "
        "chuangyou.audit.tests.test_guard.careless_task written outside a service"
    ]
