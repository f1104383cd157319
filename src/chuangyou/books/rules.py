"""Who may do what with book recommendations, built on org.rules."""

from __future__ import annotations

from chuangyou.org.models import School
from chuangyou.org.rules import Actor, can_manage_campaign, can_read_school, is_staff_of


def can_rate(actor: Actor, school: School) -> bool:
    """Teachers rate; the service also needs the actor's own staff row, so the system never rates."""
    return is_staff_of(actor, school) and not actor.system


def can_pick(actor: Actor, school: School) -> bool:
    """The working group picks the winners (with the leading group and the school admin)."""
    return can_manage_campaign(actor, school)


def can_see_all_recommendations(actor: Actor, school: School) -> bool:
    return is_staff_of(actor, school) or can_read_school(actor, school)


def can_see_winners(actor: Actor, school: School) -> bool:
    """Past winners are public inside the school: its staff, students and parents, and its bureau."""
    return school.pk in actor.school_ids() or can_read_school(actor, school)
