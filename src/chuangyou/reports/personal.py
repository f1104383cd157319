"""One child's own figures for the campaign: never compared with, or ranked against, another child."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from chuangyou.activities.models import Activity, Registration, RegStatus, TeamMember
from chuangyou.activities.models import Status as ActivityStatus
from chuangyou.campaigns.models import Campaign
from chuangyou.org.models import Student
from chuangyou.practice.models import ExerciseSet, SetStatus, Submission
from chuangyou.reports.facts import active_registrations, dated_in_span
from chuangyou.reports.figures import PracticeFacts, TypeLine, hours_of
from chuangyou.volunteering.models import Claim, ClaimStatus


@dataclass(frozen=True)
class PersonalActivity:
    title: str
    kind: str
    starts_at: dt.datetime
    award: str


@dataclass(frozen=True)
class PersonalFacts:
    """One student's own figures: never compared with, or ranked against, another child."""

    student_id: int
    name: str
    class_name: str
    activities: list[PersonalActivity]
    hours: Decimal
    practice: PracticeFacts
    honors: list[TypeLine]  # award name, count

    @property
    def activity_count(self) -> int:
        return len(self.activities)


def personal_facts(campaign: Campaign, student: Student) -> PersonalFacts:
    """A fixed handful of queries, all filtered to the one student."""
    from chuangyou.activities.models import Result
    from chuangyou.honors.models import Honor

    places = Registration.objects.filter(active_registrations(), activity__campaign=campaign, student=student)
    teams = TeamMember.objects.filter(
        registration__status=RegStatus.CONFIRMED,
        activity__status=ActivityStatus.PUBLISHED,
        activity__campaign=campaign,
        student=student,
    )
    awards = dict(
        Result.objects.filter(registration__in=places.values("pk")).values_list(
            "registration__activity_id", "award"
        )
    )
    labels = dict(Result._meta.get_field("award").choices or [])
    kinds = dict(Activity._meta.get_field("kind").choices or [])
    seen = (
        Activity.objects.filter(
            Q(pk__in=places.values("activity_id")) | Q(pk__in=teams.values("activity_id"))
        )
        .order_by("starts_at", "pk")
        .values_list("pk", "title", "kind", "starts_at")
    )
    # A confirmed place in a coming activity counts, as it does in the school's participation.
    lines = [
        PersonalActivity(
            title, str(kinds.get(kind, kind)), starts_at, str(labels.get(awards.get(pk, ""), ""))
        )
        for pk, title, kind, starts_at in seen
    ]
    hours = Claim.objects.filter(
        Q(status=ClaimStatus.APPROVED, student=student) & dated_in_span([campaign], "served_on")
    ).aggregate(h=Sum("hours"))["h"]
    set_q = (
        Q(status=SetStatus.PUBLISHED)
        & dated_in_span([campaign], "week", lead_days=6)
        & Q(set_classes__school_class_id=student.school_class_id)
    )
    given = ExerciseSet.objects.filter(set_q).distinct()
    handed = Submission.objects.filter(
        exercise_set__in=given.values("pk"), student=student, submitted_at__isnull=False
    ).aggregate(n=Count("pk"), on_time=Count("pk", filter=Q(is_late=False)))
    expected = given.count()
    honors = [
        TypeLine(row["award_type__name"], row["n"])
        for row in Honor.objects.filter(student=student, campaign=campaign, revoked_on__isnull=True)
        .values("award_type__name")
        .annotate(n=Count("pk"))
        .order_by("award_type__name")
    ]
    return PersonalFacts(
        student_id=student.pk,
        name=student.name,
        class_name=str(student.school_class),
        activities=lines,
        hours=hours_of(hours),
        practice=PracticeFacts(
            sets=expected, expected=expected, submitted=handed["n"], on_time=handed["on_time"]
        ),
        honors=honors,
    )
