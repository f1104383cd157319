from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router

from chuangyou.accounts import services as account_services
from chuangyou.api.auth import password_change_auth
from chuangyou.api.routers.common import actor_of
from chuangyou.api.schemas.me import MeOut, PasswordChangedOut, PasswordChangeIn, SeatOut

router = Router(tags=["账号"])


@router.get("", response=MeOut, summary="当前账号及其今天的角色")
def me(request: HttpRequest) -> MeOut:
    actor = actor_of(request)
    user = request.auth  # type: ignore[attr-defined]
    return MeOut(
        id=user.pk,
        login=user.login,
        display_name=user.display_name,
        seats=[SeatOut(**vars(seat)) for seat in actor.seats],
    )


@router.post(
    "/password",
    response=PasswordChangedOut,
    auth=password_change_auth(),
    summary="修改自己的密码（管理员重置后须先调用）",
)
def change_password(request: HttpRequest, payload: PasswordChangeIn) -> PasswordChangedOut:
    """Changes the caller's password. Every API token of the account is revoked, this one too, and
    its other sessions end: sign in again on the token page for a new token."""
    user = request.auth  # type: ignore[attr-defined]
    account_services.change_own_password(
        user=user, old_password=payload.old_password, new_password=payload.new_password
    )
    if request.user.is_authenticated and request.user.pk == user.pk:
        update_session_auth_hash(request, user)  # a session caller stays signed in on this one
    return PasswordChangedOut(detail=gettext("密码已修改，原有的 API 令牌均已作废。"))
