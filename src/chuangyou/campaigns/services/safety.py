"""The safety plan (安全预案): its text and its uploaded file, checked for what it claims to be."""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.campaigns.models import (
    Campaign,
)
from chuangyou.campaigns.services.shared import (
    _require_manage,
)
from chuangyou.lib.errors import Invalid
from chuangyou.org.rules import Actor

# --- the safety plan ---------------------------------------------------------------------------

SAFETY_PLAN_MAX_BYTES = 10 * 1024 * 1024
# The first bytes each accepted type starts with, so a renamed .exe is not taken for a .pdf.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".docx": (b"PK\x03\x04",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def check_safety_file(upload: UploadedFile) -> None:
    """A pdf, doc, docx, jpg or png of at most 10 MB whose content matches its name."""
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in _SIGNATURES:
        message = gettext("安全预案只能上传 PDF、Word（doc/docx）或图片（jpg/png）文件。")
        raise Invalid(message, {"safety_plan": [message]})
    size = upload.size or 0
    if size > SAFETY_PLAN_MAX_BYTES:
        message = gettext("文件不能超过 10 MB（当前为 %(value).1f MB）。") % {"value": size / 1024 / 1024}
        raise Invalid(message, {"safety_plan": [message]})
    if size == 0:
        raise Invalid(gettext("上传的文件是空的。"), {"safety_plan": [gettext("上传的文件是空的。")]})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES[suffix]):
        message = gettext("文件内容与扩展名 %(suffix)s 不符，请上传真实的 %(upper)s 文件。") % {
            "suffix": suffix,
            "upper": suffix[1:].upper(),
        }
        raise Invalid(message, {"safety_plan": [message]})


def update_safety_plan(
    *,
    actor: Actor,
    campaign: Campaign,
    notes: str,
    upload: UploadedFile | None = None,
    remove_file: bool = False,
) -> Campaign:
    """The safety plan's key points and, optionally, a new attachment (or none). Earlier files stay in
    storage, because the audit log names them."""
    _require_manage(actor, campaign.school)
    if upload is not None:
        check_safety_file(upload)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = snapshot(locked, ["safety_plan", "safety_notes"])
        locked.safety_notes = notes.strip()
        if upload is not None:
            locked.safety_plan.save(PurePath(upload.name or "safety").name, upload, save=False)
        elif remove_file:
            locked.safety_plan.name = ""
        locked.save(update_fields=["safety_plan", "safety_notes"])
        record(
            actor,
            change_for(
                "campaign.safety_plan",
                locked,
                school_id=locked.school_id,
                before=before,
                after=snapshot(locked, ["safety_plan", "safety_notes"]),
            ),
        )
    return locked
