"""The address printed in QR codes and links that leave the browser (slips, posters, certificates).

SITE_URL when it is set (production behind its real name). Otherwise the host the current request came
to, so that a phone on the school's LAN can open a slip printed from http://192.168.1.20:8000/, and
failing that, the development address. A background task has no request: whoever queues it passes
`site_url()` along, and the task runs inside `serving(base)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

DEVELOPMENT = "http://127.0.0.1:8000"
_base: ContextVar[str] = ContextVar("chuangyou_site_base", default="")


def site_url() -> str:
    return str(settings.SITE_URL or _base.get() or DEVELOPMENT).rstrip("/")


@contextmanager
def serving(base: str) -> Iterator[None]:
    token = _base.set(base)
    try:
        yield
    finally:
        _base.reset(token)


class RequestSiteMiddleware:
    """Remembers the host of each request for site_url(), for as long as the request runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            base = f"{request.scheme}://{request.get_host()}"
        except DisallowedHost:
            return self.get_response(request)  # CommonMiddleware answers it
        with serving(base):
            return self.get_response(request)
