"""Who may take part, and signing up: one person, a whole class by its 班主任, or a team; the waitlist
and withdrawing. Every sign-up to one activity takes that activity's row lock, so places are never
oversold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.activities import rules
from chuangyou.activities.models import (
    ACTIVE,
    Activity,
    Registration,
    RegStatus,
    Result,
    Status,
    TeamMember,
)
from chuangyou.activities.services.shared import (
    Person,
    _fail,
)
from chuangyou.audit.services import Change, change_for, record, record_many, snapshot
from chuangyou.lib.errors import Conflict, Invalid, ServiceError
from chuangyou.org.models import Staff, Student
from chuangyou.org.rules import Actor, require

# --- eligibility ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Who may take part, loaded once per operation so a bulk sign-up checks everyone without queries."""

    grade_ids: frozenset[int]
    class_ids: frozenset[int]
    grade_names: tuple[str, ...]
    class_names: tuple[str, ...]

    @classmethod
    def of(cls, activity: Activity) -> Scope:
        grades = list(activity.grades.all())
        classes = list(activity.classes.select_related("grade"))
        return cls(
            frozenset(g.pk for g in grades),
            frozenset(c.pk for c in classes),
            tuple(g.name for g in grades),
            tuple(str(c) for c in classes),
        )


def eligibility_problem(activity: Activity, person: Person, scope: Scope) -> str | None:
    """Why `person` may not take part, in Chinese; None when they may."""
    if person.school_id != activity.school_id:
        return gettext("%(name)s不是本校人员。") % {"name": person.name}
    if isinstance(person, Student):
        if not activity.for_students:
            return gettext("本活动不面向学生。")
        if scope.grade_ids or scope.class_ids:
            school_class = person.school_class
            if school_class.grade_id not in scope.grade_ids and school_class.pk not in scope.class_ids:
                allowed = gettext("、").join((*scope.grade_names, *scope.class_names))
                return gettext("本活动只面向%(allowed)s的学生，%(name)s所在的%(school_class)s不在其中。") % {
                    "allowed": allowed,
                    "name": person.name,
                    "school_class": school_class,
                }
        return None
    if activity.for_teachers:
        return None
    if activity.for_party_members:
        return None if person.is_party_member else gettext("本活动只面向党员教师。")
    return gettext("本活动不面向教师。")


# --- sign-up, the waitlist and withdrawal --------------------------------------------------------


def _lock(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _check_window(activity: Activity, now: dt.datetime) -> None:
    if activity.status != Status.PUBLISHED:
        raise Invalid(gettext("活动尚未发布或已取消，不能报名。"))
    if now < activity.signup_opens:
        raise Invalid(
            gettext("报名尚未开始：%(localtime)s 开始报名。")
            % {"localtime": format(timezone.localtime(activity.signup_opens), "%Y-%m-%d %H:%M")}
        )
    if now > activity.signup_closes:
        raise Invalid(
            gettext("报名已截止（%(localtime)s）。")
            % {"localtime": format(timezone.localtime(activity.signup_closes), "%Y-%m-%d %H:%M")}
        )


@dataclass
class Taken:
    """Everyone already holding a place or a waitlist spot (captains and team members alike)."""

    student_ids: set[int] = field(default_factory=set)
    staff_ids: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, activity: Activity, people: Sequence[Person] | None = None) -> Taken:
        """Who holds a spot; limited to `people` when given, so one sign-up reads one or two rows."""
        taken = cls()
        registrations = Registration.objects.filter(activity=activity, status__in=ACTIVE)
        members = TeamMember.objects.filter(activity=activity)
        if people is not None:
            student_ids = [p.pk for p in people if isinstance(p, Student)]
            staff_ids = [p.pk for p in people if isinstance(p, Staff)]
            whose = Q(student_id__in=student_ids) | Q(staff_id__in=staff_ids)
            registrations, members = registrations.filter(whose), members.filter(whose)
        for student_id, staff_id in [
            *registrations.values_list("student_id", "staff_id"),
            *members.values_list("student_id", "staff_id"),
        ]:
            taken.add(student_id, staff_id)
        return taken

    def add(self, student_id: int | None, staff_id: int | None) -> None:
        if student_id is not None:
            self.student_ids.add(student_id)
        if staff_id is not None:
            self.staff_ids.add(staff_id)

    def holds(self, person: Person) -> bool:
        ids = self.student_ids if isinstance(person, Student) else self.staff_ids
        return person.pk in ids


def _next_place(activity: Activity) -> tuple[str, int | None]:
    confirmed = Registration.objects.filter(activity=activity, status=RegStatus.CONFIRMED).count()
    if confirmed < activity.capacity:
        return RegStatus.CONFIRMED, None
    last = Registration.objects.filter(activity=activity, status=RegStatus.WAITLISTED).aggregate(
        last=Max("waitlist_position")
    )["last"]
    return RegStatus.WAITLISTED, (last or 0) + 1


def _require_act_for(actor: Actor, person: Person) -> None:
    if isinstance(person, Student):
        require(rules.can_act_for_student(actor, person), gettext("您只能为自己或本班学生报名、退出。"))
    else:
        require(rules.can_act_for_staff(actor, person), gettext("您只能为自己报名、退出。"))


def _person_fields(person: Person) -> dict[str, Person]:
    return {"student": person} if isinstance(person, Student) else {"staff": person}


def _register(
    actor: Actor, locked: Activity, person: Person, scope: Scope, taken: Taken, team_name: str = ""
) -> Registration:
    """Take a place or a waitlist spot for `person` on an already locked activity. Raises before writing."""
    problem = eligibility_problem(locked, person, scope)
    if problem:
        raise Invalid(problem)
    if taken.holds(person):
        raise Conflict(gettext("%(person_name)s已经报名了这个活动。") % {"person_name": person.name})
    status, position = _next_place(locked)
    registration = Registration.objects.create(
        school_id=locked.school_id,
        activity=locked,
        team_name=team_name,
        status=status,
        waitlist_position=position,
        registered_by=actor.user,
        **_person_fields(person),
    )
    taken.add(registration.student_id, registration.staff_id)
    return registration


def _sign_up_change(registration: Registration) -> Change:
    return change_for(
        "activity.sign_up",
        registration,
        school_id=registration.school_id,
        after=snapshot(
            registration, ["activity", "student", "staff", "team_name", "status", "waitlist_position"]
        ),
    )


def sign_up(
    *, actor: Actor, activity: Activity, person: Person, now: dt.datetime | None = None
) -> Registration:
    """An individual sign-up: a place if one is left, else the next waitlist position."""
    _require_act_for(actor, person)
    if activity.is_team:
        raise Invalid(gettext("这是团体项目，请由队长以团队报名。"))
    try:
        with transaction.atomic():
            locked = _lock(activity)
            _check_window(locked, now or timezone.now())
            registration = _register(actor, locked, person, Scope.of(locked), Taken.of(locked, [person]))
            record(actor, _sign_up_change(registration))
    except IntegrityError as exc:  # the unique constraint, should a check ever be bypassed
        raise Conflict(gettext("%(person_name)s已经报名了这个活动。") % {"person_name": person.name}) from exc
    return registration


@dataclass(frozen=True)
class BulkOutcome:
    student: Student
    registration: Registration | None
    message: str  # why it was refused, or "" when signed up


def bulk_sign_up(
    *, actor: Actor, activity: Activity, students: Iterable[Student], now: dt.datetime | None = None
) -> list[BulkOutcome]:
    """A 班主任 signs up students of their class at once. Each one is checked on its own: a refusal is
    reported for that student and the others still go through."""
    chosen = list(students)
    if not chosen:
        raise Invalid(gettext("请至少选择一名学生。"))
    for student in chosen:
        require(
            rules.can_act_for_student(actor, student) and student.pk != actor.own_student_id,
            gettext("您只能为本班学生批量报名。"),
        )
    if activity.is_team:
        raise Invalid(gettext("这是团体项目，请以团队报名。"))
    outcomes: list[BulkOutcome] = []
    with transaction.atomic():
        locked = _lock(activity)
        _check_window(locked, now or timezone.now())
        scope, taken = Scope.of(locked), Taken.of(locked, chosen)
        changes = []
        for student in chosen:
            try:
                registration = _register(actor, locked, student, scope, taken)
            except ServiceError as exc:
                outcomes.append(BulkOutcome(student, None, exc.message))
            else:
                outcomes.append(BulkOutcome(student, registration, ""))
                changes.append(_sign_up_change(registration))
        record_many(actor, changes)
    return outcomes


def register_team(
    *,
    actor: Actor,
    activity: Activity,
    captain: Person,
    members: Sequence[Person],
    team_name: str,
    now: dt.datetime | None = None,
) -> Registration:
    """A team: the captain holds the place; every member is eligible and not already registered."""
    # The captain (or whoever may act for the captain) names the members; each is checked for eligibility.
    _require_act_for(actor, captain)
    if not activity.is_team:
        raise Invalid(gettext("这是个人项目，请各自报名。"))
    team_name = (team_name or "").strip()
    if not team_name:
        raise _fail("team_name", gettext("请填写队名。"))
    everyone = [captain, *members]
    keys = [(type(p).__name__, p.pk) for p in everyone]
    if len(set(keys)) != len(keys):
        raise Invalid(gettext("同一人不能在队伍中出现两次。"))
    if not activity.team_min <= len(everyone) <= activity.team_max:
        raise Invalid(
            gettext("每队须有 %(team_min)s–%(team_max)s 人（含队长），现在是 %(everyone_count)s 人。")
            % {"team_min": activity.team_min, "team_max": activity.team_max, "everyone_count": len(everyone)}
        )
    try:
        with transaction.atomic():
            locked = _lock(activity)
            _check_window(locked, now or timezone.now())
            scope, taken = Scope.of(locked), Taken.of(locked, everyone)
            problems = []
            for person in everyone:
                problem = eligibility_problem(locked, person, scope)
                if problem is None and taken.holds(person):
                    problem = gettext("%(name)s已经报名了这个活动。") % {"name": person.name}
                if problem:
                    problems.append(problem)
            if problems:
                raise Invalid("；".join(problems))
            registration = _register(actor, locked, captain, scope, taken, team_name=team_name)
            TeamMember.objects.bulk_create(
                TeamMember(
                    school_id=locked.school_id,
                    registration=registration,
                    activity=locked,
                    **_person_fields(m),
                )
                for m in members
            )
            change = _sign_up_change(registration)
            change.after["members"] = [f"{type(m).__name__.lower()}:{m.pk}" for m in members]  # type: ignore[index]
            record(actor, change)
    except IntegrityError as exc:
        raise Conflict(gettext("队伍中有人已经报名了这个活动。")) from exc
    return registration


def _promote(locked: Activity) -> list[Change]:
    """Fill free places from the waitlist in order and close the gap in the positions."""
    free = locked.capacity - Registration.objects.filter(activity=locked, status=RegStatus.CONFIRMED).count()
    if free <= 0:
        return []
    moving = list(
        Registration.objects.filter(activity=locked, status=RegStatus.WAITLISTED).order_by(
            "waitlist_position"
        )[:free]
    )
    if not moving:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in moving]).update(
        status=RegStatus.CONFIRMED, waitlist_position=None
    )
    Registration.objects.filter(activity=locked, status=RegStatus.WAITLISTED).update(
        waitlist_position=F("waitlist_position") - len(moving)
    )
    return [
        change_for(
            "activity.promote",
            r,
            school_id=r.school_id,
            before={"status": r.status, "waitlist_position": r.waitlist_position},
            after={"status": RegStatus.CONFIRMED, "waitlist_position": None},
        )
        for r in moving
    ]


def withdraw(*, actor: Actor, registration: Registration, now: dt.datetime | None = None) -> Registration:
    """Give up a place or a waitlist spot. A freed place goes to the first on the waitlist in the same
    transaction, so nobody can slip in between."""
    _require_act_for(actor, registration.person)
    moment = now or timezone.now()
    with transaction.atomic():
        locked = _lock(registration.activity)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegStatus.WITHDRAWN:
            raise Conflict(gettext("已经退出了这个活动。"))
        if moment > locked.signup_closes or locked.starts_at <= moment:
            raise Invalid(gettext("报名已截止，不能在网上退出，请联系活动负责人。"))
        if Result.objects.filter(registration=current).exists():
            raise Conflict(gettext("已登记成绩，不能退出。"))
        before = snapshot(current, ["status", "waitlist_position"])
        old_position = current.waitlist_position
        current.status, current.waitlist_position, current.withdrawn_at = RegStatus.WITHDRAWN, None, moment
        current.save(update_fields=["status", "waitlist_position", "withdrawn_at"])
        members = list(current.members.values_list("student_id", "staff_id"))
        current.members.all().delete()
        changes = [
            change_for(
                "activity.withdraw",
                current,
                school_id=current.school_id,
                before=before | {"members": members},
                after=snapshot(current, ["status", "waitlist_position"]),
            )
        ]
        if old_position is not None:
            Registration.objects.filter(
                activity=locked, status=RegStatus.WAITLISTED, waitlist_position__gt=old_position
            ).update(waitlist_position=F("waitlist_position") - 1)
        else:
            changes += _promote(locked)
        record_many(actor, changes)
    return current
