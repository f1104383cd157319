"""Who may do what with awards, nominations, notices and objections, built on `org.rules`.

Each level of a nomination has its deciders: the 班主任 at class level, the working group at grade
level (it runs the grades' work), the leading group at school level, the bureau at bureau level.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from chuangyou.nominations.models import AwardType, Level, Nomination, NomineeKind, Objection
from chuangyou.org.models import Role, School
from chuangyou.org.rules import (
    Actor,
    can_manage_campaign,
    can_read_school,
    is_bureau_admin_of,
    is_in_group,
    is_school_admin,
)


def can_manage_awards(actor: Actor, school: School) -> bool:
    return can_manage_campaign(actor, school)


def can_manage_award(actor: Actor, award: AwardType) -> bool:
    if award.bureau_id is not None:
        return can_manage_bureau_awards(actor, award.bureau_id)
    assert award.school is not None
    return can_manage_awards(actor, award.school)


def can_manage_bureau_awards(actor: Actor, bureau_id: int | None) -> bool:
    """Bureau-level award types, their ranking, notice, objections and honors: the bureau admin."""
    return actor.system or (bureau_id is not None and bureau_id in actor.bureau_ids())


def can_nominate(
    actor: Actor, school: School, *, kind: str, class_id: int | None, branch_id: int | None
) -> bool:
    if can_manage_campaign(actor, school):
        return True
    if kind == NomineeKind.STUDENT and class_id is not None:
        return class_id in actor.head_teacher_class_ids()
    if kind in (NomineeKind.PARTY_MEMBER, NomineeKind.BRANCH) and branch_id is not None:
        return branch_id in actor.secretary_branch_ids()
    return False


def can_decide_at(actor: Actor, nomination: Nomination) -> bool:
    """May `actor` decide on `nomination` at the level it sits at now?"""
    school = nomination.school
    level = nomination.level
    if level == Level.CLASS:
        return (
            is_school_admin(actor, school)
            or (
                nomination.school_class_id is not None
                and nomination.school_class_id in actor.head_teacher_class_ids()
            )
            or (
                nomination.student is not None
                and nomination.student.school_class_id in actor.head_teacher_class_ids()
            )
            or (
                nomination.staff is not None
                and nomination.staff.party_branch_id in actor.secretary_branch_ids()
            )
        )
    if level == Level.GRADE:
        return is_school_admin(actor, school) or is_in_group(actor, school, Role.WORKING_GROUP)
    if level == Level.SCHOOL:
        return is_in_group(actor, school, Role.LEADING_GROUP) or actor.system
    return is_bureau_admin_of(actor, school)


def can_read_nominations(actor: Actor, school: School) -> bool:
    return (
        can_read_school(actor, school)
        or (bool(actor.head_teacher_class_ids()) and school.pk in actor.school_ids([Role.HEAD_TEACHER]))
        or school.pk in actor.school_ids([Role.BRANCH_SECRETARY])
    )


def can_publish_notice(actor: Actor, school: School) -> bool:
    return can_manage_campaign(actor, school)


def can_handle_objections(actor: Actor, school: School) -> bool:
    """The supervision group checks fairness; it alone handles objections."""
    return actor.system or is_in_group(actor, school, Role.SUPERVISION_GROUP)


def can_read_objections(actor: Actor, school: School) -> bool:
    return (
        can_handle_objections(actor, school)
        or is_in_group(actor, school, Role.LEADING_GROUP)
        or is_bureau_admin_of(actor, school)
    )


HANDLE_MESSAGE = gettext_lazy("只有监督小组可以办理异议。")
BUREAU_HANDLE_MESSAGE = gettext_lazy("教育局公示的异议由本局管理员办理。")


def can_handle_objection(actor: Actor, o: Objection) -> bool:
    """A school notice's objections: the school's supervision group. A bureau notice's: the bureau admin
    (the bureau's 监督), never a school's group, whose own nominee may be the one objected to."""
    if o.notice.bureau_id is not None:
        return can_manage_bureau_awards(actor, o.notice.bureau_id)
    return can_handle_objections(actor, o.school)


def handle_message(o: Objection) -> Promise:
    """The refusal for someone who may not handle `o`."""
    return BUREAU_HANDLE_MESSAGE if o.notice.bureau_id is not None else HANDLE_MESSAGE
