"""The organization: bureau → school → grade → class, the party branch, the people, and their roles.

Every row of school data carries its school, so a query scoped by school can never leak another
school's rows, and a bureau reads its schools by a single join.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Bureau(models.Model):
    """教育局: owns many schools and receives their filings and nominations."""

    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("教育局")
        verbose_name_plural = _("教育局")

    def __str__(self) -> str:
        return self.name


class GradeNaming(models.TextChoices):
    # Schools write the same grade two ways; this picks how 创优 shows it back to them.
    SHORT = "short", _("初一、初二、初三 / 高一…")
    ORDINAL = "ordinal", _("七年级、八年级、九年级…")


class School(models.Model):
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="schools")
    code = models.SlugField(_("学校代码"), max_length=20, unique=True)
    name = models.CharField(_("校名"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    grade_naming = models.CharField(
        _("年级写法"), max_length=10, choices=GradeNaming.choices, default=GradeNaming.SHORT
    )

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SchoolOwned(models.Model):
    """A row of school data: it belongs to exactly one school."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


_SHORT_NAMES = {
    1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级",
    7: "初一", 8: "初二", 9: "初三", 10: "高一", 11: "高二", 12: "高三",
}  # fmt: skip
_ORDINAL_NAMES = {
    1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级",
    7: "七年级", 8: "八年级", 9: "九年级", 10: "高一", 11: "高二", 12: "高三",
}  # fmt: skip


def grade_name(level: int, naming: str) -> str:
    names = _ORDINAL_NAMES if naming == GradeNaming.ORDINAL else _SHORT_NAMES
    return names.get(level, f"{level}年级")


class Grade(SchoolOwned):
    """年级, identified by its level from 1 (小学一年级) to 12 (高三): 初一 and 七年级 are both 7."""

    level = models.PositiveSmallIntegerField(_("年级"))
    name = models.CharField(_("名称"), max_length=20)

    class Meta:
        verbose_name = _("年级")
        verbose_name_plural = _("年级")
        ordering = ["school", "level"]
        constraints = [models.UniqueConstraint(fields=["school", "level"], name="grade_unique_level")]

    def __str__(self) -> str:
        return self.name


class SchoolClass(SchoolOwned):
    """班级."""

    grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="classes")
    number = models.PositiveSmallIntegerField(_("班号"))

    class Meta:
        verbose_name = _("班级")
        verbose_name_plural = _("班级")
        ordering = ["school", "grade__level", "number"]
        constraints = [models.UniqueConstraint(fields=["grade", "number"], name="class_unique_number")]

    def __str__(self) -> str:
        return f"{self.grade.name}（{self.number}）班"


class PartyBranch(SchoolOwned):
    """党支部."""

    name = models.CharField(_("名称"), max_length=100)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("党支部")
        verbose_name_plural = _("党支部")

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Student(SchoolOwned):
    student_no = models.CharField(_("学号"), max_length=30)
    name = models.CharField(_("姓名"), max_length=60)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="students")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="student"
    )
    guardians: models.ManyToManyField[Guardian, Guardianship] = models.ManyToManyField(
        "Guardian", through="Guardianship", related_name="children"
    )

    class Meta:
        verbose_name = _("学生")
        verbose_name_plural = _("学生")
        ordering = ["school", "student_no"]
        constraints = [
            models.UniqueConstraint(fields=["school", "student_no"], name="student_unique_no"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.student_no}）"


class Guardian(SchoolOwned):
    """家长. One row per school; a parent with children in two schools has one account and two rows."""

    name = models.CharField(_("姓名"), max_length=60)
    phone = models.CharField(_("手机号"), max_length=11)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="guardians"
    )

    class Meta:
        verbose_name = _("家长")
        verbose_name_plural = _("家长")
        constraints = [models.UniqueConstraint(fields=["school", "phone"], name="guardian_unique_phone")]

    def __str__(self) -> str:
        return self.name


class Guardianship(SchoolOwned):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardianships")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="guardianships")

    class Meta:
        verbose_name = _("监护关系")
        constraints = [
            models.UniqueConstraint(fields=["student", "guardian"], name="guardianship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.guardian_id} → {self.student_id}"


class Staff(SchoolOwned):
    """教职工: teachers and other staff."""

    staff_no = models.CharField(_("工号"), max_length=30)
    name = models.CharField(_("姓名"), max_length=60)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)
    subject = models.CharField(_("任教学科"), max_length=30, blank=True)
    is_party_member = models.BooleanField(_("党员"), default=False)
    position = models.CharField(_("职务"), max_length=60, blank=True)
    party_branch = models.ForeignKey(
        PartyBranch, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="staff"
    )

    class Meta:
        verbose_name = _("教职工")
        verbose_name_plural = _("教职工")
        ordering = ["school", "staff_no"]
        constraints = [models.UniqueConstraint(fields=["school", "staff_no"], name="staff_unique_no")]

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_no}）"


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("教育局管理员")
    SCHOOL_ADMIN = "school_admin", _("学校管理员")
    LEADING_GROUP = "leading_group", _("领导小组")
    WORKING_GROUP = "working_group", _("工作小组")
    SUPERVISION_GROUP = "supervision_group", _("监督小组")
    HEAD_TEACHER = "head_teacher", _("班主任")
    BRANCH_SECRETARY = "branch_secretary", _("党支部书记")
    TEACHER = "teacher", _("教师")
    STUDENT = "student", _("学生")
    PARENT = "parent", _("家长")


GROUP_ROLES = (Role.LEADING_GROUP, Role.WORKING_GROUP, Role.SUPERVISION_GROUP)


class RoleMembershipQuerySet(models.QuerySet["RoleMembership"]):
    def active_on(self, day: dt.date) -> RoleMembershipQuerySet:
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class RoleMembership(models.Model):
    """A person holds a role over a span of dates: a group seat, 班主任 of a class, school admin…"""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=24, choices=Role.choices)
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    school_class = models.ForeignKey(
        SchoolClass, on_delete=models.PROTECT, null=True, blank=True, related_name="head_teachers"
    )
    party_branch = models.ForeignKey(
        PartyBranch, on_delete=models.PROTECT, null=True, blank=True, related_name="secretaries"
    )
    is_leader = models.BooleanField(_("组长"), default=False)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects = RoleMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色任职")
        verbose_name_plural = _("角色任职")
        ordering = ["role", "-is_leader", "starts_on"]
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    (Q(role="bureau_admin") & Q(bureau__isnull=False) & Q(school__isnull=True))
                    | (~Q(role="bureau_admin") & Q(school__isnull=False) & Q(bureau__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="membership_class_only_for_head_teacher",
                condition=Q(role="head_teacher", school_class__isnull=False)
                | (~Q(role="head_teacher") & Q(school_class__isnull=True)),
            ),
            models.CheckConstraint(
                name="membership_branch_only_for_secretary",
                condition=Q(role="branch_secretary", party_branch__isnull=False)
                | (~Q(role="branch_secretary") & Q(party_branch__isnull=True)),
            ),
            models.CheckConstraint(
                name="membership_dates_in_order",
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def is_active_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


class HolidaySchedule(models.Model):
    """A year's State Council holiday schedule (国务院办公厅关于某年部分节假日安排的通知), entered by hand
    for a year the `chinese-calendar` package doesn't cover yet. The package wins for any year it covers.

    Whose schedule counts, for a school's notices and objections: its bureau's, when the bureau entered
    one for that year (every school of the bureau uses it); otherwise the school's own. A school admin
    may enter one only while the bureau has none for that year; once the bureau enters it, the school's
    is kept but no longer used. A bureau's notices use the bureau's only. Exactly one of `bureau` and
    `school` is set. Dates are kept as ISO strings ("2027-01-01"), sorted.
    """

    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    holidays = models.JSONField(_("放假日期"), default=list)
    workdays = models.JSONField(_("调休上班日期"), default=list, blank=True)
    source_note = models.CharField(_("依据（通知文号）"), max_length=200)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"), auto_now=True)

    class Meta:
        verbose_name = _("放假安排")
        verbose_name_plural = _("放假安排")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                name="holidays_bureau_or_school",
                condition=Q(bureau__isnull=False, school__isnull=True)
                | Q(bureau__isnull=True, school__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["bureau", "year"],
                condition=Q(bureau__isnull=False),
                name="holidays_one_per_bureau_year",
            ),
            models.UniqueConstraint(
                fields=["school", "year"],
                condition=Q(school__isnull=False),
                name="holidays_one_per_school_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年放假安排"

    def holiday_dates(self) -> list[dt.date]:
        return [dt.date.fromisoformat(d) for d in self.holidays]

    def workday_dates(self) -> list[dt.date]:
        return [dt.date.fromisoformat(d) for d in self.workdays]

    @property
    def label(self) -> str:
        """What a notice counted with it says of its source (data, in the notice's language)."""
        who = "教育局" if self.bureau_id is not None else "学校"
        return f"{who}录入的 {self.year} 年放假安排（{self.source_note}）"
