"""活动与报名: activities, sign-ups with a waitlist, teams, results, external awards and evidence.

Results and awards are rows, not text: the honors work reads them to check eligibility gates
("at least two school-level awards").
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chuangyou.campaigns.models import Campaign, Phase
from chuangyou.org.models import Grade, SchoolClass, SchoolOwned, Staff, Student
from chuangyou.storage import private_storage


class Kind(models.TextChoices):
    SUBJECT_CONTEST = "subject_contest", _("学科竞赛")
    SPORTS = "sports", _("体育竞技")
    ARTS = "arts", _("艺术展示")
    SCIENCE = "science", _("科技创新")
    SOCIAL_PRACTICE = "social_practice", _("社会实践")
    VOLUNTEER = "volunteer", _("志愿服务")
    THEME_EDUCATION = "theme_education", _("主题教育")
    READING = "reading", _("读书活动")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")


class Activity(SchoolOwned):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="activities")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("活动名称"), max_length=120)
    description = models.TextField(_("活动内容"), blank=True)
    person_in_charge = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="activities_in_charge", verbose_name=_("负责人")
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    venue = models.CharField(_("地点"), max_length=120, blank=True)
    resources = models.TextField(_("所需资源"), blank=True)
    safety_plan = models.FileField(
        _("安全预案"), upload_to="activities/safety/%Y/", blank=True, storage=private_storage
    )
    # Who may take part. No grade and no class chosen means the whole school.
    grades = models.ManyToManyField(Grade, blank=True, related_name="+", verbose_name=_("年级"))
    classes = models.ManyToManyField(SchoolClass, blank=True, related_name="+", verbose_name=_("班级"))
    for_students = models.BooleanField(_("学生可报名"), default=True)
    for_teachers = models.BooleanField(_("教师可报名"), default=False)
    for_party_members = models.BooleanField(_("党员教师可报名"), default=False)
    is_team = models.BooleanField(_("团体项目"), default=False)
    team_min = models.PositiveSmallIntegerField(_("每队最少人数"), default=1)
    team_max = models.PositiveSmallIntegerField(_("每队最多人数"), default=1)
    capacity = models.PositiveIntegerField(_("名额"))
    signup_opens = models.DateTimeField(_("报名开始"))
    signup_closes = models.DateTimeField(_("报名截止"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="activity_times_in_order", condition=Q(ends_at__gte=models.F("starts_at"))
            ),
            models.CheckConstraint(
                name="activity_signup_in_order", condition=Q(signup_closes__gte=models.F("signup_opens"))
            ),
            models.CheckConstraint(name="activity_capacity_positive", condition=Q(capacity__gte=1)),
            models.CheckConstraint(
                name="activity_team_sizes_in_order",
                condition=Q(team_min__gte=1) & Q(team_max__gte=models.F("team_min")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def signup_is_open(self, now: dt.datetime) -> bool:
        return self.status == Status.PUBLISHED and self.signup_opens <= now <= self.signup_closes


class RegStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITLISTED = "waitlisted", _("候补")
    WITHDRAWN = "withdrawn", _("已退出")


ACTIVE = (RegStatus.CONFIRMED, RegStatus.WAITLISTED)


class Registration(SchoolOwned):
    """报名: one place (or a waitlist spot) held by a person, or by a team through its captain."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    team_name = models.CharField(_("队名"), max_length=60, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RegStatus.choices)
    waitlist_position = models.PositiveIntegerField(_("候补顺位"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["activity", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="registration_one_person",
                condition=(Q(student__isnull=False) & Q(staff__isnull=True))
                | (Q(student__isnull=True) & Q(staff__isnull=False)),
            ),
            # A withdrawn row stays as history; a person may sign up again after withdrawing.
            models.UniqueConstraint(
                fields=["activity", "student"],
                condition=Q(student__isnull=False) & ~Q(status="withdrawn"),
                name="registration_unique_student",
            ),
            models.UniqueConstraint(
                fields=["activity", "staff"],
                condition=Q(staff__isnull=False) & ~Q(status="withdrawn"),
                name="registration_unique_staff",
            ),
            models.CheckConstraint(
                name="registration_waitlist_position",
                condition=Q(status="waitlisted", waitlist_position__isnull=False)
                | (~Q(status="waitlisted") & Q(waitlist_position__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        label = self.team_name or self.person_name
        return f"{label} · {self.activity_id}"

    @property
    def person(self) -> Student | Staff:
        person = self.student if self.student_id else self.staff
        assert person is not None
        return person

    @property
    def person_name(self) -> str:
        return self.person.name


class TeamMember(SchoolOwned):
    """A member of a team other than its captain. Removed when the team withdraws."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="members")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("队员")
        verbose_name_plural = _("队员")
        ordering = ["registration", "pk"]
        constraints = [
            models.CheckConstraint(
                name="team_member_one_person",
                condition=(Q(student__isnull=False) & Q(staff__isnull=True))
                | (Q(student__isnull=True) & Q(staff__isnull=False)),
            ),
            models.UniqueConstraint(fields=["activity", "student"], name="team_member_unique_student"),
            models.UniqueConstraint(fields=["activity", "staff"], name="team_member_unique_staff"),
        ]

    def __str__(self) -> str:
        person = self.student or self.staff
        return person.name if person else ""


class Award(models.TextChoices):
    FIRST = "first", _("一等奖")
    SECOND = "second", _("二等奖")
    THIRD = "third", _("三等奖")
    MERIT = "merit", _("优秀奖")


class Result(SchoolOwned):
    """成绩: a place, a score and an award level for one registration (a person or a team)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="result")
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    score = models.DecimalField(_("成绩"), max_digits=7, decimal_places=2, null=True, blank=True)
    award = models.CharField(_("奖项"), max_length=10, choices=Award.choices, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("成绩")
        verbose_name_plural = _("成绩")
        constraints = [
            models.CheckConstraint(
                name="result_has_something",
                condition=Q(rank__isnull=False) | Q(score__isnull=False) | ~Q(award=""),
            ),
        ]

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        parts = []
        if self.award:
            parts.append(str(self.get_award_display()))
        if self.rank is not None:
            parts.append(gettext("第%(rank)s名") % {"rank": self.rank})
        if self.score is not None:
            parts.append(gettext("%(score)s分") % {"score": format(self.score.normalize(), "f")})
        return " · ".join(parts)


class Level(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    SCHOOL = "school", _("校级")


class ExternalAward(SchoolOwned):
    """A prize won outside the school (全国中学生数学竞赛, 信息学奥赛 …), with its certificate scan."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    competition = models.CharField(_("竞赛名称"), max_length=120)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    award = models.CharField(_("奖项"), max_length=10, choices=Award.choices, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    awarded_on = models.DateField(_("获奖日期"))
    certificate = models.FileField(
        _("证书扫描件"), upload_to="activities/certificates/%Y/", storage=private_storage
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("校外竞赛获奖")
        verbose_name_plural = _("校外竞赛获奖")
        ordering = ["-awarded_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="external_award_has_award_or_rank", condition=Q(rank__isnull=False) | ~Q(award="")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competition} · {self.get_award_display() or self.rank}"


class Evidence(SchoolOwned):
    """A photo or file showing the activity happened. The exhibition shows only approved photos."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="activities/evidence/%Y/", storage=private_storage)
    original_name = models.CharField(max_length=120)
    is_image = models.BooleanField(default=False)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    exhibition_approved = models.BooleanField(_("可用于成果展示"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动材料")
        verbose_name_plural = _("活动材料")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.caption or self.original_name


class ResultImport(SchoolOwned):
    """One upload of a results workbook; a refused one keeps its annotated error report for download."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(max_length=120)
    applied = models.BooleanField(default=False)
    row_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    report = models.FileField(upload_to="activities/reports/%Y/", blank=True, storage=private_storage)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("成绩导入")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name
