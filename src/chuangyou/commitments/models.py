"""公开承诺: a branch's or a person's commitments for a campaign (承诺), their progress (践诺), and the
fulfilment marks the appraisal (评诺) reads.

A commitment is one owner's declaration for one campaign; its items are what is promised. Once
published, an item's text changes only by a new `ItemVersion`, so the board can say "已修改 N 次".
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangyou.campaigns.models import Campaign
from chuangyou.org.models import Bureau, PartyBranch, SchoolOwned, Staff
from chuangyou.storage import private_storage


class CommitmentSettings(SchoolOwned):
    """A school's rules for commitments. The defaults are DOMAIN.md's; a school changes them here."""

    person_min_items = models.PositiveSmallIntegerField(_("个人承诺最少条数"), default=2)
    person_max_items = models.PositiveSmallIntegerField(_("个人承诺最多条数"), default=5)
    branch_min_items = models.PositiveSmallIntegerField(_("党支部承诺最少条数"), default=10)
    progress_interval_days = models.PositiveSmallIntegerField(_("践诺进展报告间隔（天）"), default=90)

    class Meta:
        verbose_name = _("承诺设置")
        verbose_name_plural = _("承诺设置")
        constraints = [
            models.UniqueConstraint(fields=["school"], name="commitment_settings_one_per_school"),
            models.CheckConstraint(
                name="commitment_settings_person_range",
                condition=Q(person_max_items__gte=models.F("person_min_items")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} 承诺设置"


class Category(models.TextChoices):
    STUDY = "study", _("学习")
    WORK = "work", _("工作")
    DISCIPLINE = "discipline", _("自律")
    SERVICE = "service", _("服务")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    RETURNED = "returned", _("已退回")
    PUBLISHED = "published", _("已公开")


EDITABLE = (Status.DRAFT, Status.RETURNED)


class Commitment(SchoolOwned):
    """One owner's commitments for one campaign: a party branch's, or one staff member's."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="commitments")
    owner_staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    owner_branch = models.ForeignKey(
        PartyBranch, on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    return_reason = models.TextField(_("退回理由"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The day of the latest progress report on any item: the overdue list filters on it.
    last_progress_on = models.DateField(_("最近进展报告"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公开承诺")
        verbose_name_plural = _("公开承诺")
        ordering = ["campaign", "owner_branch", "owner_staff__name", "pk"]
        constraints = [
            models.CheckConstraint(
                name="commitment_exactly_one_owner",
                condition=(Q(owner_staff__isnull=False) & Q(owner_branch__isnull=True))
                | (Q(owner_staff__isnull=True) & Q(owner_branch__isnull=False)),
            ),
            # One declaration per owner per campaign: a double "declare" is a clean 409.
            models.UniqueConstraint(fields=["campaign", "owner_staff"], name="commitment_one_per_staff"),
            models.UniqueConstraint(fields=["campaign", "owner_branch"], name="commitment_one_per_branch"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name}的承诺"

    @property
    def owner_name(self) -> str:
        if self.owner_branch_id is not None:
            assert self.owner_branch is not None
            return self.owner_branch.name
        assert self.owner_staff is not None
        return self.owner_staff.name

    @property
    def is_branch(self) -> bool:
        return self.owner_branch_id is not None

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE


class Fulfilment(models.TextChoices):
    PENDING = "pending", _("践诺中")
    FULFILLED = "fulfilled", _("已兑现")
    NOT_FULFILLED = "not_fulfilled", _("未兑现")


class Item(SchoolOwned):
    """One promise. Its fields are the current version; `version` counts the published versions."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="items")
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    content = models.TextField(_("承诺内容"))
    measures = models.TextField(_("具体措施"))
    deadline = models.DateField(_("完成时限"))
    version = models.PositiveSmallIntegerField(_("版本"), default=0)
    fulfilment = models.CharField(
        _("践诺结果"), max_length=14, choices=Fulfilment.choices, default=Fulfilment.PENDING
    )
    fulfilment_reason = models.TextField(_("未兑现原因"), blank=True)
    fulfilment_on = models.DateField(_("评定日期"), null=True, blank=True)
    fulfilment_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("承诺事项")
        verbose_name_plural = _("承诺事项")
        ordering = ["commitment", "pk"]
        constraints = [
            models.CheckConstraint(
                name="item_not_fulfilled_has_reason",
                condition=~Q(fulfilment="not_fulfilled") | ~Q(fulfilment_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.content[:40]

    @property
    def times_revised(self) -> int:
        """已修改 N 次: versions after the one first published."""
        return max(self.version - 1, 0)

    def is_past_deadline(self, today: dt.date) -> bool:
        return self.fulfilment == Fulfilment.PENDING and self.deadline < today


class ItemVersion(SchoolOwned):
    """A published text of an item, kept for ever: version 1 at publication, then one per revision."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本号"))
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    content = models.TextField(_("承诺内容"))
    measures = models.TextField(_("具体措施"))
    deadline = models.DateField(_("完成时限"))
    reason = models.TextField(_("修改原因"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_by_label = models.CharField(_("修改人"), max_length=120)
    changed_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("承诺版本")
        verbose_name_plural = _("承诺版本")
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="item_version_unique_number")]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"


class ProgressReport(SchoolOwned):
    """践诺: the owner's account of progress on one item, with evidence files."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("进展情况"))
    reported_on = models.DateField(_("报告日期"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("践诺进展")
        verbose_name_plural = _("践诺进展")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.reported_on}"


class Evidence(SchoolOwned):
    """A file behind a progress report. Private: served only by a rights-checking view."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("佐证材料"), upload_to="commitments/evidence/%Y/", storage=private_storage)
    name = models.CharField(_("文件名"), max_length=120)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class Filing(SchoolOwned):
    """申报备案: a branch's published commitments filed with the school's bureau."""

    commitment = models.OneToOneField(Commitment, on_delete=models.PROTECT, related_name="filing")
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="commitment_filings")
    filed_on = models.DateField(_("备案日期"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filed_by_label = models.CharField(_("备案人"), max_length=120)
    item_count = models.PositiveSmallIntegerField(_("承诺条数"))

    class Meta:
        verbose_name = _("申报备案")
        verbose_name_plural = _("申报备案")
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.commitment_id} 备案 {self.filed_on}"
