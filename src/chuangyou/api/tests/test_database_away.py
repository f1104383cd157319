"""While PostgreSQL restarts, the API answers a JSON 503 with Retry-After and the pages a friendly 503, not
an HTML 500 (issue 9). The database is simulated away by making every query raise as psycopg does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from chuangyou.testing import World

API = "/api/v1/schools/yizhong/activities"
PAGE = "/school/yizhong/activities/"


@contextmanager
def database_away(exc: Exception) -> Iterator[None]:
    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise exc

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", fail)
        patch.setattr(CursorWrapper, "executemany", fail)
        yield


LOST = [
    OperationalError("server closed the connection unexpectedly"),
    OperationalError("connection failed: Connection refused"),
    OperationalError("FATAL:  the database system is shutting down"),
    InterfaceError("connection already closed"),
]


@pytest.mark.parametrize("exc", LOST, ids=str)
def test_the_api_answers_json_503_with_retry_after(world: World, exc: Exception) -> None:
    client = world.client("alice")
    assert client.get(API).status_code == 200
    with database_away(exc):
        response = client.get(API)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "数据库暂时不可用，请稍后再试。"}
    assert response["Retry-After"] == "30"
    assert client.get(API).status_code == 200  # back as soon as the database is


@pytest.mark.parametrize("exc", LOST, ids=str)
def test_a_page_answers_a_friendly_503(world: World, exc: Exception) -> None:
    client = world.client("alice")
    with database_away(exc):
        response = client.get(PAGE)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "系统暂时无法访问" in html
    assert "请约 30 秒后刷新页面重试。" in html


def test_a_public_page_with_no_session_answers_503_too(world: World) -> None:
    with database_away(OperationalError("server closed the connection unexpectedly")):
        response = Client().get("/s/yizhong/")
    assert response.status_code == 503
    assert "系统暂时无法访问" in response.content.decode()


def test_a_database_error_that_is_a_bug_stays_a_500(world: World) -> None:
    client = world.client("alice")
    client.raise_request_exception = False
    with database_away(OperationalError("no such table: activities_activity")):
        api, page = client.get(API), client.get(PAGE)
    assert (api.status_code, page.status_code) == (500, 500)
    assert "Retry-After" not in api
