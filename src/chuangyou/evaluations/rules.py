"""Who may do what with evaluations, built on org.rules."""

from __future__ import annotations

from chuangyou.org.models import Role, School
from chuangyou.org.rules import Actor, can_manage_campaign, can_read_school, is_in_group


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
