"""One roster upload and what became of it: checked, previewed, confirmed, written."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangyou.org.models import SchoolOwned
from chuangyou.storage import private_storage


class Kind(models.TextChoices):
    STUDENTS = "students", _("学生名单")
    STAFF = "staff", _("教职工名单")


class Status(models.TextChoices):
    PENDING = "pending", _("排队中")
    CHECKING = "checking", _("检查中")
    READY = "ready", _("待确认")
    INVALID = "invalid", _("有错误")
    APPLYING = "applying", _("写入中")
    DONE = "done", _("已导入")
    FAILED = "failed", _("失败")


DETAIL_LABELS = {
    "classes_created": _("新建班级"),
    "guardians_created": _("新增家长"),
    "guardians_renamed": _("家长姓名更新"),
    "head_teacher_seats": _("新设班主任"),
}

# The states a page keeps polling in: the task has not finished with the file yet.
RUNNING_STATUSES = (Status.PENDING, Status.CHECKING, Status.APPLYING)


def _stored_name(instance: RosterImport, filename: str) -> str:
    # Rosters hold children's names and parents' phones: the stored name must not be guessable.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"roster/{instance.school_id}/{uuid.uuid4().hex}.{suffix}"


class RosterImport(SchoolOwned):
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    file = models.FileField(_("文件"), upload_to=_stored_name, storage=private_storage)
    original_name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("名单类型"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Write as soon as the check passes (the API's dry_run=false), instead of waiting for a confirm.
    apply_when_valid = models.BooleanField(_("检查通过后直接导入"), default=False)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("变更"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变"), default=0)
    details: models.JSONField[dict[str, Any]] = models.JSONField(_("其他统计"), default=dict, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    # The first errors, for the page; the annotated workbook in `report` has every one.
    errors: models.JSONField[list[dict[str, Any]]] = models.JSONField(_("错误"), default=list, blank=True)
    ignored_columns: models.JSONField[list[str]] = models.JSONField(_("忽略的列"), default=list, blank=True)
    report = models.FileField(_("错误报告"), upload_to=_stored_name, blank=True, storage=private_storage)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # When the import last moved (queued, started, confirmed): a running import that has not moved for
    # ROSTER_STALE_MINUTES lost its worker, and is marked failed when it is next read.
    status_changed_at = models.DateTimeField(_("状态更新时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("名单导入")
        verbose_name_plural = _("名单导入")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "-created_at"], name="roster_import_school_recent")]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def detail_lines(self) -> list[tuple[str, int]]:
        return [(str(DETAIL_LABELS.get(key, key)), value) for key, value in self.details.items() if value]

    @property
    def can_confirm(self) -> bool:
        return self.status == Status.READY and (self.created_count + self.updated_count) > 0
