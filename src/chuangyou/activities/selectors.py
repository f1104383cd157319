"""Reads of activities, limited to what the actor may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.activities import rules
from chuangyou.activities.models import (
    ACTIVE,
    Activity,
    Evidence,
    ExternalAward,
    Registration,
    RegStatus,
    Status,
    TeamMember,
)
from chuangyou.lib.errors import NotFound
from chuangyou.org.models import School, Staff, Student
from chuangyou.org.rules import Actor, can_manage_campaign, require


def activities_visible_to(
    actor: Actor, school: School, *, kind: str = "", status: str = "", q: str = ""
) -> QuerySet[Activity]:
    """The school's activities with their confirmed and waitlisted counts; drafts only for managers."""
    if not rules.can_see_activities(actor, school):
        return Activity.objects.none()
    rows = Activity.objects.filter(school=school)
    if not can_manage_campaign(actor, school):
        rows = rows.exclude(status=Status.DRAFT)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(venue__icontains=q))
    return (
        rows.select_related("person_in_charge", "phase")
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=RegStatus.CONFIRMED)),
            waitlisted=Count("registrations", filter=Q(registrations__status=RegStatus.WAITLISTED)),
        )
        .order_by("-starts_at", "-pk")
    )


def activity_for(actor: Actor, school: School, pk: int) -> Activity:
    require(rules.can_see_activities(actor, school), rules.READ_MESSAGE)
    activity = (
        activities_visible_to(actor, school)
        .select_related("school", "campaign", "person_in_charge")
        .prefetch_related("grades", "classes__grade")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise NotFound(gettext("没有这个活动。"))
    return activity


def _visible_registrations(actor: Actor, activity: Activity) -> QuerySet[Registration]:
    """Everyone for the school's staff; for a student or parent only their own (or child's) entries."""
    rows = Registration.objects.filter(activity=activity).select_related(
        "student__school_class__grade", "staff", "result"
    )
    if not rules.can_see_registrations(actor, activity.school):
        own = {actor.own_student_id, *actor.child_student_ids} - {None}
        rows = rows.filter(student_id__in=own)
    return rows


def registrations_of(actor: Actor, activity: Activity, *, status: str = "") -> QuerySet[Registration]:
    """Confirmed then waitlisted (in waitlist order), or only those of one status."""
    rows = _visible_registrations(actor, activity)
    rows = rows.filter(status=status) if status else rows.filter(status__in=ACTIVE)
    return rows.order_by("status", "waitlist_position", "created_at", "pk")


def with_member_names(registrations: list[Registration]) -> list[Registration]:
    """Attach `member_names` (a team's members other than its captain) with one query for the page."""
    names: dict[int, list[str]] = {}
    members = TeamMember.objects.filter(registration__in=[r.pk for r in registrations if r.team_name])
    for member in members.select_related("student", "staff"):
        person = member.student or member.staff
        names.setdefault(member.registration_id, []).append(person.name if person else "")
    for registration in registrations:
        registration.member_names = names.get(registration.pk, [])  # type: ignore[attr-defined]
    return registrations


def own_person(actor: Actor, school: School) -> Student | Staff | None:
    """The student or staff record of the signed-in user in this school, to sign up oneself."""
    if actor.own_student_id is not None:
        return (
            Student.objects.select_related("school_class__grade")
            .filter(pk=actor.own_student_id, school=school)
            .first()
        )
    if actor.user is not None:
        return Staff.objects.filter(user=actor.user, school=school).first()
    return None


def registration_of(activity: Activity, person: Student | Staff) -> Registration | None:
    """The person's active registration, as captain or as a team member."""
    key = "student" if isinstance(person, Student) else "staff"
    own = Registration.objects.filter(activity=activity, status__in=ACTIVE, **{key: person}).first()
    if own is not None:
        return own
    member = (
        TeamMember.objects.filter(activity=activity, **{key: person}).select_related("registration").first()
    )
    return member.registration if member else None


def registration_for(actor: Actor, activity: Activity, pk: int) -> Registration:
    registration = _visible_registrations(actor, activity).filter(pk=pk).first()
    if registration is None:
        raise NotFound(gettext("没有这条报名记录。"))
    registration.activity = activity
    return registration


def class_students_for_bulk(actor: Actor, activity: Activity) -> QuerySet[Student]:
    """The students a 班主任 may sign up in bulk: their own classes (the whole school for managers)."""
    rows = Student.objects.filter(school=activity.school).select_related("school_class__grade")
    if not can_manage_campaign(actor, activity.school):
        rows = rows.filter(school_class_id__in=actor.head_teacher_class_ids())
    return rows.order_by("school_class__grade__level", "school_class__number", "student_no")


def evidence_of(actor: Actor, activity: Activity) -> QuerySet[Evidence]:
    if not rules.can_see_registrations(actor, activity.school):
        return Evidence.objects.none()
    return Evidence.objects.filter(activity=activity).select_related("uploaded_by")


def evidence_for(actor: Actor, school: School, pk: int) -> Evidence:
    require(rules.can_see_registrations(actor, school), gettext("只有本校教职工可以查看活动材料。"))
    evidence = Evidence.objects.select_related("activity__school", "activity__person_in_charge").filter(
        pk=pk, school=school
    )
    found = evidence.first()
    if found is None:
        raise NotFound(gettext("没有这份材料。"))
    return found


def external_awards_visible_to(actor: Actor, school: School, *, q: str = "") -> QuerySet[ExternalAward]:
    rows = ExternalAward.objects.filter(school=school).select_related("student__school_class__grade")
    if not rules.can_see_registrations(actor, school):
        own = {actor.own_student_id, *actor.child_student_ids} - {None}
        rows = rows.filter(student_id__in=own)
    if q:
        rows = rows.filter(Q(competition__icontains=q) | Q(student__name__icontains=q))
    return rows.order_by("-awarded_on", "-pk")


def calendar_month(actor: Actor, school: School, month: dt.date) -> list[Activity]:
    """Activities that start in the month (local time), published or cancelled, in time order."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(following, dt.time.min, tzinfo=tz)
    rows = activities_visible_to(actor, school).filter(starts_at__gte=start, starts_at__lt=end)
    return list(rows.order_by("starts_at", "pk"))


def published_for_feed(school: School) -> QuerySet[Activity]:
    """What the public calendar feed shows: published activities, the recent past and the future."""
    since = timezone.now() - dt.timedelta(days=365)
    return Activity.objects.filter(school=school, status=Status.PUBLISHED, ends_at__gte=since).order_by(
        "starts_at", "pk"
    )
