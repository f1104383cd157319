"""Reads of the organization, already limited to what the actor may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.lib.errors import NotFound
from chuangyou.lib.workdays import YearSchedule
from chuangyou.org.models import (
    Bureau,
    Guardian,
    HolidaySchedule,
    Role,
    RoleMembership,
    RoleMembershipQuerySet,
    School,
    SchoolClass,
    Staff,
    Student,
)
from chuangyou.org.rules import Actor, can_read_school, is_admin_of_bureau, is_school_admin

if TYPE_CHECKING:
    from chuangyou.accounts.models import User


def school_by_code(code: str) -> School:
    """The school a page or API address names (with its bureau); NotFound otherwise."""
    school = School.objects.select_related("bureau").filter(code=code).first()
    if school is None:
        raise NotFound(gettext("没有这所学校。"))
    return school


def bureau_by_code(code: str) -> Bureau:
    """The bureau a page or API address names; its own selectors decide what the actor may see there."""
    bureau = Bureau.objects.filter(code=code).first()
    if bureau is None:
        raise NotFound(gettext("没有这个教育局。"))
    return bureau


def schools_visible_to(actor: Actor) -> QuerySet[School]:
    if actor.system:
        return School.objects.all()
    return School.objects.filter(Q(pk__in=actor.school_ids()) | Q(bureau_id__in=actor.bureau_ids()))


def students_visible_to(actor: Actor, school: School) -> QuerySet[Student]:
    """The whole school for its office and bureau, a class for its 班主任, oneself, one's children."""
    base = Student.objects.filter(school=school).select_related("school_class__grade")
    if can_read_school(actor, school):
        return base
    allowed = Q(school_class_id__in=actor.head_teacher_class_ids()) | Q(pk__in=actor.child_student_ids)
    if actor.own_student_id is not None:
        allowed |= Q(pk=actor.own_student_id)
    return base.filter(allowed)


def staff_visible_to(actor: Actor, school: School) -> QuerySet[Staff]:
    if can_read_school(actor, school):
        return Staff.objects.filter(school=school).select_related("party_branch")
    return Staff.objects.none()


def classes_visible_to(actor: Actor, school: School) -> QuerySet[SchoolClass]:
    base = SchoolClass.objects.filter(school=school).select_related("grade")
    if can_read_school(actor, school):
        return base
    return base.filter(pk__in=actor.head_teacher_class_ids())


def memberships_visible_to(actor: Actor, school: School) -> RoleMembershipQuerySet:
    """Role seats in the school. The three groups are public inside the school; accounts aren't."""
    if can_read_school(actor, school) or is_school_admin(actor, school):
        return RoleMembership.objects.filter(school=school).select_related(
            "user", "school_class__grade", "party_branch"
        )
    return RoleMembership.objects.none()


def group_seats(school: School) -> QuerySet[RoleMembership]:
    """The leading, working and supervision groups: names are shown on the public page too."""
    return RoleMembership.objects.filter(
        school=school, role__in=[Role.LEADING_GROUP, Role.WORKING_GROUP, Role.SUPERVISION_GROUP]
    ).select_related("user")


# --- where an account serves: the boundary a school's admin may not cross (issue 9) -------------

PEOPLE_ROLES = (Role.STUDENT, Role.PARENT)


@dataclass(frozen=True)
class Places:
    """Where one account appears. The roster rows (student, guardian, staff) say which schools the
    person belongs to; seats held today or later say where else they serve."""

    student_school_ids: frozenset[int]
    guardian_school_ids: frozenset[int]
    staff_school_ids: frozenset[int]  # a staff row, or a seat other than student or parent
    bureau_ids: frozenset[int]  # a bureau admin seat

    @property
    def roster_school_ids(self) -> frozenset[int]:
        return self.student_school_ids | self.guardian_school_ids | self.staff_school_ids

    def serves_beyond(self, school: School) -> bool:
        """True when the account also belongs to another school (as staff, or as a parent there) or
        serves a bureau: then a reset by this school's admin would hand over someone else's keys."""
        return bool(self.bureau_ids) or bool(self.roster_school_ids - {school.pk})


def places_of(user: User) -> Places:
    today = timezone.localdate()
    seats = RoleMembership.objects.filter(user=user).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    staff_seats = seats.filter(school__isnull=False).exclude(role__in=PEOPLE_ROLES)
    return Places(
        student_school_ids=frozenset(Student.objects.filter(user=user).values_list("school_id", flat=True)),
        guardian_school_ids=frozenset(Guardian.objects.filter(user=user).values_list("school_id", flat=True)),
        staff_school_ids=frozenset(Staff.objects.filter(user=user).values_list("school_id", flat=True))
        | frozenset(staff_seats.values_list("school_id", flat=True)),
        bureau_ids=frozenset(
            seats.filter(role=Role.BUREAU_ADMIN, bureau__isnull=False).values_list("bureau_id", flat=True)
        ),
    )


def on_roster(user: User, school: School, role: str) -> bool:
    """May `user` hold a `role` seat in `school`? A student seat needs the school's student, a parent
    seat one of its guardians, any other seat one of its staff."""
    if role == Role.STUDENT:
        return Student.objects.filter(user=user, school=school).exists()
    if role == Role.PARENT:
        return Guardian.objects.filter(user=user, school=school).exists()
    return Staff.objects.filter(user=user, school=school).exists()


# --- the holiday schedules entered by hand, for years chinese-calendar doesn't cover yet ---------


def _as_schedule(row: HolidaySchedule) -> YearSchedule:
    return YearSchedule(
        year=row.year,
        holidays=frozenset(row.holiday_dates()),
        workdays=frozenset(row.workday_dates()),
        label=row.label,
    )


@dataclass
class EnteredSchedules:
    """The schedules a bureau's notices (`bureau_id`) or a school's notices and objections (`school_id`)
    count with, read a year at a time and only when the package lacks that year. For a school: its
    bureau's schedule of the year if the bureau entered one, else the school's own (see HolidaySchedule).
    Satisfies lib.workdays.Schedules."""

    bureau_id: int | None = None
    school_id: int | None = None
    _years: dict[int, YearSchedule | None] = field(default_factory=dict)

    def get(self, year: int, /) -> YearSchedule | None:
        if year not in self._years:
            if self.school_id is not None:
                owners = Q(school_id=self.school_id) | Q(bureau__schools__id=self.school_id)
            else:
                owners = Q(bureau_id=self.bureau_id)
            rows = sorted(
                HolidaySchedule.objects.filter(owners, year=year).distinct(),
                key=lambda row: row.bureau_id is None,  # the bureau's first
            )
            self._years[year] = _as_schedule(rows[0]) if rows else None
        return self._years[year]


def bureau_schedules(bureau_id: int) -> EnteredSchedules:
    return EnteredSchedules(bureau_id=bureau_id)


def school_schedules(school_id: int) -> EnteredSchedules:
    return EnteredSchedules(school_id=school_id)


def holiday_schedules_of_bureau(actor: Actor, bureau: Bureau) -> QuerySet[HolidaySchedule]:
    if not is_admin_of_bureau(actor, bureau.pk):
        return HolidaySchedule.objects.none()
    return HolidaySchedule.objects.filter(bureau=bureau).select_related("entered_by")


def holiday_schedules_of_school(actor: Actor, school: School) -> QuerySet[HolidaySchedule]:
    """The school's own schedules and its bureau's (shown read-only), for the school's admin."""
    if not is_school_admin(actor, school):
        return HolidaySchedule.objects.none()
    return HolidaySchedule.objects.filter(Q(school=school) | Q(bureau_id=school.bureau_id)).select_related(
        "entered_by"
    )
