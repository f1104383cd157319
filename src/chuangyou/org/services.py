"""Writes to the organization: schools, classes, people and role seats. Each is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.audit.services import change_for, record, record_many, snapshot
from chuangyou.lib.errors import Conflict, Invalid, NotFound
from chuangyou.lib.logins import MOBILE_RE, account_key, generate_password
from chuangyou.org.models import (
    Bureau,
    Gender,
    Grade,
    Guardian,
    Guardianship,
    HolidaySchedule,
    PartyBranch,
    Role,
    RoleMembership,
    School,
    SchoolClass,
    Staff,
    Student,
    grade_name,
)
from chuangyou.org.rules import (
    Actor,
    can_manage_people,
    is_admin_of_bureau,
    is_bureau_admin_of,
    is_school_admin,
    require,
)
from chuangyou.org.selectors import on_roster

if TYPE_CHECKING:
    # The user model is the one settings.AUTH_USER_MODEL names, reached through get_user_model():
    # accounts builds on org, so org never imports it.
    from chuangyou.accounts.models import User


def create_bureau(*, actor: Actor, code: str, name: str) -> Bureau:
    require(actor.system, gettext("只有系统管理员可以创建教育局。"))
    with transaction.atomic():
        bureau = Bureau.objects.create(code=code, name=name)
        record(actor, change_for("bureau.create", bureau, school_id=None, after=snapshot(bureau)))
    return bureau


def create_school(*, actor: Actor, bureau: Bureau, code: str, name: str, **details: str) -> School:
    require(actor.system or bureau.pk in actor.bureau_ids(), gettext("只有本局管理员可以添加学校。"))
    if School.objects.filter(code=code).exists():
        raise Conflict(gettext("学校代码 %(code)s 已被使用。") % {"code": code})
    with transaction.atomic():
        school = School.objects.create(bureau=bureau, code=code, name=name, **details)
        record(actor, change_for("school.create", school, school_id=school.pk, after=snapshot(school)))
    return school


def ensure_class(*, actor: Actor, school: School, level: int, number: int) -> SchoolClass:
    """The class `level`-`number`, created with its grade on first use."""
    require(can_manage_people(actor, school), gettext("只有本校管理员可以添加班级。"))
    with transaction.atomic():
        grade, grade_created = Grade.objects.get_or_create(
            school=school, level=level, defaults={"name": grade_name(level, school.grade_naming)}
        )
        school_class, created = SchoolClass.objects.get_or_create(school=school, grade=grade, number=number)
        if grade_created:
            record(actor, change_for("grade.create", grade, school_id=school.pk, after=snapshot(grade)))
        if created:
            record(
                actor,
                change_for("class.create", school_class, school_id=school.pk, after=snapshot(school_class)),
            )
    return school_class


def create_party_branch(
    *, actor: Actor, school: School, name: str, founded_on: dt.date | None = None
) -> PartyBranch:
    require(can_manage_people(actor, school), gettext("只有本校管理员可以设置党支部。"))
    with transaction.atomic():
        branch = PartyBranch.objects.create(school=school, name=name, founded_on=founded_on)
        record(actor, change_for("branch.create", branch, school_id=school.pk, after=snapshot(branch)))
    return branch


def create_account(
    *, actor: Actor, school: School, login: str, display_name: str, phone: str | None = None
) -> User:
    """An account for a roster person. It has no usable password until an admin issues one."""
    require(can_manage_people(actor, school), gettext("只有本校管理员可以开设账号。"))
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                account_key(school_code=school.code, login=login),
                login=login,
                display_name=display_name,
                phone=phone or None,
            )
            record(actor, change_for("account.create", user, school_id=school.pk, after=snapshot(user)))
    except IntegrityError as exc:
        raise Conflict(
            gettext("账号 %(login)s 或手机号 %(phone)s 已被使用。") % {"login": login, "phone": phone}
        ) from exc
    return user


def grant_role(
    *,
    actor: Actor,
    user: User,
    role: Role,
    school: School | None = None,
    bureau: Bureau | None = None,
    school_class: SchoolClass | None = None,
    party_branch: PartyBranch | None = None,
    is_leader: bool = False,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> RoleMembership:
    """Give `user` a dated seat. A bureau admin seat is granted by the system; school seats by the
    school's admin; a school's first admin by its bureau."""
    if role == Role.BUREAU_ADMIN:
        require(actor.system, gettext("只有系统管理员可以任命教育局管理员。"))
        if bureau is None:
            raise Invalid(gettext("教育局管理员须指定教育局。"))
    else:
        if school is None:
            raise Invalid(gettext("请指定学校。"))
        allowed = can_manage_people(actor, school) or (
            role == Role.SCHOOL_ADMIN and is_bureau_admin_of(actor, school)
        )
        require(allowed, gettext("只有本校管理员可以分配角色。"))
        # A seat is how an account gets a school's rights (and its admin the right to reset that
        # account's password): only the school's own people may hold one (issue 9).
        if not on_roster(user, school, role):
            raise NotFound(
                gettext(
                    "本校名单上没有这个人：学生、家长的角色只能给本校学生和家长，其他角色只能给本校教职工。"
                )
            )
        if role == Role.HEAD_TEACHER and (school_class is None or school_class.school_id != school.pk):
            raise Invalid(gettext("班主任须指定本校的一个班级。"))
        if role != Role.HEAD_TEACHER and school_class is not None:
            raise Invalid(gettext("只有班主任角色关联班级。"))
        if role == Role.BRANCH_SECRETARY and (party_branch is None or party_branch.school_id != school.pk):
            raise Invalid(gettext("党支部书记须指定本校的一个党支部。"))
        if role != Role.BRANCH_SECRETARY and party_branch is not None:
            raise Invalid(gettext("只有党支部书记角色关联党支部。"))
    starts = starts_on or timezone.localdate()
    if ends_on is not None and ends_on < starts:
        raise Invalid(
            gettext("结束日期不能早于起始日期。"), {"ends_on": [gettext("结束日期不能早于起始日期。")]}
        )
    with transaction.atomic():
        membership = RoleMembership.objects.create(
            user=user,
            role=role,
            school=school if role != Role.BUREAU_ADMIN else None,
            bureau=bureau if role == Role.BUREAU_ADMIN else None,
            school_class=school_class,
            party_branch=party_branch,
            is_leader=is_leader,
            starts_on=starts,
            ends_on=ends_on,
        )
        record(
            actor,
            change_for("role.grant", membership, school_id=membership.school_id, after=snapshot(membership)),
        )
    return membership


def end_role(*, actor: Actor, membership: RoleMembership, ends_on: dt.date | None = None) -> RoleMembership:
    """Close a seat on a date (today by default). Seats are never deleted: the history stays."""
    school = membership.school
    require(
        actor.system if school is None else can_manage_people(actor, school),
        gettext("只有本校管理员可以调整角色。"),
    )
    end = ends_on or timezone.localdate()
    if end < membership.starts_on:
        raise Invalid(gettext("结束日期不能早于起始日期。"))
    with transaction.atomic():
        locked = RoleMembership.objects.select_for_update().get(pk=membership.pk)
        before = snapshot(locked)
        locked.ends_on = end
        locked.save(update_fields=["ends_on"])
        record(
            actor,
            change_for("role.end", locked, school_id=locked.school_id, before=before, after=snapshot(locked)),
        )
    return locked


def create_student(
    *,
    actor: Actor,
    school_class: SchoolClass,
    student_no: str,
    name: str,
    gender: str,
    guardians: list[tuple[str, str]],
    on: dt.date | None = None,
) -> Student:
    """A student with an account, and each guardian (name, phone) with a parent account and seat."""
    school = school_class.school
    require(can_manage_people(actor, school), gettext("只有本校管理员可以添加学生。"))
    if not guardians:
        raise Invalid(
            gettext("每名学生至少要有一位家长。"), {"guardians": [gettext("每名学生至少要有一位家长。")]}
        )
    starts = on or timezone.localdate()
    with transaction.atomic():
        user = create_account(actor=actor, school=school, login=student_no, display_name=name)
        student = Student.objects.create(
            school=school,
            school_class=school_class,
            student_no=student_no,
            name=name,
            gender=gender,
            user=user,
        )
        RoleMembership.objects.create(user=user, role=Role.STUDENT, school=school, starts_on=starts)
        changes = [change_for("student.create", student, school_id=school.pk, after=snapshot(student))]
        for guardian_name, phone in guardians:
            guardian = add_guardian(actor=actor, student=student, name=guardian_name, phone=phone, on=starts)
            changes.append(
                change_for("guardian.link", guardian, school_id=school.pk, after=snapshot(guardian))
            )
        record_many(actor, changes)
    return student


def check_mobile(phone: str, *, field: str = "phone") -> None:
    if not MOBILE_RE.match(phone):
        raise Invalid(
            gettext("手机号 %(phone)s 不正确：应为以 1 开头的 11 位数字。") % {"phone": phone},
            {field: [gettext("手机号应为以 1 开头的 11 位数字。")]},
        )


def add_guardian(*, actor: Actor, student: Student, name: str, phone: str, on: dt.date) -> Guardian:
    """Link a guardian, creating the parent's account (signed in by phone) on first sight."""
    school = student.school
    require(can_manage_people(actor, school), gettext("只有本校管理员可以添加家长。"))
    check_mobile(phone)
    parent_user = get_user_model().objects.filter(phone=phone).first()
    if parent_user is None:
        parent_user = get_user_model().objects.create_user(
            f"m:{phone}", login=phone, display_name=name, phone=phone
        )
    guardian, _ = Guardian.objects.get_or_create(
        school=school, phone=phone, defaults={"name": name, "user": parent_user}
    )
    Guardianship.objects.get_or_create(school=school, student=student, guardian=guardian)
    if not RoleMembership.objects.filter(user=parent_user, role=Role.PARENT, school=school).exists():
        RoleMembership.objects.create(user=parent_user, role=Role.PARENT, school=school, starts_on=on)
    return guardian


def create_staff(
    *,
    actor: Actor,
    school: School,
    staff_no: str,
    name: str,
    gender: str,
    phone: str = "",
    subject: str = "",
    is_party_member: bool = False,
    position: str = "",
    party_branch: PartyBranch | None = None,
    on: dt.date | None = None,
) -> Staff:
    """A teacher or staff member, with an account (工号, or phone) and a teacher seat."""
    require(can_manage_people(actor, school), gettext("只有本校管理员可以添加教职工。"))
    if party_branch is not None and party_branch.school_id != school.pk:
        message = gettext("党支部须是本校的。")
        raise Invalid(message, {"party_branch": [message]})
    if phone:
        check_mobile(phone)
    with transaction.atomic():
        user = create_account(
            actor=actor, school=school, login=staff_no, display_name=name, phone=phone or None
        )
        staff = Staff.objects.create(
            school=school,
            staff_no=staff_no,
            name=name,
            gender=gender,
            phone=phone,
            subject=subject,
            is_party_member=is_party_member,
            position=position,
            party_branch=party_branch,
            user=user,
        )
        RoleMembership.objects.create(
            user=user, role=Role.TEACHER, school=school, starts_on=on or timezone.localdate()
        )
        record(actor, change_for("staff.create", staff, school_id=school.pk, after=snapshot(staff)))
    return staff


@dataclass(frozen=True)
class NewSchool:
    school: School
    admin: Staff
    password: str  # the admin's first password, shown once


def set_up_school(
    *,
    actor: Actor,
    bureau_code: str,
    bureau_name: str,
    school_code: str,
    school_name: str,
    admin_staff_no: str,
    admin_name: str,
    admin_phone: str = "",
) -> NewSchool:
    """A new deployment's first school: its bureau (created if new), the school, and its admin."""
    require(actor.system, gettext("只有系统管理员可以开设新学校。"))
    with transaction.atomic():
        bureau = Bureau.objects.filter(code=bureau_code).first() or create_bureau(
            actor=actor, code=bureau_code, name=bureau_name
        )
        school = create_school(actor=actor, bureau=bureau, code=school_code, name=school_name)
        admin = create_staff(
            actor=actor, school=school, staff_no=admin_staff_no, name=admin_name, gender=Gender.FEMALE,
            phone=admin_phone, position="学校管理员",
        )  # fmt: skip
        assert admin.user is not None
        grant_role(actor=actor, user=admin.user, role=Role.SCHOOL_ADMIN, school=school)
        password = generate_password()
        admin.user.set_password(password)
        admin.user.save(update_fields=["password"])
    return NewSchool(school=school, admin=admin, password=password)


# --- holiday schedules entered by hand (see HolidaySchedule) -----------------------------------

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _check_schedule(
    *, year: int, holidays: list[dt.date], workdays: list[dt.date], source_note: str
) -> tuple[list[str], list[str]]:
    """The dates as stored (sorted ISO strings), or Invalid naming every wrong date in Chinese."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Invalid(
            gettext("年份应在 %(first)s 到 %(last)s 之间。") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            {"year": [gettext("年份有误。")]},
        )
    errors: dict[str, list[str]] = {}
    for field, days in (("holidays", holidays), ("workdays", workdays)):
        seen: set[dt.date] = set()
        for day in days:
            if day.year != year:
                errors.setdefault(field, []).append(
                    gettext("%(day)s 不在 %(year)s 年内。") % {"day": day.isoformat(), "year": year}
                )
            if day in seen:
                errors.setdefault(field, []).append(gettext("%(day)s 重复填写。") % {"day": day.isoformat()})
            seen.add(day)
    for day in sorted(set(holidays) & set(workdays)):
        errors.setdefault("workdays", []).append(
            gettext("%(day)s 不能既是放假日期又是调休上班日期。") % {"day": day.isoformat()}
        )
    for day in sorted(set(workdays)):
        if day.weekday() < 5:
            errors.setdefault("workdays", []).append(
                gettext("%(day)s 是工作日，不必列为调休上班日期：调休上班日是周六或周日。")
                % {"day": day.isoformat()}
            )
    if not holidays:
        errors.setdefault("holidays", []).append(gettext("请至少填写一个放假日期。"))
    if not source_note.strip():
        errors["source_note"] = [gettext("请写明依据，例如国务院办公厅通知的文号。")]
    if errors:
        listed = " ".join(message for messages in errors.values() for message in messages)
        raise Invalid(gettext("放假安排有误，未保存：%(errors)s") % {"errors": listed}, errors)
    return sorted(d.isoformat() for d in set(holidays)), sorted(d.isoformat() for d in set(workdays))


def enter_holiday_schedule(
    *,
    actor: Actor,
    year: int,
    holidays: list[dt.date],
    workdays: list[dt.date],
    source_note: str,
    bureau: Bureau | None = None,
    school: School | None = None,
) -> HolidaySchedule:
    """A year's holiday schedule for a bureau (its admin) or for a school (its admin, only while the
    bureau has none for that year). Audited on the bureau's chain or the school's."""
    if (bureau is None) == (school is None):
        raise ValueError("a holiday schedule belongs to a bureau or to a school")
    if bureau is not None:
        require(is_admin_of_bureau(actor, bureau.pk), gettext("只有本局管理员可以录入教育局的放假安排。"))
    else:
        assert school is not None
        require(is_school_admin(actor, school), gettext("只有本校管理员可以录入本校的放假安排。"))
    stored_holidays, stored_workdays = _check_schedule(
        year=year, holidays=holidays, workdays=workdays, source_note=source_note
    )
    with transaction.atomic():
        if (
            school is not None
            and HolidaySchedule.objects.filter(bureau_id=school.bureau_id, year=year).exists()
        ):
            raise Conflict(
                gettext("教育局已录入 %(year)s 年的放假安排，本校各项工作日按教育局的计算，无需另行录入。")
                % {"year": year}
            )
        if HolidaySchedule.objects.filter(bureau=bureau, school=school, year=year).exists():
            raise Conflict(gettext("%(year)s 年的放假安排已经录入，请在列表中修改。") % {"year": year})
        try:
            with transaction.atomic():
                schedule = HolidaySchedule.objects.create(
                    bureau=bureau,
                    school=school,
                    year=year,
                    holidays=stored_holidays,
                    workdays=stored_workdays,
                    source_note=source_note.strip(),
                    entered_by=_person(actor),
                )
        except IntegrityError as exc:  # entered twice at once: the second is told, not failed
            raise Conflict(
                gettext("%(year)s 年的放假安排已经录入，请在列表中修改。") % {"year": year}
            ) from exc
        record(
            actor,
            change_for(
                "holidays.enter",
                schedule,
                school_id=school.pk if school is not None else None,
                after=snapshot(schedule, ["bureau", "school", "year", "holidays", "workdays", "source_note"]),
            ),
        )
    return schedule


def edit_holiday_schedule(
    *,
    actor: Actor,
    schedule: HolidaySchedule,
    holidays: list[dt.date],
    workdays: list[dt.date],
    source_note: str,
) -> HolidaySchedule:
    """Correct an entered schedule (its year stays). Notices already posted keep the end date they got."""
    fields = ["holidays", "workdays", "source_note"]
    with transaction.atomic():
        row = (
            HolidaySchedule.objects.select_for_update(of=("self",))
            .select_related("school")
            .get(pk=schedule.pk)
        )
        if row.bureau_id is not None:
            require(
                is_admin_of_bureau(actor, row.bureau_id), gettext("只有本局管理员可以修改教育局的放假安排。")
            )
        else:
            assert row.school is not None
            require(is_school_admin(actor, row.school), gettext("只有本校管理员可以修改本校的放假安排。"))
        stored_holidays, stored_workdays = _check_schedule(
            year=row.year, holidays=holidays, workdays=workdays, source_note=source_note
        )
        before = snapshot(row, fields)
        row.holidays, row.workdays, row.source_note = stored_holidays, stored_workdays, source_note.strip()
        row.entered_by = _person(actor)
        row.save()
        record(
            actor,
            change_for(
                "holidays.edit", row, school_id=row.school_id, before=before, after=snapshot(row, fields)
            ),
        )
    return row


def _person(actor: Actor) -> User:
    if actor.user is None:
        raise Invalid(gettext("放假安排须由具体的人录入。"))
    return actor.user
