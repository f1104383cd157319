"""The campaign plan (活动方案): theme, goals, dated phases, 分工, resources and the safety plan."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangyou.org.models import SchoolOwned, Staff
from chuangyou.storage import private_storage

# The plan's four stages, as seed 000 and DOMAIN.md name them. A school edits them freely.
DEFAULT_PHASES = ("动员部署", "全面争创", "对标定位", "总结完善")


class Campaign(SchoolOwned):
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("方案名称"), max_length=120)
    theme = models.CharField(_("主题"), max_length=200)
    goals = models.TextField(_("目标"), blank=True)
    principles = models.TextField(_("指导思想与原则"), blank=True)
    safety_plan = models.FileField(
        _("安全预案"), upload_to="campaigns/safety/%Y/", blank=True, storage=private_storage
    )
    safety_notes = models.TextField(_("安全预案要点"), blank=True)
    # Whether the school's public page (/s/<code>/) shows this plan's theme, phases and groups.
    is_public = models.BooleanField(_("在公开主页展示"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动方案")
        verbose_name_plural = _("活动方案")
        ordering = ["school", "-year"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="campaign_one_per_year")]

    def __str__(self) -> str:
        return self.title

    def current_phase(self, today: dt.date) -> Phase | None:
        """The phase whose dates hold `today`; phases are prefetched by the selectors that need this."""
        for phase in self.phases.all():
            if phase.starts_on <= today <= phase.ends_on:
                return phase
        return None

    def next_phase(self, today: dt.date) -> Phase | None:
        """The first phase still to come: what the school waits for between two phases."""
        upcoming = [p for p in self.phases.all() if p.starts_on > today]
        return min(upcoming, key=lambda p: p.starts_on) if upcoming else None

    def span(self) -> tuple[dt.date, dt.date] | None:
        phases = list(self.phases.all())
        if not phases:
            return None
        return min(p.starts_on for p in phases), max(p.ends_on for p in phases)


class Phase(SchoolOwned):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("阶段名称"), max_length=60)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.TextField(_("主要工作"), blank=True)

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="phase_unique_order"),
            models.CheckConstraint(
                name="phase_dates_in_order", condition=models.Q(ends_on__gte=models.F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def status_on(self, today: dt.date) -> str:
        if today < self.starts_on:
            return "upcoming"
        if today > self.ends_on:
            return "done"
        return "current"


class Assignment(SchoolOwned):
    """分工: one task with one accountable person and a deadline."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="assignments")
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments"
    )
    title = models.CharField(_("任务"), max_length=120)
    description = models.TextField(_("说明"), blank=True)
    owner = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="assignments")
    deadline = models.DateField(_("截止日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("分工任务")
        verbose_name_plural = _("分工任务")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        return self.done_on is None and self.deadline < today


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("场地")
    SUPPLIES = "supplies", _("物资")
    FUNDS = "funds", _("经费")


class ResourceLine(SchoolOwned):
    """A line of the plan's resources and budget: a venue, supplies, or money (an amount in yuan)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("类别"), max_length=10, choices=ResourceKind.choices)
    name = models.CharField(_("名称"), max_length=120)
    quantity = models.CharField(_("数量/规格"), max_length=60, blank=True)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("资源与经费")
        verbose_name_plural = _("资源与经费")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.name
