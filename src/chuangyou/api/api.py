"""The /api/v1/ surface. Routers import services and selectors; domain code never imports the API."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.parser import Parser

from chuangyou.api.auth import SessionAuth, TokenAuth
from chuangyou.lib.errors import Conflict, Invalid, ServiceError, TooManyRequests
from chuangyou.lib.readable import all_readable, unreadable_message
from chuangyou.web import database_unavailable


class ReadableParser(Parser):
    """JSON and form bodies whose strings can be stored: a NUL or a lone surrogate anywhere in them is
    refused with 422 before any schema or service sees it (chuangyou.lib.readable)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not all_readable(data):
            raise Invalid(unreadable_message())
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        if not all_readable(parsed):
            raise Invalid(unreadable_message())
        return parsed


api = NinjaAPI(
    title="创优 API",
    version="1",
    description="创先争优活动平台的接口。所有写操作与网页调用同一套服务，权限检查相同。",
    # A bearer token, or the session cookie (with CSRF on unsafe methods, as on the pages). The
    # token goes first: ninja's session auth refuses a POST without a CSRF cookie outright, before
    # any later auth is tried, which would shut out every script.
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    parser=ReadableParser(),
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


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own, except that a refusal from our parser, which ninja wraps in a 400 "Cannot parse request
    body", keeps its status and Chinese message."""
    if isinstance(exc.__cause__, ServiceError):
        return service_error(request, exc.__cause__)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


# What the database refuses, when no service caught it first, is still the caller's input: a 4xx with a
# Chinese message, never a 500. Each is a last line; a service that knows better raises its own error.


@api.exception_handler(ProtectedError)
@api.exception_handler(RestrictedError)
def still_referenced(request: HttpRequest, exc: ProtectedError | RestrictedError) -> HttpResponse:
    """Deleting a row that others still point to: 409, naming what points to it."""
    objects = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
    kinds = sorted({str(obj._meta.verbose_name) for obj in objects})
    message = gettext("还有%(what)s引用它，不能删除。请先处理这些记录。") % {"what": "、".join(kinds)}
    return service_error(request, Conflict(message))


@api.exception_handler(IntegrityError)
def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    return service_error(request, Conflict(gettext("与已有的记录冲突（可能是重复提交），未作修改。")))


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    return service_error(request, Invalid(gettext("输入的数字、日期或文字超出了允许的范围，未作修改。")))


@api.exception_handler(ValidationError)
def model_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = (
        {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        if hasattr(exc, "error_dict")
        else {}
    )
    message = "；".join(str(m) for m in exc.messages) or gettext("输入有误。")
    return service_error(request, Invalid(message, errors))


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
