"""What the school navigation shows a person: only the sections their seats let them open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.contrib.auth.models import AnonymousUser

from chuangyou.org.models import Role, School
from chuangyou.org.rules import (
    actor_for,
    can_manage_people,
    can_read_audit,
    can_read_school,
    is_in_group,
    is_staff_of,
)

if TYPE_CHECKING:
    from chuangyou.accounts.models import User

register = template.Library()


@register.simple_tag
def nav_sections(user: User | AnonymousUser, school: School) -> dict[str, bool]:
    if not user.is_authenticated:
        return {
            "office": False,
            "audit": False,
            "staff": False,
            "member": False,
            "people_admin": False,
            "objections": False,
        }
    actor = actor_for(user)
    return {
        "office": can_read_school(actor, school),
        "audit": can_read_audit(actor, school),
        "staff": is_staff_of(actor, school),
        "member": school.pk in actor.school_ids(),
        "people_admin": can_manage_people(actor, school),
        "objections": is_in_group(actor, school, Role.SUPERVISION_GROUP)
        or is_in_group(actor, school, Role.LEADING_GROUP),
    }
