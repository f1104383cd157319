"""The 503 answered while the database restarts: JSON for the API, a page that needs no database for
everyone else, both with Retry-After. It lives in lib so that a middleware below web (accounts') can answer
it too when its own query is the first to find the connection gone."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext

# What a lost or refused database connection says (psycopg, SQLite), as opposed to an OperationalError
# that is a bug (a missing table): only these become a 503.
_LOST = (
    "connection",
    "could not connect",
    "server closed",
    "terminating",
    "the database system is",
    "database is locked",
    "timeout expired",
    "ssl syscall",
    "no route to host",
)
RETRY_AFTER_SECONDS = 30
log = logging.getLogger(__name__)


def database_lost(exc: BaseException) -> bool:
    if isinstance(exc, InterfaceError):  # the connection is already closed
        return True
    return isinstance(exc, OperationalError) and any(p in str(exc).lower() for p in _LOST)


def database_unavailable(request: HttpRequest, exc: BaseException) -> HttpResponse | None:
    """A 503 with Retry-After when `exc` is a lost database connection: JSON for the API, a page that
    needs no database for everyone else. None for any other error."""
    if not database_lost(exc):
        return None
    log.warning("database unavailable on %s %s: %s", request.method, request.path, exc)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": gettext("数据库暂时不可用，请稍后再试。")}, status=503)
    else:
        # Rendered without the request, so no context processor asks the database for the user.
        html = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
