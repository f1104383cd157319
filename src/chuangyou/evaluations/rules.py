"""Who may do what with evaluations, built on org.rules."""

from __future__ import annotations

from chuangyou.evaluations.models import Evaluation, Visibility
from chuangyou.org.models import Role, School
from chuangyou.org.rules import (
    Actor,
    can_manage_campaign,
    can_read_school,
    is_bureau_admin_of,
    is_in_group,
    is_staff_of,
)


def can_manage_evaluation(actor: Actor, school: School) -> bool:
    """Build, open, close and publish: whoever runs the campaign."""
    return can_manage_campaign(actor, school)


def can_read_evaluations(actor: Actor, school: School) -> bool:
    return can_read_school(actor, school)


def can_supervise(actor: Actor, school: School) -> bool:
    """Every aggregate, the anonymous ballot table, recounts and reliability flags: the supervision group."""
    return actor.system or is_in_group(actor, school, Role.SUPERVISION_GROUP)


def can_enter_paper(actor: Actor, school: School) -> bool:
    """纸质票 are entered by working-group members, two different ones per group."""
    return actor.system or is_in_group(actor, school, Role.WORKING_GROUP)


def can_read_whole_result(actor: Actor, evaluation: Evaluation) -> bool:
    """A published result as its visibility says: the leadership (leading group, whoever runs the
    campaign, the supervision group, the bureau) always; all staff when it is for 全校教职工; anyone
    when public. With 本人, everyone else sees only their own row (selectors.result_rows_for)."""
    school = evaluation.school
    if evaluation.visibility == Visibility.PUBLIC:
        return True
    leadership = (
        can_manage_evaluation(actor, school)
        or can_supervise(actor, school)
        or is_in_group(actor, school, Role.LEADING_GROUP)
        or is_bureau_admin_of(actor, school)
    )
    if leadership:
        return True
    return evaluation.visibility == Visibility.STAFF and is_staff_of(actor, school)
