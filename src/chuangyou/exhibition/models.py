"""成果展示: the thumbnails of approved photos, made once, and requests to take a photo down."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangyou.activities.models import Evidence
from chuangyou.org.models import SchoolOwned
from chuangyou.storage import private_storage


class Thumbnail(SchoolOwned):
    """A small JPEG of an approved photo, made on its first showing and kept."""

    evidence = models.OneToOneField(Evidence, on_delete=models.CASCADE, related_name="thumbnail")
    file = models.FileField(upload_to="exhibition/thumbs/%Y/", storage=private_storage)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("缩略图")
        verbose_name_plural = _("缩略图")

    def __str__(self) -> str:
        return f"缩略图 · {self.evidence_id}"


class TakedownStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    REMOVED = "removed", _("已撤下")
    KEPT = "kept", _("不予撤下")


class Takedown(SchoolOwned):
    """A person asks for a photo to come off the exhibition; the working group decides."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="takedowns")
    name = models.CharField(_("姓名"), max_length=60)
    contact = models.CharField(_("联系方式"), max_length=60)
    reason = models.TextField(_("理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=TakedownStatus.choices, default=TakedownStatus.PENDING
    )
    reply = models.CharField(_("处理意见"), max_length=300, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("撤图申请")
        verbose_name_plural = _("撤图申请")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["evidence", "status"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.evidence_id}"
