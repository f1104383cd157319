"""志愿服务: hours a student or teacher claims, certified by the organizer (谁记录谁证明)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangyou.org.models import Guardian, SchoolOwned, Staff, Student
from chuangyou.storage import private_storage

DEFAULT_MILESTONES = [100, 300, 600, 1000, 1500]


def default_milestones() -> list[int]:
    return list(DEFAULT_MILESTONES)


class VolunteerSettings(SchoolOwned):
    """A school's rules for counting hours, preset to DOMAIN.md's defaults and made on first use."""

    unit_hours = models.DecimalField(
        _("计时单位（小时）"), max_digits=4, decimal_places=2, default=Decimal("0.5")
    )
    max_hours_per_activity_day = models.DecimalField(
        _("每项活动每天最多（小时）"), max_digits=4, decimal_places=2, default=Decimal("8")
    )
    students_need_consent = models.BooleanField(_("学生（未成年人）须经监护人同意"), default=True)
    milestones = models.JSONField(_("里程碑（小时）"), default=default_milestones)

    class Meta:
        verbose_name = _("志愿服务规则")
        verbose_name_plural = _("志愿服务规则")
        constraints = [models.UniqueConstraint(fields=["school"], name="volunteer_settings_one_per_school")]

    def __str__(self) -> str:
        return f"志愿服务规则 · {self.school_id}"


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已认证")
    REJECTED = "rejected", _("未通过")


class Consent(models.TextChoices):
    NOT_NEEDED = "not_needed", _("无需")
    MISSING = "missing", _("待监护人同意")
    ONLINE = "online", _("家长在线同意")
    PAPER = "paper", _("纸质同意书")


class Claim(SchoolOwned):
    """One person's hours at one service on one day. Exactly one of `student` / `staff` is set."""

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, null=True, blank=True, related_name="volunteer_claims"
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="volunteer_claims"
    )
    served_on = models.DateField(_("服务日期"))
    service = models.CharField(_("服务项目"), max_length=120)
    organization = models.CharField(_("组织单位"), max_length=120)
    description = models.TextField(_("服务内容"))
    hours = models.DecimalField(_("时长（小时，不含路途）"), max_digits=5, decimal_places=2)
    evidence = models.FileField(
        _("证明照片"), upload_to="volunteering/%Y/", blank=True, storage=private_storage
    )
    organizer = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="volunteer_claims_to_certify", verbose_name=_("组织者")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    consent = models.CharField(_("监护人同意"), max_length=12, choices=Consent.choices)
    consent_guardian = models.ForeignKey(
        Guardian, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("志愿服务时长")
        verbose_name_plural = _("志愿服务时长")
        ordering = ["-served_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="claim_exactly_one_participant",
                condition=(Q(student__isnull=False) & Q(staff__isnull=True))
                | (Q(student__isnull=True) & Q(staff__isnull=False)),
            ),
            models.CheckConstraint(name="claim_hours_positive", condition=Q(hours__gt=0)),
        ]
        indexes = [models.Index(fields=["school", "status"]), models.Index(fields=["organizer", "status"])]

    def __str__(self) -> str:
        return f"{self.service} · {self.hours} 小时"

    @property
    def participant_name(self) -> str:
        person = self.student or self.staff
        return person.name if person else ""

    @property
    def consent_ready(self) -> bool:
        return self.consent != Consent.MISSING
