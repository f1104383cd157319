"""Who calls the API: a bearer token or the page's session. Both refuse an account whose password an
admin reset, until it has chosen its own (issue 9); only the password change lets it through."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import security as ninja_security
from ninja.security import HttpBearer

from chuangyou.accounts.services import user_for_token
from chuangyou.lib.errors import NotAllowed


def _refuse_until_changed(user: Any, allow_password_change: bool) -> None:
    """After an admin reset, every operation but the password change answers 403 (issue 9)."""
    if getattr(user, "must_change_password", False) and not allow_password_change:
        raise NotAllowed(
            gettext("管理员重置了您的密码，请先修改密码（POST /api/v1/me/password）后再使用接口。")
        )


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token>, from the "API 令牌" page."""

    def __init__(self, *, allow_password_change: bool = False) -> None:
        super().__init__()
        self.allow_password_change = allow_password_change

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is None:
            return None
        _refuse_until_changed(user, self.allow_password_change)
        request.user = user
        return user


class SessionAuth(ninja_security.SessionAuth):
    """The page's session cookie (with CSRF on unsafe methods), refused like a token after a reset."""

    def __init__(self, *, allow_password_change: bool = False) -> None:
        super().__init__()
        self.allow_password_change = allow_password_change

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user:
            _refuse_until_changed(user, self.allow_password_change)
        return user


def password_change_auth() -> list[Any]:
    """The one operation an account that must change its password may call."""
    return [TokenAuth(allow_password_change=True), SessionAuth(allow_password_change=True)]


def _anyone(request: HttpRequest) -> Any:
    """The last resort of `signed_in_or_anyone`: an anonymous caller, as an AnonymousUser."""
    return AnonymousUser()


def signed_in_or_anyone() -> list[Any]:
    """For a read that answers everyone, but answers a signed-in caller more (a result whose
    visibility is not public): a token or the session when given, else anonymous."""
    return [TokenAuth(), SessionAuth(), _anyone]
