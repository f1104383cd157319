"""Helpers shared by the page views of every app, in one import: who is asking (`actor_of`), which
school the address names (`school_by_code`), pagination, the caller's address, the middlewares, and the
503 answered while the database is away.

The first two come from org and the next two from lib/http.py; org's, accounts' and audit's own pages,
which sit below this module, import them from there."""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.views.defaults import server_error as django_server_error

from chuangyou.lib.database_away import database_unavailable
from chuangyou.lib.errors import NotAllowed, NotFound
from chuangyou.lib.http import PAGE_SIZE, client_ip, paginate
from chuangyou.org.rules import actor_of
from chuangyou.org.selectors import school_by_code


class ServiceErrorMiddleware:
    """A service's refusal, raised from any view, becomes a 403 or 404 page with its message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, NotAllowed):
            return render(request, "403.html", {"message": exc.message}, status=exc.status_code)
        if isinstance(exc, NotFound):
            return render(request, "404.html", {"message": exc.message}, status=404)
        return None


class DatabaseUnavailableMiddleware:
    """While the database restarts, a view's lost connection becomes a 503 (see database_unavailable),
    not an HTML 500; Django reconnects on the next request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        return database_unavailable(request, exc)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a lost connection raised outside a view (a middleware saving the session) is a 503
    too; anything else is Django's plain 500 page."""
    exc = sys.exc_info()[1]
    found = database_unavailable(request, exc) if exc is not None else None
    if found is not None:
        return found
    response = django_server_error(request)
    return response if isinstance(response, HttpResponse) else HttpResponseServerError()


POLL_HEADER = "HTTP_X_CHUANGYOU_POLL"


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a background poll (an element with hx-headers='{"X-Chuangyou-Poll": "1"}')
    neither extends the idle timeout nor writes the session: an open tab is not activity, and on SQLite
    the write would wait behind a long import's write lock. A server error leaves the session alone:
    Django would not save it anyway, and while the database is away (a 503) reading it would fail again."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code >= 500:
            return response
        if request.META.get(POLL_HEADER) and not request.session.modified:
            return response
        return super().process_response(request, response)


__all__ = [
    "PAGE_SIZE",
    "POLL_HEADER",
    "DatabaseUnavailableMiddleware",
    "ServiceErrorMiddleware",
    "SessionMiddleware",
    "actor_of",
    "client_ip",
    "database_unavailable",
    "paginate",
    "school_by_code",
    "server_error",
]
