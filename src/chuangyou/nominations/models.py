"""推荐与公示: award types with their quotas and gates, bottom-up nominations, public notices, objections.

An award type belongs to a school, or to a bureau for bureau-level awards (a check constraint keeps
exactly one of the two). Everything else is school data: a school's nominations for a bureau award
are still that school's rows.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chuangyou.campaigns.models import Campaign, ResourceLine
from chuangyou.org.models import Bureau, PartyBranch, School, SchoolClass, SchoolOwned, Staff, Student
from chuangyou.storage import private_storage


class Level(models.TextChoices):
    CLASS = "class", _("班级")
    GRADE = "grade", _("年级")
    SCHOOL = "school", _("学校")
    BUREAU = "bureau", _("教育局")


LEVEL_ORDER = [Level.CLASS, Level.GRADE, Level.SCHOOL, Level.BUREAU]


def next_level(level: str) -> str | None:
    i = LEVEL_ORDER.index(Level(level))
    return LEVEL_ORDER[i + 1] if i + 1 < len(LEVEL_ORDER) else None


class NomineeKind(models.TextChoices):
    STUDENT = "student", _("学生")
    TEACHER = "teacher", _("教师")
    PARTY_MEMBER = "party_member", _("党员")
    BRANCH = "branch", _("党支部")
    CLASS = "class", _("班级")
    TEAM = "team", _("团队")


class QuotaKind(models.TextChoices):
    COUNT = "count", _("名额数")
    SHARE = "share", _("比例")


class QuotaUnit(models.TextChoices):
    CLASS = "class", _("每班")
    GRADE = "grade", _("每年级")
    SCHOOL = "school", _("全校")
    BUREAU = "bureau", _("全局")  # a bureau award's places across all of the bureau's schools


DEFAULT_PATTERN = "{year}{school}{award}{serial:04d}"
BUREAU_PATTERN = "{year}{bureau}{award}{serial:04d}"  # a bureau award's serials run across its schools


class ProposalSource(models.TextChoices):
    """Award types decided by a measurable result: the system proposes nominees from this data."""

    VOLUNTEER_HOURS = "volunteer_hours", _("已认证志愿服务时长")
    FUNDED_PROJECTS = "funded_projects", _("获资助的创新项目")
    BOOK_PICKS = "book_picks", _("好书推荐月度评选")
    COMPETITION_PRIZES = "competition_prizes", _("竞赛一、二、三等奖")
    EXAM_FIRSTS = "exam_firsts", _("期中、期末考试第一名")


class AwardType(models.Model):
    """奖项. Its quota is its own: nothing moves a quota from one award type to another."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("奖项名称"), max_length=60)
    code = models.CharField(_("证书编号中的奖项代码"), max_length=10)
    level = models.CharField(_("评定层级"), max_length=10, choices=Level.choices)
    for_kind = models.CharField(_("表彰对象"), max_length=20, choices=NomineeKind.choices)
    quota_kind = models.CharField(_("名额方式"), max_length=10, choices=QuotaKind.choices)
    quota_value = models.DecimalField(_("名额（人数或比例）"), max_digits=6, decimal_places=3)
    quota_unit = models.CharField(_("名额范围"), max_length=10, choices=QuotaUnit.choices)
    school_send_quota = models.PositiveSmallIntegerField(
        _("每校报送名额"),
        null=True,
        blank=True,
        help_text=_("教育局级奖项按全局名额评选时，每所学校最多报送的人数"),
    )
    shortlist_ratio = models.DecimalField(
        _("差额比例"), max_digits=4, decimal_places=2, default=Decimal("1.20"), help_text=_("如 1.2 即 1:1.2")
    )
    prize = models.DecimalField(_("每人奖金（元）"), max_digits=10, decimal_places=2, default=Decimal(0))
    budget_line = models.ForeignKey(
        ResourceLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经费科目"),
    )
    number_pattern = models.CharField(_("证书编号格式"), max_length=60, default=DEFAULT_PATTERN)
    certificate_reason = models.CharField(
        _("证书表彰语"), max_length=120, default="在创先争优活动中表现突出，特授予此荣誉，以资鼓励。"
    )
    is_active = models.BooleanField(_("启用"), default=True)
    proposal_source = models.CharField(
        _("由系统依据数据提名"), max_length=20, choices=ProposalSource.choices, blank=True
    )

    class Meta:
        verbose_name = _("奖项")
        verbose_name_plural = _("奖项")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="award_type_school_or_bureau",
                condition=(Q(school__isnull=False) & Q(bureau__isnull=True))
                | (Q(school__isnull=True) & Q(bureau__isnull=False) & Q(level="bureau")),
            ),
            models.CheckConstraint(
                name="award_type_bureau_quota_unit",
                condition=~Q(quota_unit="bureau") | Q(bureau__isnull=False, school_send_quota__gte=1),
            ),
            models.UniqueConstraint(fields=["school", "name"], name="award_type_unique_name_school"),
            models.UniqueConstraint(fields=["bureau", "name"], name="award_type_unique_name_bureau"),
        ]

    def __str__(self) -> str:
        return self.name

    def quota_for(self, base: int) -> int:
        """The number of winners in one quota unit of `base` people (a share rounds down)."""
        if self.quota_kind == QuotaKind.COUNT:
            return int(self.quota_value)
        return math.floor(self.quota_value * base)

    def shortlist_for(self, quota: int) -> int:
        """How many a lower level may send up for `quota` places (差额: quota × ratio, rounded down)."""
        return max(quota, math.floor(quota * self.shortlist_ratio))

    @property
    def quota_text(self) -> str:
        unit = self.get_quota_unit_display()
        if self.quota_kind == QuotaKind.COUNT:
            return gettext("%(unit)s %(count)s 名") % {
                "unit": unit,
                "count": int(self.quota_value),
            }
        return gettext("%(unit)s不超过 %(percent)s%%") % {
            "unit": unit,
            "percent": format(self.quota_value * 100, ".0f"),
        }


class GateKind(models.TextChoices):
    MIN_PRIOR_HONORS = "min_prior_honors", _("此前至少获得 N 项某级别以上荣誉")
    NOT_WITHIN_YEARS = "not_within_years", _("N 年内未获同一奖项")
    MIN_VOLUNTEER_HOURS = "min_volunteer_hours", _("已认证志愿服务不少于 N 小时")
    NO_UPHELD_OBJECTION = "no_upheld_objection", _("N 年内无成立的异议")


class Gate(models.Model):
    """An eligibility rule of an award type: a kind and its parameters, evaluated by `gates.py`."""

    award_type = models.ForeignKey(AwardType, on_delete=models.CASCADE, related_name="gates")
    kind = models.CharField(_("条件类型"), max_length=30, choices=GateKind.choices)
    params = models.JSONField(_("参数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("评选条件")
        verbose_name_plural = _("评选条件")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class NominationStatus(models.TextChoices):
    ACTIVE = "active", _("推荐中")
    SELECTED = "selected", _("已入选")
    NOT_ADVANCED = "not_advanced", _("未推荐")
    REMOVED = "removed", _("异议成立，已取消")


class Nomination(SchoolOwned):
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="nominations")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("对象类型"), max_length=20, choices=NomineeKind.choices)
    student = models.ForeignKey(Student, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    branch = models.ForeignKey(PartyBranch, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nominee_name = models.CharField(_("被推荐人"), max_length=120)
    unit = models.CharField(_("班级或单位"), max_length=120)
    story = models.TextField(_("事迹材料"))
    evidence = models.JSONField(_("佐证（来自参与档案）"), default=list, blank=True)
    level = models.CharField(_("当前层级"), max_length=10, choices=Level.choices, default=Level.CLASS)
    status = models.CharField(
        _("状态"), max_length=16, choices=NominationStatus.choices, default=NominationStatus.ACTIVE
    )
    score = models.DecimalField(_("本级评分"), max_digits=7, decimal_places=2, null=True, blank=True)
    notice = models.ForeignKey(
        "Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    removal_note = models.CharField(_("取消说明"), max_length=300, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("推荐")
        verbose_name_plural = _("推荐")
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "campaign", "student"],
                condition=Q(student__isnull=False),
                name="nomination_once_per_student",
            ),
            models.UniqueConstraint(
                fields=["award_type", "campaign", "staff"],
                condition=Q(staff__isnull=False),
                name="nomination_once_per_staff",
            ),
            models.CheckConstraint(
                name="nomination_one_nominee",
                condition=(
                    Q(student__isnull=False, staff__isnull=True, branch__isnull=True)
                    | Q(student__isnull=True, staff__isnull=False, branch__isnull=True)
                    | Q(student__isnull=True, staff__isnull=True, branch__isnull=False)
                    | Q(
                        student__isnull=True,
                        staff__isnull=True,
                        branch__isnull=True,
                        school_class__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} · {self.award_type.name}"

    def notice_running(self, today: dt.date) -> bool:
        """While its notice runs, nothing about the nominee may change (the freeze)."""
        n = self.notice
        return n is not None and n.starts_on <= today <= n.ends_on


class Decision(SchoolOwned):
    """One decision at one level: who, when, what and why. Append-only."""

    class Outcome(models.TextChoices):
        NOMINATED = "nominated", _("推荐")
        ADVANCED = "advanced", _("推荐至上一级")
        SELECTED = "selected", _("确定入选")
        NOT_ADVANCED = "not_advanced", _("不予推荐")
        SCORED = "scored", _("评分")
        EDITED = "edited", _("修改材料")
        REMOVED = "removed", _("异议成立取消")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="decisions")
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    outcome = models.CharField(_("决定"), max_length=16, choices=Outcome.choices)
    reason = models.CharField(_("理由"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    by_label = models.CharField(_("决定人"), max_length=120)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("推荐决定")
        verbose_name_plural = _("推荐决定")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} · {self.by_label}"


class Notice(SchoolOwned):
    """公示: a shortlist made public for N working days. Its end date is computed, never typed.

    A school's notice has its school and campaign. A bureau's notice (教育局公示 of its bureau awards)
    has the bureau and the year instead: its nominees come from several schools, each of which keeps
    its own nomination rows. A check constraint keeps exactly one of the two shapes.
    """

    school = models.ForeignKey(  # type: ignore[assignment]
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    title = models.CharField(_("公示标题"), max_length=120)
    basis = models.TextField(_("评选依据"))
    starts_on = models.DateField(_("公示开始日期"))
    working_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    ends_on = models.DateField(_("公示截止日期"))
    # Where the calendar that counted the working days came from, as the notice was posted: the
    # chinese-calendar package, or a holiday schedule entered by hand (see org.HolidaySchedule). Data in
    # the notice's own language, like its title. Blank on notices posted before it was kept.
    workdays_source = models.CharField(_("工作日计算依据"), max_length=300, blank=True)
    office = models.CharField(_("受理部门"), max_length=60)
    phone = models.CharField(_("联系电话"), max_length=30)
    address = models.CharField(_("地址"), max_length=200)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="notice_school_or_bureau",
                condition=Q(school__isnull=False, campaign__isnull=False, bureau__isnull=True)
                | Q(school__isnull=True, campaign__isnull=True, bureau__isnull=False, year__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def issuer_name(self) -> str:
        """Who publishes it: the school, or the bureau for a bureau notice."""
        if self.bureau is not None:
            return self.bureau.name
        assert self.school is not None
        return self.school.name

    @property
    def notice_year(self) -> int:
        if self.campaign is not None:
            return self.campaign.year
        assert self.year is not None
        return self.year

    def state_on(self, today: dt.date) -> str:
        if today < self.starts_on:
            return "upcoming"
        return "running" if today <= self.ends_on else "ended"


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    VERIFYING = "verifying", _("核实中")
    UPHELD = "upheld", _("成立")
    REJECTED = "rejected", _("不成立")
    DEFERRED = "deferred", _("暂缓")
    REPLIED = "replied", _("已反馈")
    ARCHIVED = "archived", _("已归档")


class Objection(SchoolOwned):
    """异议. The objector keeps a code; only its hash is stored, so the list never reveals it."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="objections")
    is_anonymous = models.BooleanField(_("匿名"))
    name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    organization = models.CharField(_("单位名称"), max_length=100, blank=True)
    grounds = models.TextField(_("异议理由"))
    evidence = models.FileField(_("证据"), upload_to="objections/%Y/", blank=True, storage=private_storage)
    code_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("办理状态"), max_length=12, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED
    )
    outcome = models.CharField(_("核实结论"), max_length=12, choices=ObjectionStatus.choices, blank=True)
    due_on = models.DateField(_("本步办理期限"))
    deferred_until = models.DateField(_("暂缓至"), null=True, blank=True)
    reply = models.TextField(_("答复"), blank=True)
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"异议 #{self.pk} · {self.nomination.nominee_name}"

    @property
    def is_closed(self) -> bool:
        """Handled for good: 不成立 or 成立, and the objector has had the reply."""
        return self.outcome in (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED) and self.status in (
            ObjectionStatus.REPLIED,
            ObjectionStatus.ARCHIVED,
        )


class ObjectionStep(SchoolOwned):
    """One step of the handling, with its note: the history the objector's reply page doesn't show."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="steps")
    to_status = models.CharField(_("办理环节"), max_length=12, choices=ObjectionStatus.choices)
    note = models.TextField(_("办理记录"), blank=True)
    reply = models.TextField(_("给异议人的答复"), blank=True)  # as given at this step; every one is kept
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    by_label = models.CharField(_("经办人"), max_length=120)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("异议办理记录")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_to_status_display()


class ExamKind(models.TextChoices):
    MIDTERM = "midterm", _("期中考试")
    FINAL = "final", _("期末考试")


class Exam(SchoolOwned):
    """A midterm or final whose scores were imported, for 学科第一名 proposals."""

    year = models.PositiveSmallIntegerField(_("活动年度"))
    term = models.CharField(_("学期"), max_length=40, help_text=_("例如：2026 秋季学期"))
    kind = models.CharField(_("考试"), max_length=10, choices=ExamKind.choices)
    file_name = models.CharField(max_length=120)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考试")
        verbose_name_plural = _("考试")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "term", "kind"], name="exam_unique_term_kind")
        ]

    def __str__(self) -> str:
        return f"{self.term}{self.get_kind_display()}"


class ExamScore(SchoolOwned):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="scores")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    # The class at the time of the exam: first places are per class as it was then.
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("科目"), max_length=20)
    score = models.DecimalField(_("成绩"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("考试成绩")
        verbose_name_plural = _("考试成绩")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "student", "subject"], name="exam_score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.score}"
