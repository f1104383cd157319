"""成果展示: the gallery, takedown requests and their handling, and approvals, through the same selectors,
services and checks as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router
from ninja.responses import Status

from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.api.schemas.exhibition import (
    ActivityPhotosOut,
    ApprovalIn,
    ApprovalOut,
    HandledOut,
    PhotoOut,
    ReplyIn,
    TakedownIn,
    TakedownOut,
)
from chuangyou.exhibition import selectors, services
from chuangyou.exhibition.models import Takedown, TakedownStatus
from chuangyou.lib.errors import NotFound
from chuangyou.limits import rules as limit_rules
from chuangyou.web import client_ip

router = Router(tags=["成果展示"])


@router.get(
    "/{code}/exhibition/{year}/photos", response=list[ActivityPhotosOut], summary="图片展（公开）", auth=None
)
def gallery(request: HttpRequest, code: str, year: int) -> list[ActivityPhotosOut]:
    school = school_or_404(code)
    campaign = selectors.public_campaign(school, year, timezone.localdate())
    if campaign is None:
        raise NotFound(gettext("没有这个年度的公开活动方案。"))
    return [
        ActivityPhotosOut(
            activity_id=a.pk,
            title=a.title,
            starts_at=a.starts_at,
            photos=[
                PhotoOut(
                    id=p.pk,
                    caption=p.caption,
                    thumb=reverse("exhibition_public:thumb", args=[code, p.pk]),
                    full=reverse("exhibition_public:full", args=[code, p.pk]),
                )
                for p in a.shown  # type: ignore[attr-defined]
            ],
        )
        for a in selectors.gallery(campaign)[:100]
    ]


@router.post(
    "/{code}/exhibition/photos/{photo_id}/takedown",
    response={201: TakedownOut},
    summary="申请撤下照片（每个地址每小时有次数限制，超出返回 429）",
)
def takedown(request: HttpRequest, code: str, photo_id: int, body: TakedownIn) -> Status[Takedown]:
    limit_rules.enforce(
        limit_rules.takedowns(),
        client_ip(request),
        gettext("提交过于频繁，请一小时后再试，或直接联系学校。"),
    )
    made = services.request_takedown(
        actor=actor_of(request), school=school_or_404(code), evidence_id=photo_id, **body.dict()
    )
    return Status(201, made)


@router.post("/{code}/exhibition/approvals", response=ApprovalOut, summary="批量审核展示照片")
def approve(request: HttpRequest, code: str, body: ApprovalIn) -> ApprovalOut:
    changed = services.set_approved(
        actor=actor_of(request),
        school=school_or_404(code),
        evidence_ids=body.photo_ids,
        approved=body.approved,
    )
    return ApprovalOut(changed=changed)


@router.get("/{code}/exhibition/takedowns", response=list[HandledOut], summary="撤图申请列表")
def takedowns(request: HttpRequest, code: str, status: TakedownStatus | None = None) -> list[Takedown]:
    rows = selectors.takedowns_for(actor_of(request), school_or_404(code))
    return list((rows.filter(status=status) if status else rows)[:200])


def _handle(request: HttpRequest, code: str, takedown_id: int, *, remove: bool, reply: str) -> Takedown:
    actor = actor_of(request)
    found = selectors.takedowns_for(actor, school_or_404(code)).filter(pk=takedown_id).first()
    if found is None:
        raise NotFound(gettext("没有这条撤图申请。"))
    services.handle_takedown(actor=actor, takedown=found, remove=remove, reply=reply)
    return selectors.takedowns_for(actor, found.school).get(pk=found.pk)


@router.post(
    "/{code}/exhibition/takedowns/{takedown_id}/remove", response=HandledOut, summary="撤下照片（不再展示）"
)
def remove(request: HttpRequest, code: str, takedown_id: int, body: ReplyIn) -> Takedown:
    return _handle(request, code, takedown_id, remove=True, reply=body.reply)


@router.post(
    "/{code}/exhibition/takedowns/{takedown_id}/restore", response=HandledOut, summary="不予撤下，恢复展示"
)
def restore(request: HttpRequest, code: str, takedown_id: int, body: ReplyIn) -> Takedown:
    return _handle(request, code, takedown_id, remove=False, reply=body.reply)
