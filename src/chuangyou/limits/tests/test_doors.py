"""Every public door on the one limiter: 150 parallel requests from one address, exactly the limit through
(issue 9). Run on SQLite by default and on PostgreSQL with DATABASE_URL; each prints its counts."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client

from chuangyou.exhibition import services as exhibition_services
from chuangyou.limits.tests.helpers import objection_post, running_notice
from chuangyou.nominations.models import Objection
from chuangyou.testing import World, build_world

AT = dt.datetime(2026, 11, 21, 9, 0, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
PARALLEL = 150


def fire(request: Callable[[Client, int], int]) -> Counter[int]:
    """PARALLEL requests at once, from one address; the status codes they got."""
    barrier = threading.Barrier(PARALLEL)
    statuses: list[int] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        try:
            client = Client(REMOTE_ADDR="10.7.7.7")
            barrier.wait(timeout=60)
            status = request(client, i)
        except BaseException as exc:  # a crash is a result too, and must fail the test
            status = -1
            print(repr(exc))
        finally:
            connection.close()
        with lock:
            statuses.append(status)

    # Well inside one minute (and one hour), so every request falls in the same window.
    with time_machine.travel(AT, tick=True):
        threads = [threading.Thread(target=one, args=(i,)) for i in range(PARALLEL)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return Counter(statuses)


def report(door: str, statuses: Counter[int]) -> None:
    shown = ", ".join(f"{n}×{code}" for code, n in sorted(statuses.items()))
    print(f"\n{door} ({connection.vendor}): {PARALLEL} parallel → {shown}")


pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_code_ballots(world_committed: World) -> None:
    api = "/api/v1/schools/yizhong/evaluations/code-ballot"
    body = json.dumps({"code": "WRONGCODE1", "marks": {}})
    statuses = fire(lambda c, _i: c.post(api, body, content_type="application/json").status_code)
    report("code ballots", statuses)
    assert statuses == {404: 60, 429: 90}  # EVALUATION_CODE_REQUESTS_PER_MINUTE = 60; wrong guesses count


def test_receipt_checks(world_committed: World) -> None:
    from chuangyou.evaluations.tests.test_bursts_and_limits import with_codes

    evaluation, _codes = with_codes(world_committed, 1)
    api = f"/api/v1/schools/yizhong/evaluations/{evaluation.pk}/receipt"
    body = json.dumps({"receipt": "AAAABBBBCCCC"})
    statuses = fire(lambda c, _i: c.post(api, body, content_type="application/json").status_code)
    report("receipt checks", statuses)
    assert statuses == {200: 30, 429: 120}  # RECEIPT_CHECKS_PER_MINUTE = 30


def test_objections(world_committed: World) -> None:
    notice, nomination = running_notice(world_committed)
    with time_machine.travel(AT - dt.timedelta(minutes=1)):  # tokens of forms opened a minute ago
        posts = [objection_post(nomination) for _ in range(PARALLEL)]
    url = f"/s/yizhong/nominations/notices/{notice.pk}/object/"
    statuses = fire(lambda c, i: c.post(url, posts[i]).status_code)
    report("objections", statuses)
    assert statuses == {200: 5, 429: 145}  # OBJECTIONS_PER_HOUR = 5
    assert Objection.objects.count() == 5


def test_one_objection_form_sent_thirty_times_at_once_files_one(world_committed: World) -> None:
    notice, nomination = running_notice(world_committed)
    with time_machine.travel(AT - dt.timedelta(minutes=1)):
        post = objection_post(nomination)
    url = f"/s/yizhong/nominations/notices/{notice.pk}/object/"
    statuses = fire(lambda c, _i: c.post(url, post).status_code)
    report("one objection token", statuses)
    assert statuses == {200: 1, 409: 149}
    assert Objection.objects.count() == 1


def test_takedown_requests(world_committed: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from chuangyou.reports.tests.scenario import build

    s = build(world_committed)
    filed: list[int] = []
    lock = threading.Lock()

    def counted(**kwargs: Any) -> None:  # the photo stays on show, so every request reaches the limit
        with lock:
            filed.append(kwargs["evidence_id"])

    monkeypatch.setattr(exhibition_services, "request_takedown", counted)
    url = f"/s/yizhong/exhibition/photos/{s.photo.pk}/takedown/"
    data = {"name": "马家长", "contact": "13800000001", "reason": "孩子的正脸，请撤下。"}
    statuses = fire(lambda c, _i: c.post(url, data).status_code)
    report("takedown requests", statuses)
    assert statuses == {302: 5, 429: 145}  # TAKEDOWNS_PER_HOUR = 5
    assert filed == [s.photo.pk] * 5


def test_logins(world_committed: World) -> None:
    form = {"school": "yizhong", "login": "T001", "password": "wrong-password"}
    statuses = fire(lambda c, _i: c.post("/accounts/login/", form).status_code)
    report("logins", statuses)
    assert statuses == {200: 5, 429: 145}  # LOGIN_FAILURES_PER_MINUTE = 5, one account from one address


@pytest.fixture
def world_committed(transactional_db: None) -> World:
    return build_world()
