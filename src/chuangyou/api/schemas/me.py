"""The caller's own account: the input and output schemas of `chuangyou.api.routers.me`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

from ninja import Schema


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


class PasswordChangeIn(Schema):
    old_password: str
    new_password: str


class PasswordChangedOut(Schema):
    detail: str
