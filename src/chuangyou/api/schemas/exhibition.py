"""成果展示: the input and output schemas of `chuangyou.api.routers.exhibition`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt

from ninja import Field, Schema


class PhotoOut(Schema):
    id: int
    caption: str
    thumb: str
    full: str


class ActivityPhotosOut(Schema):
    activity_id: int
    title: str
    starts_at: dt.datetime
    photos: list[PhotoOut]


class TakedownIn(Schema):
    name: str
    contact: str
    reason: str


class TakedownOut(Schema):
    id: int
    evidence_id: int
    status: str
    created_at: dt.datetime


class ApprovalIn(Schema):
    photo_ids: list[int]
    approved: bool


class ApprovalOut(Schema):
    changed: int


class HandledOut(Schema):
    """A takedown request as the working group sees it: who asked, how to reach them, and the decision."""

    id: int
    evidence_id: int
    activity: str = Field(alias="evidence.activity.title")
    name: str
    contact: str
    reason: str
    status: str
    reply: str
    handled_by: str | None = Field(None, alias="handled_by.display_name")
    handled_at: dt.datetime | None
    created_at: dt.datetime


class ReplyIn(Schema):
    reply: str = Field("", max_length=300)
