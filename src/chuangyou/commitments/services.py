"""Writes to commitments: declare, draft items, submit, return, publish, revise, report progress,
mark fulfilment, file with the bureau, and the school's settings.

Every function checks its predicate first, runs in one transaction and is audited in it. Steps that
change a commitment's state or an item's version lock the commitment row and re-check its status
under the lock, so a double click or two reviewers at once publish (or revise) once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import change_for, record, record_many, snapshot
from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import rules
from chuangyou.commitments.models import (
    EDITABLE,
    Category,
    Commitment,
    CommitmentSettings,
    Evidence,
    Filing,
    Fulfilment,
    Item,
    ItemVersion,
    ProgressReport,
    Status,
)
from chuangyou.commitments.selectors import settings_of
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.lib.uploads import clean_upload
from chuangyou.lib.validation import clean_text
from chuangyou.org.models import PartyBranch, School, Staff
from chuangyou.org.rules import Actor, is_branch_secretary, require

DRAFT_MESSAGE = gettext_lazy("只能由承诺人本人（党支部承诺由党支部书记）填写和修改承诺。")
REVIEW_MESSAGE = gettext_lazy("只有承诺人所在党支部的书记可以审核公开承诺。")
FULFIL_MESSAGE = gettext_lazy("只有党支部书记或工作小组可以评定承诺是否兑现。")
FILE_MESSAGE = gettext_lazy("只有该党支部书记或学校管理员可以向教育局申报备案。")
SETTINGS_MESSAGE = gettext_lazy("只有本校管理员、领导小组或工作小组成员可以修改承诺设置。")
MAX_EVIDENCE_FILES = 5
EVIDENCE_TYPES = ("jpg", "jpeg", "png", "pdf", "doc", "docx")


def _category(value: str) -> str:
    if value not in Category.values:
        message = gettext("类别须为学习、工作、自律或服务。")
        raise Invalid(message, {"category": [message]})
    return value


def _locked(commitment: Commitment) -> Commitment:
    # Lock only the commitment row: PostgreSQL refuses FOR UPDATE on the outer-joined owners.
    return (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("school", "owner_staff", "owner_branch")
        .get(pk=commitment.pk)
    )


def _commitment_change(action: str, commitment: Commitment, before: dict[str, Any] | None = None) -> Any:
    return change_for(
        action, commitment, school_id=commitment.school_id, before=before, after=snapshot(commitment)
    )


# --- declaring ---------------------------------------------------------------------------------


def declare(
    *, actor: Actor, campaign: Campaign, staff: Staff | None = None, branch: PartyBranch | None = None
) -> Commitment:
    """Open a draft for a staff member (by themselves) or a branch (by its secretary)."""
    if (staff is None) == (branch is None):
        raise Invalid(gettext("请指定承诺人：本人或一个党支部。"))
    school = campaign.school
    if branch is not None:
        require(
            branch.school_id == school.pk and is_branch_secretary(actor, branch),
            gettext("只有党支部书记可以为本支部作出承诺。"),
        )
    else:
        assert staff is not None
        own = actor.user is not None and staff.user_id == actor.user.pk
        require(actor.system or (own and staff.school_id == school.pk), gettext("只能为自己作出承诺。"))
    try:
        with transaction.atomic():
            commitment = Commitment.objects.create(
                school=school, campaign=campaign, owner_staff=staff, owner_branch=branch
            )
            record(actor, _commitment_change("commitment.declare", commitment))
    except IntegrityError as exc:
        raise Conflict(gettext("本次活动中已经有这份承诺了，请继续填写原来的承诺。")) from exc
    return commitment


def _require_draft(actor: Actor, commitment: Commitment) -> None:
    require(rules.can_draft(actor, commitment), DRAFT_MESSAGE)
    if commitment.status not in EDITABLE:
        raise Conflict(gettext("承诺已提交或已公开，不能直接修改；公开后的修改须说明原因并留存版本。"))


def add_item(
    *, actor: Actor, commitment: Commitment, category: str, content: str, measures: str, deadline: dt.date
) -> Item:
    require(rules.can_draft(actor, commitment), DRAFT_MESSAGE)
    with transaction.atomic():
        locked = _locked(commitment)
        _require_draft(actor, locked)
        item = Item.objects.create(
            school_id=locked.school_id,
            commitment=locked,
            category=_category(category),
            content=clean_text(content, field="content", label=gettext("承诺内容"), max_length=1000),
            measures=clean_text(measures, field="measures", label=gettext("具体措施"), max_length=1000),
            deadline=deadline,
        )
        record(
            actor, change_for("commitment_item.create", item, school_id=item.school_id, after=snapshot(item))
        )
    return item


def update_item(
    *, actor: Actor, item: Item, category: str, content: str, measures: str, deadline: dt.date
) -> Item:
    """Edit a draft item. A published one is changed by `revise_item`, never here."""
    require(rules.can_draft(actor, item.commitment), DRAFT_MESSAGE)
    with transaction.atomic():
        _require_draft(actor, _locked(item.commitment))
        row = Item.objects.get(pk=item.pk)
        before = snapshot(row)
        row.category = _category(category)
        row.content = clean_text(content, field="content", label=gettext("承诺内容"), max_length=1000)
        row.measures = clean_text(measures, field="measures", label=gettext("具体措施"), max_length=1000)
        row.deadline = deadline
        row.save(update_fields=["category", "content", "measures", "deadline"])
        record(
            actor,
            change_for(
                "commitment_item.update", row, school_id=row.school_id, before=before, after=snapshot(row)
            ),
        )
    return row


def delete_item(*, actor: Actor, item: Item) -> None:
    require(rules.can_draft(actor, item.commitment), DRAFT_MESSAGE)
    with transaction.atomic():
        _require_draft(actor, _locked(item.commitment))
        record(
            actor, change_for("commitment_item.delete", item, school_id=item.school_id, before=snapshot(item))
        )
        Item.objects.filter(pk=item.pk).delete()


# --- review ------------------------------------------------------------------------------------


def check_item_count(commitment: Commitment, count: int, rules_row: CommitmentSettings) -> None:
    if commitment.is_branch:
        if count < rules_row.branch_min_items:
            raise Invalid(
                gettext("党支部承诺至少 %(branch_min_items)s 条，现有 %(count)s 条。")
                % {"branch_min_items": rules_row.branch_min_items, "count": count}
            )
    elif not rules_row.person_min_items <= count <= rules_row.person_max_items:
        raise Invalid(
            gettext("个人承诺须为 %(person_min_items)s–%(person_max_items)s 条，现有 %(count)s 条。")
            % {
                "person_min_items": rules_row.person_min_items,
                "person_max_items": rules_row.person_max_items,
                "count": count,
            }
        )


def submit(*, actor: Actor, commitment: Commitment) -> Commitment:
    require(rules.can_draft(actor, commitment), DRAFT_MESSAGE)
    with transaction.atomic():
        locked = _locked(commitment)
        if locked.status not in EDITABLE:
            raise Conflict(gettext("这份承诺已经提交过了。"))
        check_item_count(locked, Item.objects.filter(commitment=locked).count(), settings_of(locked.school))
        before = snapshot(locked)
        locked.status, locked.submitted_at = Status.SUBMITTED, timezone.now()
        locked.save(update_fields=["status", "submitted_at"])
        record(actor, _commitment_change("commitment.submit", locked, before))
    return locked


def return_commitment(*, actor: Actor, commitment: Commitment, reason: str) -> Commitment:
    require(rules.can_review(actor, commitment), REVIEW_MESSAGE)
    reason = clean_text(reason, field="reason", label=gettext("退回理由"), max_length=500)
    with transaction.atomic():
        locked = _locked(commitment)
        if locked.status != Status.SUBMITTED:
            raise Conflict(gettext("只能退回待审核的承诺。"))
        before = snapshot(locked)
        locked.status, locked.return_reason = Status.RETURNED, reason
        locked.save(update_fields=["status", "return_reason"])
        record(actor, _commitment_change("commitment.return", locked, before))
    return locked


def _version(item: Item, actor: Actor, *, reason: str, at: dt.datetime) -> ItemVersion:
    return ItemVersion(
        school_id=item.school_id,
        item=item,
        number=item.version,
        category=item.category,
        content=item.content,
        measures=item.measures,
        deadline=item.deadline,
        reason=reason,
        changed_by=actor.user,
        changed_by_label=actor.label[:120],
        changed_at=at,
    )


def publish(*, actor: Actor, commitment: Commitment) -> Commitment:
    """Make a submitted commitment public; each item's text becomes its version 1."""
    require(rules.can_review(actor, commitment), REVIEW_MESSAGE)
    with transaction.atomic():
        locked = _locked(commitment)
        if locked.status != Status.SUBMITTED:
            raise Conflict(gettext("只能公开待审核的承诺；这份承诺可能已经公开。"))
        now = timezone.now()
        before = snapshot(locked)
        locked.status, locked.published_at, locked.published_by = Status.PUBLISHED, now, actor.user
        locked.return_reason = ""
        locked.save(update_fields=["status", "published_at", "published_by", "return_reason"])
        items = list(Item.objects.filter(commitment=locked))
        for item in items:
            item.version = 1
        Item.objects.bulk_update(items, ["version"])
        ItemVersion.objects.bulk_create([_version(i, actor, reason="", at=now) for i in items])
        record(actor, _commitment_change("commitment.publish", locked, before))
    return locked


def revise_item(
    *,
    actor: Actor,
    item: Item,
    category: str,
    content: str,
    measures: str,
    deadline: dt.date,
    reason: str,
) -> Item:
    """Change a published item: the new text is a new version, with who, when and why."""
    commitment = item.commitment
    require(rules.can_draft(actor, commitment) or rules.can_review(actor, commitment), DRAFT_MESSAGE)
    reason = clean_text(reason, field="reason", label=gettext("修改原因"), max_length=500)
    category = _category(category)
    content = clean_text(content, field="content", label=gettext("承诺内容"), max_length=1000)
    measures = clean_text(measures, field="measures", label=gettext("具体措施"), max_length=1000)
    with transaction.atomic():
        locked = _locked(commitment)
        if locked.status != Status.PUBLISHED:
            raise Conflict(gettext("承诺尚未公开，请直接修改草稿。"))
        row = Item.objects.get(pk=item.pk)
        if (row.category, row.content, row.measures, row.deadline) == (category, content, measures, deadline):
            raise Invalid(gettext("内容没有变化，无需修改。"))
        before = snapshot(row)
        row.category, row.content, row.measures, row.deadline = category, content, measures, deadline
        row.version += 1
        row.save(update_fields=["category", "content", "measures", "deadline", "version"])
        _version(row, actor, reason=reason, at=timezone.now()).save()
        record(
            actor,
            change_for(
                "commitment_item.revise",
                row,
                school_id=row.school_id,
                before=before,
                after=snapshot(row) | {"reason": reason},
            ),
        )
    return row


# --- 践诺 ----------------------------------------------------------------------------------------


def report_progress(
    *,
    actor: Actor,
    item: Item,
    text: str,
    files: Sequence[File[Any]] = (),
    on: dt.date | None = None,
) -> ProgressReport:
    """The owner's progress on a published item, with up to five evidence files (checked, EXIF-free)."""
    commitment = item.commitment
    require(
        rules.can_draft(actor, commitment),
        gettext("只有承诺人本人（党支部承诺由党支部书记）可以报告践诺进展。"),
    )
    text = clean_text(text, field="text", label=gettext("进展情况"), max_length=2000)
    if len(files) > MAX_EVIDENCE_FILES:
        message = gettext("每次最多上传 %(MAX_EVIDENCE_FILES)s 个佐证材料。") % {
            "MAX_EVIDENCE_FILES": MAX_EVIDENCE_FILES
        }
        raise Invalid(message, {"evidence": [message]})
    cleaned = [
        clean_upload(name=f.name or "file", data=f, allowed=EVIDENCE_TYPES, field="evidence") for f in files
    ]
    with transaction.atomic():
        locked = _locked(commitment)
        if locked.status != Status.PUBLISHED:
            raise Conflict(gettext("承诺公开后才能报告践诺进展。"))
        report = ProgressReport.objects.create(
            school_id=locked.school_id,
            item=item,
            text=text,
            reported_on=on or timezone.localdate(),
            reported_by=actor.user,
        )
        day = report.reported_on
        if locked.last_progress_on is None or locked.last_progress_on < day:
            locked.last_progress_on = day
            locked.save(update_fields=["last_progress_on"])
        evidence = []
        for clean in cleaned:
            row = Evidence(school_id=locked.school_id, report=report, name=clean.name[:120])
            row.file.save(clean.name, ContentFile(clean.content), save=False)
            row.save()
            evidence.append(row)
        changes = [
            change_for(
                "commitment_progress.create", report, school_id=report.school_id, after=snapshot(report)
            )
        ]
        changes += [
            change_for("commitment_evidence.create", e, school_id=e.school_id, after=snapshot(e))
            for e in evidence
        ]
        record_many(actor, changes)
    return report


def mark_fulfilment(*, actor: Actor, item: Item, fulfilled: bool, reason: str = "") -> Item:
    """At the end: fulfilled, or not fulfilled with the reason why."""
    require(rules.can_mark_fulfilment(actor, item.commitment), FULFIL_MESSAGE)
    reason = (reason or "").strip()
    if not fulfilled and not reason:
        message = gettext("未兑现的承诺须写明原因。")
        raise Invalid(message, {"reason": [message]})
    with transaction.atomic():
        locked = _locked(item.commitment)
        if locked.status != Status.PUBLISHED:
            raise Conflict(gettext("只能评定已公开的承诺。"))
        row = Item.objects.get(pk=item.pk)
        before = snapshot(row)
        row.fulfilment = Fulfilment.FULFILLED if fulfilled else Fulfilment.NOT_FULFILLED
        row.fulfilment_reason = "" if fulfilled else reason[:1000]
        row.fulfilment_on, row.fulfilment_by = timezone.localdate(), actor.user
        row.save(update_fields=["fulfilment", "fulfilment_reason", "fulfilment_on", "fulfilment_by"])
        record(
            actor,
            change_for(
                "commitment_item.fulfilment", row, school_id=row.school_id, before=before, after=snapshot(row)
            ),
        )
    return row


# --- 申报备案 ------------------------------------------------------------------------------------


def file_with_bureau(*, actor: Actor, commitment: Commitment) -> Filing:
    if not commitment.is_branch:
        raise Invalid(gettext("向教育局申报备案的是党支部的承诺。"))
    require(rules.can_file(actor, commitment), FILE_MESSAGE)
    try:
        with transaction.atomic():
            locked = _locked(commitment)
            if locked.status != Status.PUBLISHED:
                raise Conflict(gettext("承诺公开后才能申报备案。"))
            filing = Filing.objects.create(
                school_id=locked.school_id,
                commitment=locked,
                bureau_id=locked.school.bureau_id,
                filed_on=timezone.localdate(),
                filed_by=actor.user,
                filed_by_label=actor.label[:120],
                item_count=Item.objects.filter(commitment=locked).count(),
            )
            record(
                actor,
                change_for("commitment.file", filing, school_id=filing.school_id, after=snapshot(filing)),
            )
    except IntegrityError as exc:
        raise Conflict(gettext("这份承诺已经申报备案。")) from exc
    return filing


# --- settings ----------------------------------------------------------------------------------


def update_settings(
    *,
    actor: Actor,
    school: School,
    person_min_items: int,
    person_max_items: int,
    branch_min_items: int,
    progress_interval_days: int,
) -> CommitmentSettings:
    require(rules.can_change_settings(actor, school), SETTINGS_MESSAGE)
    if not 1 <= person_min_items <= person_max_items:
        message = gettext("个人承诺的最少条数须至少为 1，且不大于最多条数。")
        raise Invalid(message, {"person_max_items": [message]})
    if branch_min_items < 1:
        raise Invalid(
            gettext("党支部承诺最少条数须至少为 1。"), {"branch_min_items": [gettext("须至少为 1。")]}
        )
    if not 7 <= progress_interval_days <= 366:
        message = gettext("进展报告间隔须在 7 至 366 天之间。")
        raise Invalid(message, {"progress_interval_days": [message]})
    with transaction.atomic():
        row, _created = CommitmentSettings.objects.select_for_update().get_or_create(school=school)
        before = snapshot(row)
        row.person_min_items, row.person_max_items = person_min_items, person_max_items
        row.branch_min_items, row.progress_interval_days = branch_min_items, progress_interval_days
        row.save()
        record(
            actor,
            change_for(
                "commitment_settings.update", row, school_id=school.pk, before=before, after=snapshot(row)
            ),
        )
    return row
