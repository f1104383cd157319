"""Evidence (活动照片和材料): uploaded by those running the activity, and chosen for the exhibition."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from chuangyou.activities import rules
from chuangyou.activities.models import (
    Activity,
    Evidence,
)
from chuangyou.activities.services.shared import (
    EVIDENCE_TYPES,
)
from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.lib.errors import Invalid, NotAllowed
from chuangyou.lib.uploads import clean_upload
from chuangyou.org.rules import Actor, can_manage_campaign, require

# --- evidence ------------------------------------------------------------------------------------


def add_evidence(*, actor: Actor, activity: Activity, upload: UploadedFile, caption: str = "") -> Evidence:
    require(
        rules.can_record_results(actor, activity), gettext("只有活动负责人或工作小组成员可以上传活动材料。")
    )
    clean = clean_upload(name=upload.name or "材料", data=upload, allowed=EVIDENCE_TYPES)
    with transaction.atomic():
        evidence = Evidence(
            school_id=activity.school_id,
            activity=activity,
            original_name=clean.name[:120],
            is_image=clean.is_image,
            caption=(caption or "").strip()[:200],
            uploaded_by=actor.user,
        )
        evidence.file.save(clean.name, ContentFile(clean.content), save=False)
        evidence.save()
        record(
            actor,
            change_for("activity.evidence", evidence, school_id=evidence.school_id, after=snapshot(evidence)),
        )
    return evidence


def set_exhibition_approved(*, actor: Actor, evidence: Evidence, approved: bool) -> Evidence:
    require(can_manage_campaign(actor, evidence.activity.school), rules.MANAGE_MESSAGE)
    if approved and not evidence.is_image:
        raise Invalid(gettext("只有照片可以用于成果展示。"))
    with transaction.atomic():
        before = snapshot(evidence, ["exhibition_approved"])
        updated = Evidence.objects.filter(pk=evidence.pk).update(exhibition_approved=approved)
        if not updated:
            raise NotAllowed(gettext("这份材料已被删除。"))
        evidence.exhibition_approved = approved
        record(
            actor,
            change_for(
                "activity.evidence_exhibition",
                evidence,
                school_id=evidence.school_id,
                before=before,
                after=snapshot(evidence, ["exhibition_approved"]),
            ),
        )
    return evidence


def delete_evidence(*, actor: Actor, evidence: Evidence) -> None:
    require(
        rules.can_record_results(actor, evidence.activity),
        gettext("只有活动负责人或工作小组成员可以删除活动材料。"),
    )
    with transaction.atomic():
        record(
            actor,
            change_for(
                "activity.evidence_delete", evidence, school_id=evidence.school_id, before=snapshot(evidence)
            ),
        )
        evidence.delete()
