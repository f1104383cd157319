"""Text that can be stored: no NUL character (PostgreSQL refuses it in text) and no lone surrogate
(UTF-8 has no encoding for one). JSON can carry both (`"\\u0000"`, `"\\ud800"`), and a URL can carry NUL
(`%00`), so every input is checked once, where it enters, rather than failing deep in a query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext


def is_readable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def all_readable(value: Any) -> bool:
    """Every string in a parsed JSON value, keys included, is readable."""
    if isinstance(value, str):
        return is_readable(value)
    if isinstance(value, dict):
        return all(all_readable(k) and all_readable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(all_readable(item) for item in value)
    return True


def unreadable_message() -> str:
    return gettext("输入中含有无法保存的字符（空字符或不成对的代理字符），请删除后再试。")


class ReadableInputMiddleware:
    """A path or query string with a NUL in it is refused with 400 before any view runs: the API answers
    JSON (`{"detail": …}`, as for every refusal), pages plain text. Bodies are checked by the API's parser
    and by the forms' own fields."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET
        if is_readable(request.path) and all(
            is_readable(key) and all(is_readable(v) for v in query.getlist(key)) for key in query
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": unreadable_message()}, status=400)
        return HttpResponseBadRequest(unreadable_message(), content_type="text/plain; charset=utf-8")
