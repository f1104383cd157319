"""表彰与荣誉: issued honors with gapless certificate numbers, prize money against a budget, the seal,
batch certificate files, and the long-term honor rule.

Prize budgets: each budget is our own row linked one-to-one to a campaign's 经费 line
(`campaigns.ResourceLine`). The plan's line is what the school planned; `PrizeBudget.amount` is what
may be committed to prizes from it, raised only by a leader through `raise_budget` (audited). Keeping
our own row means the campaigns app's editing of its plan can't silently move prize money.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangyou.campaigns.models import Campaign, ResourceLine
from chuangyou.nominations.models import AwardType, Nomination, Notice
from chuangyou.org.models import School, SchoolOwned, Staff, Student
from chuangyou.storage import private_storage


class Honor(SchoolOwned):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, related_name="honor")
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="honors")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("获奖者"), max_length=120)
    unit = models.CharField(_("班级或单位"), max_length=120)
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("证书编号"), max_length=80, unique=True)
    issued_on = models.DateField(_("颁发日期"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    citation = models.CharField(_("颁奖词"), max_length=300, blank=True)
    photo = models.ImageField(_("照片"), upload_to="honors/photos/", blank=True, storage=private_storage)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    revoked_reason = models.CharField(_("撤销原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["award_type", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["award_type", "year", "serial"], name="honor_serial_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.award_type.name}"


class CertificateCounter(models.Model):
    """The last serial given per award type and year: locked while issuing, so numbers have no gaps."""

    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["award_type", "year"], name="counter_unique")]

    def __str__(self) -> str:
        return f"{self.award_type_id}/{self.year}: {self.last}"


class PrizeBudget(SchoolOwned):
    line = models.OneToOneField(ResourceLine, on_delete=models.PROTECT, related_name="prize_budget")
    amount = models.DecimalField(_("奖金预算（元）"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("奖金预算")
        verbose_name_plural = _("奖金预算")

    def __str__(self) -> str:
        return self.line.name


class Payable(SchoolOwned):
    """One prize to pay: added when the honor is issued, marked paid by the finance office."""

    budget = models.ForeignKey(PrizeBudget, on_delete=models.PROTECT, related_name="payables")
    honor = models.OneToOneField(Honor, on_delete=models.PROTECT, related_name="payable")
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("支付日期"), null=True, blank=True)
    cancelled = models.BooleanField(_("已取消"), default=False)

    class Meta:
        verbose_name = _("应付奖金")
        verbose_name_plural = _("应付奖金")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(name="payable_positive", condition=Q(amount__gt=Decimal(0))),
        ]

    def __str__(self) -> str:
        return f"{self.honor} · {self.amount}"


class Seal(models.Model):
    """The school's seal image for certificates (a PNG with a transparent background)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    image = models.FileField(upload_to="honors/seals/", storage=private_storage)

    def __str__(self) -> str:
        return f"{self.school_id} seal"


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class CertificateBatch(SchoolOwned):
    """All of a notice's certificates, generated in the background as one PDF or a zip of PDFs."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="+")
    as_zip = models.BooleanField(_("逐张打包（zip）"), default=False)
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="honors/batches/", blank=True, storage=private_storage)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"batch {self.pk}"

    @property
    def percent(self) -> int:
        return (
            100 if self.status == BatchStatus.DONE else (self.done * 100 // self.total if self.total else 0)
        )


class LongTermRule(SchoolOwned):
    """荣誉体系: N years with an award earns a long-term recognition, proposed by the system."""

    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="+")
    years = models.PositiveSmallIntegerField(_("连续年数"), default=3)
    title = models.CharField(_("称号"), max_length=60, default="长期优秀")

    class Meta:
        verbose_name = _("长期荣誉规则")
        verbose_name_plural = _("长期荣誉规则")

    def __str__(self) -> str:
        return self.title


class LongTermRecognition(SchoolOwned):
    rule = models.ForeignKey(LongTermRule, on_delete=models.PROTECT, related_name="recognitions")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    years_text = models.CharField(_("获奖年度"), max_length=60)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "student"], name="long_term_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rule.title} · {self.student_id}"
