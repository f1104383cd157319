"""Who may do what with activities, on top of org.rules."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from chuangyou.activities.models import Activity
from chuangyou.org.models import Role, School, Staff, Student
from chuangyou.org.rules import (
    Actor,
    can_manage_campaign,
    can_read_school,
    is_bureau_admin_of,
    is_staff_of,
)

MANAGE_MESSAGE = gettext_lazy("只有本校管理员、领导小组或工作小组成员可以管理活动。")
READ_MESSAGE = gettext_lazy("只有本校师生、家长和主管教育局可以查看本校的活动。")
RESULTS_MESSAGE = gettext_lazy("只有活动负责人或工作小组成员可以登记成绩。")


def can_see_activities(actor: Actor, school: School) -> bool:
    """Anyone with a seat in the school (students and parents too) and its bureau."""
    return actor.system or school.pk in actor.school_ids() or is_bureau_admin_of(actor, school)


def can_see_registrations(actor: Actor, school: School) -> bool:
    """Who signed up for what: the school's staff and office, not students or parents."""
    return is_staff_of(actor, school) or can_read_school(actor, school)


def is_in_charge(actor: Actor, activity: Activity) -> bool:
    user = actor.user
    return user is not None and activity.person_in_charge.user_id == user.pk


def can_record_results(actor: Actor, activity: Activity) -> bool:
    return can_manage_campaign(actor, activity.school) or is_in_charge(actor, activity)


def can_act_for_student(actor: Actor, student: Student) -> bool:
    """Sign up or withdraw a student: the student, their 班主任, or the working group."""
    return (
        actor.own_student_id == student.pk
        or student.school_class_id in actor.head_teacher_class_ids()
        or can_manage_campaign(actor, student.school)
    )


def can_act_for_staff(actor: Actor, staff: Staff) -> bool:
    user = actor.user
    return (user is not None and staff.user_id == user.pk) or can_manage_campaign(actor, staff.school)


def can_record_external_award(actor: Actor, student: Student) -> bool:
    return student.school_class_id in actor.head_teacher_class_ids() or can_manage_campaign(
        actor, student.school
    )


def is_head_teacher(actor: Actor, school: School) -> bool:
    return actor.holds(Role.HEAD_TEACHER, school_id=school.pk)
