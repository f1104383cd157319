"""创新项目: a semester's call (征集), the proposals made to it, its review panel and the recusals.

A proposal moves draft → submitted → under review → funded / not funded. Each move is kept as a
`Transition` (who, when, why) besides the audit log, so the applicant sees the history on the page.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from chuangyou.org.models import SchoolOwned, Staff, Student
from chuangyou.storage import private_storage


class Call(SchoolOwned):
    """征集: one per semester; the working group sets the dates, the budget and the rules."""

    title = models.CharField(_("征集名称"), max_length=120)
    semester = models.CharField(_("学期"), max_length=40, help_text=_("例如：2026 秋季学期"))
    opens_on = models.DateField(_("开始申报日期"))
    closes_on = models.DateField(_("截止申报日期"))
    budget = models.DecimalField(_("资助总额（元）"), max_digits=12, decimal_places=2)
    per_project_cap = models.DecimalField(
        _("单项资助上限（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    rules = models.TextField(_("申报与评审规则"), blank=True)
    min_panel_size = models.PositiveSmallIntegerField(_("评审组最少人数"))
    # Set when the working group opens the review: submissions close and the panel is fixed.
    review_opened_at = models.DateTimeField(_("评审开始时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("创新项目征集")
        verbose_name_plural = _("创新项目征集")
        ordering = ["school", "-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "semester"], name="project_call_one_per_semester"),
            models.CheckConstraint(
                name="project_call_dates_in_order", condition=Q(closes_on__gte=F("opens_on"))
            ),
            models.CheckConstraint(name="project_call_budget_not_negative", condition=Q(budget__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.semester} · {self.title}"

    def accepts_proposals(self, today: dt.date) -> bool:
        return self.review_opened_at is None and self.opens_on <= today <= self.closes_on


class PanelMember(SchoolOwned):
    """A seat on a call's review panel (评审组)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="panel")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="project_panels")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评审组成员")
        verbose_name_plural = _("评审组成员")
        ordering = ["call", "staff__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "staff"], name="project_panel_unique_member")]

    def __str__(self) -> str:
        return f"{self.call_id} · {self.staff_id}"


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("评审中")
    FUNDED = "funded", _("已立项资助")
    NOT_FUNDED = "not_funded", _("未获资助")


DECIDED = (Status.FUNDED, Status.NOT_FUNDED)


class Proposal(SchoolOwned):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    lead = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="led_projects")
    advisor = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="advised_projects")
    title = models.CharField(_("项目名称"), max_length=120)
    abstract = models.TextField(_("项目简介"))
    plan = models.TextField(_("实施计划"))
    budget_request = models.DecimalField(_("申请经费（元）"), max_digits=12, decimal_places=2)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    amount_granted = models.DecimalField(
        _("资助金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    panel_rank = models.PositiveSmallIntegerField(_("评审排名"), null=True, blank=True)
    panel_total = models.DecimalField(_("评审总分"), max_digits=7, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("创新项目申报")
        verbose_name_plural = _("创新项目申报")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(name="project_request_positive", condition=Q(budget_request__gt=0)),
            models.CheckConstraint(
                name="project_grant_only_when_funded",
                condition=(
                    Q(status="funded") & Q(amount_granted__gt=0) & Q(amount_granted__lte=F("budget_request"))
                )
                | (~Q(status="funded") & Q(amount_granted__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status == Status.DRAFT


class TeamMember(SchoolOwned):
    """A student on a proposal, the lead included. Unique per call: one project per student per semester."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="team")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="project_seats")
    is_lead = models.BooleanField(_("负责人"), default=False)

    class Meta:
        verbose_name = _("项目成员")
        verbose_name_plural = _("项目成员")
        ordering = ["proposal", "-is_lead", "student__student_no"]
        constraints = [models.UniqueConstraint(fields=["call", "student"], name="project_one_team_per_call")]

    def __str__(self) -> str:
        return f"{self.proposal_id} · {self.student_id}"


class Attachment(SchoolOwned):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to="projects/%Y/", storage=private_storage)
    name = models.CharField(_("文件名"), max_length=120)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申报附件")
        verbose_name_plural = _("申报附件")
        ordering = ["proposal", "pk"]

    def __str__(self) -> str:
        return self.name


class Recusal(SchoolOwned):
    """A panel member kept out of one proposal's review: they are its advisor (指导教师回避)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="recusals")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="project_recusals")
    reason = models.CharField(_("回避原因"), max_length=120)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评审回避")
        verbose_name_plural = _("评审回避")
        ordering = ["proposal", "staff__name"]
        constraints = [models.UniqueConstraint(fields=["proposal", "staff"], name="project_recusal_unique")]

    def __str__(self) -> str:
        return f"{self.staff_id} ↛ {self.proposal_id}"


class Transition(SchoolOwned):
    """One move of a proposal's state: from, to, by whom, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_label = models.CharField(_("操作人"), max_length=120)
    reason = models.TextField(_("原因"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        ordering = ["proposal", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"
