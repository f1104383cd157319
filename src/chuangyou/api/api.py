"""The /api/v1/ surface. Routers import services and selectors; domain code never imports the API."""

from __future__ import annotations

from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from chuangyou.api.auth import SessionAuth, TokenAuth
from chuangyou.lib.errors import Invalid, ServiceError, TooManyRequests
from chuangyou.web import database_unavailable

api = NinjaAPI(
    title="创优 API",
    version="1",
    description="创先争优活动平台的接口。所有写操作与网页调用同一套服务，权限检查相同。",
    # A bearer token, or the session cookie (with CSRF on unsafe methods, as on the pages). The
    # token goes first: ninja's session auth refuses a POST without a CSRF cookie outright, before
    # any later auth is tried, which would shut out every script.
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    body: dict[str, Any] = {"detail": exc.message}
    if isinstance(exc, Invalid) and exc.errors:
        body["errors"] = exc.errors
    response = api.create_response(request, body, status=exc.status_code)
    if isinstance(exc, TooManyRequests):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """The database went away: a JSON 503 with Retry-After (in DEBUG too, where ninja would answer a
    traceback). Any other database error goes on to Django as before."""
    response = database_unavailable(request, exc)
    if response is None:
        raise exc
    return response


def _mount() -> None:
    from chuangyou.api.routers import (
        activities,
        audit,
        books,
        bureaus,
        campaigns,
        commitments,
        evaluations,
        exhibition,
        honors,
        me,
        nominations,
        people,
        practice,
        projects,
        records,
        reports,
        roster,
        volunteering,
    )

    api.add_router("/me", me.router)
    api.add_router("/bureaus", bureaus.router)
    api.add_router("/bureaus", nominations.bureau_router)
    # Every school-scoped router's paths start with "/{code}/…".
    for module in (
        people, roster, campaigns, audit, activities, practice, volunteering, books, projects, commitments,
        records, evaluations, nominations, honors, reports, exhibition,
    ):  # fmt: skip
        api.add_router("/schools", module.router)


_mount()
