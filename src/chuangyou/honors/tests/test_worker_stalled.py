"""A page that queued work says plainly when no task worker has picked it up (issue 11), instead of a
progress bar that never moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from chuangyou.honors.models import CertificateBatch
from chuangyou.honors.tests.test_pages import issued_notice
from chuangyou.testing import World

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _queued_task() -> None:
    DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="chuangyou.honors.tasks.build_batch",
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="",
        traceback="",
    )


def test_a_queued_batch_says_when_no_worker_took_it(world: World, settings: Any) -> None:
    settings.TASKS = DB_TASKS
    notice = issued_notice(world, 1)
    batch = CertificateBatch.objects.create(
        school=world.school, notice=notice, total=1, status="queued", requested_by=world.alice
    )
    _queued_task()
    url = reverse("honors:batch", args=["yizhong", batch.pk])
    alice = world.client("alice")
    assert 'data-testid="worker-stalled"' not in alice.get(url).content.decode()  # a worker polls each second
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31)):
        stalled = alice.get(url).content.decode()
    assert 'data-testid="worker-stalled"' in stalled
    assert "还没有任务进程接手" in stalled
    DBTaskResult.objects.update(status="RUNNING")  # a worker took it
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31)):
        assert 'data-testid="worker-stalled"' not in alice.get(url).content.decode()


def test_with_in_process_tasks_there_is_nothing_to_wait_for(world: World) -> None:
    notice = issued_notice(world, 1)
    batch = CertificateBatch.objects.create(
        school=world.school, notice=notice, total=1, status="queued", requested_by=world.alice
    )
    _queued_task()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31)):
        page = world.client("alice").get(reverse("honors:batch", args=["yizhong", batch.pk]))
    assert 'data-testid="worker-stalled"' not in page.content.decode()
