"""Who may act on volunteer claims, built on org.rules."""

from __future__ import annotations

from chuangyou.org.models import Role, School
from chuangyou.org.rules import Actor, can_manage_campaign, can_read_school
from chuangyou.volunteering.models import Claim


def is_organizer_of(actor: Actor, claim: Claim) -> bool:
    return actor.user is not None and claim.organizer.user_id == actor.user.pk


def can_certify(actor: Actor, claim: Claim) -> bool:
    """谁记录谁证明: the organizer named on the claim, or those who run the campaign."""
    return is_organizer_of(actor, claim) or can_manage_campaign(actor, claim.school)


def is_claimant(actor: Actor, claim: Claim) -> bool:
    if claim.student_id is not None:
        return actor.own_student_id == claim.student_id
    return actor.user is not None and claim.staff is not None and claim.staff.user_id == actor.user.pk


def is_guardian_of_claimant(actor: Actor, claim: Claim) -> bool:
    return claim.student_id is not None and claim.student_id in actor.child_student_ids


def can_view_claim(actor: Actor, claim: Claim) -> bool:
    student = claim.student
    return (
        is_claimant(actor, claim)
        or is_guardian_of_claimant(actor, claim)
        or can_certify(actor, claim)
        or can_read_school(actor, claim.school)
        or (student is not None and student.school_class_id in actor.head_teacher_class_ids())
    )


def can_list_volunteers(actor: Actor, school: School) -> bool:
    """The school's list of volunteers and totals: its office, and a 班主任 for their class."""
    return can_read_school(actor, school) or actor.holds(Role.HEAD_TEACHER, school_id=school.pk)


def can_edit_settings(actor: Actor, school: School) -> bool:
    return can_manage_campaign(actor, school)
