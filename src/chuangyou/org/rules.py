"""Who may do what: an `Actor` (a user with the roles they hold today) and small predicates.

Services call `require(predicate(actor, obj), message)` before they write, and selectors use the
same predicates to scope what a user sees, so the web pages, the API and commands share one rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext

from chuangyou.lib.errors import NotAllowed
from chuangyou.org.models import GROUP_ROLES, PartyBranch, Role, RoleMembership, School, SchoolClass, Student

if TYPE_CHECKING:
    from chuangyou.accounts.models import User


@dataclass(frozen=True)
class Seat:
    role: str
    school_id: int | None
    bureau_id: int | None
    class_id: int | None
    is_leader: bool
    branch_id: int | None = None


@dataclass(frozen=True)
class Actor:
    """A user and the role seats they hold on one day. `system` is for the demo loader and commands."""

    user: User | None
    seats: tuple[Seat, ...] = ()
    system: bool = False
    _child_ids: frozenset[int] = field(default=frozenset())
    _own_student_id: int | None = None

    @property
    def label(self) -> str:
        if self.system:
            return "系统"
        return str(self.user) if self.user else "匿名"

    def holds(self, role: str, *, school_id: int | None = None) -> bool:
        return any(s.role == role and (school_id is None or s.school_id == school_id) for s in self.seats)

    def school_ids(self, roles: Iterable[str] | None = None) -> set[int]:
        wanted = set(roles) if roles is not None else None
        return {
            s.school_id
            for s in self.seats
            if s.school_id is not None and (wanted is None or s.role in wanted)
        }

    def bureau_ids(self) -> set[int]:
        return {s.bureau_id for s in self.seats if s.role == Role.BUREAU_ADMIN and s.bureau_id}

    def secretary_branch_ids(self) -> set[int]:
        return {s.branch_id for s in self.seats if s.role == Role.BRANCH_SECRETARY and s.branch_id}

    def head_teacher_class_ids(self) -> set[int]:
        return {s.class_id for s in self.seats if s.role == Role.HEAD_TEACHER and s.class_id}

    @property
    def child_student_ids(self) -> frozenset[int]:
        return self._child_ids

    @property
    def own_student_id(self) -> int | None:
        return self._own_student_id


SYSTEM = Actor(user=None, system=True)


def actor_for(user: User, *, on: dt.date | None = None) -> Actor:
    """Load the seats `user` holds on `on` (today by default). Cached on the user for the request."""
    day = on or timezone.localdate()
    cached = getattr(user, "_actor_cache", None)
    if cached is not None and cached[0] == day:
        return cached[1]
    if not user.is_authenticated or not user.is_active:
        actor = Actor(user=None)
    else:
        seats = tuple(
            Seat(m.role, m.school_id, m.bureau_id, m.school_class_id, m.is_leader, m.party_branch_id)
            for m in RoleMembership.objects.filter(user=user).active_on(day)
        )
        child_ids: frozenset[int] = frozenset()
        if any(s.role == Role.PARENT for s in seats):
            child_ids = frozenset(
                Student.objects.filter(guardianships__guardian__user=user).values_list("id", flat=True)
            )
        own = Student.objects.filter(user=user).values_list("id", flat=True).first()
        actor = Actor(user=user, seats=seats, _child_ids=child_ids, _own_student_id=own)
    user._actor_cache = (day, actor)  # type: ignore[attr-defined]
    return actor


def actor_of(request: HttpRequest) -> Actor:
    """The signed-in person of a page request, with today's seats."""
    return actor_for(request.user)  # type: ignore[arg-type]


def require(allowed: bool, message: str | Promise | None = None) -> None:
    if not allowed:
        raise NotAllowed(gettext("您没有权限进行此操作。") if message is None else message)


# --- predicates -------------------------------------------------------------------------------
# Each answers one question about one actor and one object. They compose with `or`.


def is_bureau_admin_of(actor: Actor, school: School) -> bool:
    return actor.system or school.bureau_id in actor.bureau_ids()


def is_admin_of_bureau(actor: Actor, bureau_id: int) -> bool:
    """The bureau's own admin (for the bureau's own records, not a school's)."""
    return actor.system or bureau_id in actor.bureau_ids()


def is_school_admin(actor: Actor, school: School) -> bool:
    return actor.system or actor.holds(Role.SCHOOL_ADMIN, school_id=school.pk)


def is_in_group(actor: Actor, school: School, role: str) -> bool:
    return actor.holds(role, school_id=school.pk)


def can_manage_campaign(actor: Actor, school: School) -> bool:
    """The working group runs the campaign; the leading group and the school admin may too."""
    return (
        is_school_admin(actor, school)
        or is_in_group(actor, school, Role.WORKING_GROUP)
        or is_in_group(actor, school, Role.LEADING_GROUP)
    )


def can_manage_people(actor: Actor, school: School) -> bool:
    """Roster imports, accounts, role seats: the school's admin."""
    return is_school_admin(actor, school)


def can_read_school(actor: Actor, school: School) -> bool:
    """Everything a school's office sees: its admins, its three groups, and its bureau."""
    return (
        can_manage_campaign(actor, school)
        or is_in_group(actor, school, Role.SUPERVISION_GROUP)
        or is_bureau_admin_of(actor, school)
    )


def can_read_audit(actor: Actor, school: School) -> bool:
    return (
        is_in_group(actor, school, Role.SUPERVISION_GROUP)
        or is_school_admin(actor, school)
        or is_bureau_admin_of(actor, school)
    )


def is_staff_of(actor: Actor, school: School) -> bool:
    """Any teacher or office seat in the school (not students, parents or the bureau)."""
    staff_roles = {Role.TEACHER, Role.HEAD_TEACHER, Role.SCHOOL_ADMIN, Role.BRANCH_SECRETARY, *GROUP_ROLES}
    return actor.system or school.pk in actor.school_ids(staff_roles)


def is_branch_secretary(actor: Actor, branch: PartyBranch) -> bool:
    return actor.system or branch.pk in actor.secretary_branch_ids()


def can_manage_class(actor: Actor, school_class: SchoolClass) -> bool:
    return school_class.pk in actor.head_teacher_class_ids() or can_manage_people(actor, school_class.school)


def can_view_student(actor: Actor, student: Student) -> bool:
    return (
        actor.own_student_id == student.pk
        or student.pk in actor.child_student_ids
        or student.school_class_id in actor.head_teacher_class_ids()
        or can_read_school(actor, student.school)
    )
