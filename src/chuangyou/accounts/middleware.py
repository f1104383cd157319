"""After an admin resets a password, the account must choose its own before anything else (issue 9)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import Error as DatabaseDriverError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from chuangyou.lib.database_away import database_unavailable


class PasswordChangeRequiredMiddleware:
    """Sends a signed-in person whose password an admin set to the change page, which says why.
    The API refuses them in its own authentication (chuangyou.api.auth), with a 403 in JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            must_change = self._must_change_password(request)
        except DatabaseDriverError as exc:
            # Reading the session is the request's first query: while the database restarts, answer
            # the 503 here, outside any view, where the view's middleware cannot.
            unavailable = database_unavailable(request, exc)
            if unavailable is None:
                raise
            return unavailable
        if must_change:
            open_paths = {reverse("accounts:password"), reverse("accounts:logout"), reverse("accounts:login")}
            path = request.path_info
            if path not in open_paths and not path.startswith(("/api/", "/static/", "/i18n/")):
                return redirect("accounts:password")
        return self.get_response(request)

    @staticmethod
    def _must_change_password(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        return bool(
            user is not None and user.is_authenticated and getattr(user, "must_change_password", False)
        )
