from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from chuangyou.api.routers.common import actor_of

router = Router(tags=["账号"])


class SeatOut(Schema):
    role: str
    school_id: int | None
    bureau_id: int | None
    class_id: int | None
    is_leader: bool


class MeOut(Schema):
    id: int
    login: str
    display_name: str
    seats: list[SeatOut]


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
