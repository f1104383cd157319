"""Helpers shared by the page views of every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from chuangyou.lib.errors import NotAllowed, NotFound
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, actor_for

PAGE_SIZE = 50


def actor_of(request: HttpRequest) -> Actor:
    return actor_for(request.user)  # type: ignore[arg-type]


def school_by_code(code: str) -> School:
    return get_object_or_404(School.objects.select_related("bureau"), code=code)


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def client_ip(request: HttpRequest) -> str:
    """The caller's address, for rate limits. Behind N trusted proxies (TRUSTED_PROXY_COUNT), it is
    the N-th address from the right of X-Forwarded-For; anything further left is client-supplied."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - not a bind address


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


POLL_HEADER = "HTTP_X_CHUANGYOU_POLL"


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a background poll (an element with hx-headers='{"X-Chuangyou-Poll": "1"}')
    neither extends the idle timeout nor writes the session: an open tab is not activity, and on SQLite
    the write would wait behind a long import's write lock."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.META.get(POLL_HEADER) and not request.session.modified:
            return response
        return super().process_response(request, response)
