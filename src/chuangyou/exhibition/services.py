"""Writes of the exhibition: thumbnails made once, approvals in bulk, takedown requests and their handling."""

from __future__ import annotations

import io
from collections.abc import Collection

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from PIL import Image, ImageOps

from chuangyou.activities import services as activities
from chuangyou.activities.models import Evidence
from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.exhibition.models import Takedown, TakedownStatus, Thumbnail
from chuangyou.exhibition.selectors import MANAGE_MESSAGE, shown_photos
from chuangyou.lib.errors import Conflict, Invalid, NotFound
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, can_manage_campaign, require

THUMB_SIDE = 480  # three across a phone at 2x, sharp enough; a tenth of the original's bytes
HANDLE_MESSAGE = gettext_lazy("只有工作小组、领导小组和学校管理员可以处理撤图申请。")


def make_thumbnail(*, actor: Actor, evidence: Evidence) -> Thumbnail:
    """The photo's thumbnail: made the first time it is asked for, then always the stored one."""
    require(actor.system or can_manage_campaign(actor, evidence.activity.school), MANAGE_MESSAGE)
    existing = Thumbnail.objects.filter(evidence=evidence).first()
    if existing is not None:
        return existing
    if not evidence.is_image:
        raise Invalid(gettext("只有照片才有缩略图。"))
    with evidence.file.open("rb") as handle, Image.open(handle) as image:
        small = ImageOps.exif_transpose(image).convert("RGB")
    small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=80, optimize=True)
    try:
        with transaction.atomic():
            thumb = Thumbnail(
                school_id=evidence.school_id, evidence=evidence, width=small.width, height=small.height
            )
            thumb.file.save(f"{evidence.pk}.jpg", ContentFile(out.getvalue()), save=False)
            thumb.save()
            record(
                actor,
                change_for(
                    "exhibition.thumbnail",
                    thumb,
                    school_id=evidence.school_id,
                    after=snapshot(thumb, ["evidence", "width", "height"]),
                ),
            )
    except IntegrityError:
        # Two first viewers at once: the other's thumbnail won the unique evidence; use it.
        thumb.file.delete(save=False)
        return Thumbnail.objects.get(evidence=evidence)
    return thumb


def set_approved(*, actor: Actor, school: School, evidence_ids: Collection[int], approved: bool) -> int:
    """Approve (or withdraw) several photos for the exhibition at once; each change audited by the
    activities service that owns the flag. Approved photos get their thumbnail now, so the public
    never waits for one. Returns how many photos changed."""
    require(can_manage_campaign(actor, school), MANAGE_MESSAGE)
    if not evidence_ids:
        raise Invalid(gettext("请先勾选照片。"))
    changed = 0
    with transaction.atomic():
        rows = list(
            Evidence.objects.filter(school=school, is_image=True, pk__in=list(evidence_ids))
            .select_related("activity__school")
            .order_by("pk")
        )
        if len(rows) != len(set(evidence_ids)):
            raise NotFound(gettext("勾选的照片中有不属于本校的或已删除的。"))
        for evidence in rows:
            if evidence.exhibition_approved == approved:
                continue
            activities.set_exhibition_approved(actor=actor, evidence=evidence, approved=approved)
            changed += 1
    if approved:
        for evidence in rows:
            make_thumbnail(actor=actor, evidence=evidence)
    return changed


def request_takedown(
    *, actor: Actor, school: School, evidence_id: int, name: str, contact: str, reason: str
) -> Takedown:
    """Anyone, signed in or not, may ask for a photo on show to come down. It leaves the exhibition
    at once and stays hidden until the working group decides."""
    evidence = shown_photos(school).filter(pk=evidence_id).first()
    require(evidence is not None, gettext("这张照片不在展示中。"))
    assert evidence is not None
    fields = {"name": name.strip(), "contact": contact.strip(), "reason": reason.strip()}
    errors = {k: [gettext("请填写。")] for k, v in fields.items() if not v}
    if errors:
        raise Invalid(gettext("请填写姓名、联系方式和理由，以便我们核实并答复您。"), errors)
    if len(fields["reason"]) > 1000:
        raise Invalid(gettext("理由请控制在 1000 字以内。"), {"reason": [gettext("太长。")]})
    with transaction.atomic():
        takedown = Takedown.objects.create(
            school_id=evidence.school_id,
            evidence=evidence,
            name=fields["name"][:60],
            contact=fields["contact"][:60],
            reason=fields["reason"],
        )
        # The contact is personal: the audit log keeps who asked and why, not how to reach them.
        record(
            actor,
            change_for(
                "exhibition.takedown_request",
                takedown,
                school_id=evidence.school_id,
                after=snapshot(takedown, ["evidence", "name", "reason", "status"]),
            ),
        )
    return takedown


def handle_takedown(*, actor: Actor, takedown: Takedown, remove: bool, reply: str = "") -> Takedown:
    """Take the photo down for good, or put it back on show. Decided once."""
    require(can_manage_campaign(actor, takedown.school), HANDLE_MESSAGE)
    status = TakedownStatus.REMOVED if remove else TakedownStatus.KEPT
    now = timezone.now()
    with transaction.atomic():
        before = snapshot(takedown, ["status", "reply"])
        updated = Takedown.objects.filter(pk=takedown.pk, status=TakedownStatus.PENDING).update(
            status=status, reply=reply.strip()[:300], handled_by=actor.user, handled_at=now
        )
        if not updated:
            raise Conflict(gettext("这条撤图申请已经处理过了。"))
        takedown.refresh_from_db()
        record(
            actor,
            change_for(
                "exhibition.takedown_remove" if remove else "exhibition.takedown_restore",
                takedown,
                school_id=takedown.school_id,
                before=before,
                after=snapshot(takedown, ["status", "reply"]),
            ),
        )
    return takedown
