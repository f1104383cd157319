"""统计与文稿: generated documents (总结, 简报) and each school's own 总结 template."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangyou.campaigns.models import Campaign
from chuangyou.org.models import Bureau, School
from chuangyou.storage import private_storage


class DocKind(models.TextChoices):
    SUMMARY = "summary", _("活动总结")
    BUREAU_SUMMARY = "bureau_summary", _("教育局活动总结")
    BRIEFING = "briefing", _("工作简报")


class DocState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    DONE = "done", _("已生成")
    FAILED = "failed", _("生成失败")


class Document(models.Model):
    """One generated document: made by a background task, downloaded from its page.

    A school's document has its school; a bureau's has its bureau."""

    kind = models.CharField(_("类别"), max_length=16, choices=DocKind.choices)
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=120)
    state = models.CharField(_("状态"), max_length=8, choices=DocState.choices, default=DocState.QUEUED)
    docx = models.FileField(upload_to="reports/%Y/", blank=True, storage=private_storage)
    pdf = models.FileField(upload_to="reports/%Y/", blank=True, storage=private_storage)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("文稿")
        verbose_name_plural = _("文稿")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="document_school_or_bureau",
                condition=(Q(school__isnull=False) & Q(bureau__isnull=True))
                | (Q(school__isnull=True) & Q(bureau__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Briefing(models.Model):
    """简报: numbered per year and unit, 增刊 numbered apart from the regular issues."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("期号"))
    is_supplement = models.BooleanField(_("增刊"), default=False)
    title = models.CharField(_("报头名称"), max_length=60)
    issuer = models.CharField(_("编发单位"), max_length=100)
    issued_on = models.DateField(_("印发日期"))
    period_start = models.DateField(_("起始日期"))
    period_end = models.DateField(_("截止日期"))
    distribution = models.JSONField(_("报送发"), default=dict)  # {"报": "...", "送": "...", "发": "..."}
    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="briefing")

    class Meta:
        verbose_name = _("简报")
        verbose_name_plural = _("简报")
        ordering = ["-year", "is_supplement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "is_supplement", "number"],
                condition=Q(school__isnull=False),
                name="briefing_school_number_unique",
            ),
            models.UniqueConstraint(
                fields=["bureau", "year", "is_supplement", "number"],
                condition=Q(bureau__isnull=False),
                name="briefing_bureau_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.label}"

    @property
    def label(self) -> str:
        kind = "增刊" if self.is_supplement else ""
        return f"{self.year}年{kind}第{self.number}期"


class SummaryTemplate(models.Model):
    """A school's own docxtpl template for its 总结; without one the app's default is used."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to="reports/templates/", storage=private_storage)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("总结模板")
        verbose_name_plural = _("总结模板")

    def __str__(self) -> str:
        return f"总结模板 · {self.school_id}"
