"""Every number the dashboards, the 总结 and the bureau's view show, computed from the data.

`facts_for(campaigns)` takes one school's campaign or a bureau's many and runs a fixed number of
queries however many schools, classes or records there are: every query groups by school (and by
class where the dashboard needs it) and aggregates in the database. The results are typed values,
so a template, a .docx and the API read the same figures.

A campaign's records are those tied to it (activities, commitments) or, for apps that keep no
campaign (practice, volunteering, evaluations), those dated inside its phases' span.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from chuangyou.activities.models import Activity, Evidence, Registration, RegStatus, TeamMember
from chuangyou.activities.models import Status as ActivityStatus
from chuangyou.campaigns.models import Assignment, Campaign, ResourceKind, ResourceLine
from chuangyou.commitments.models import Commitment, Fulfilment, Item
from chuangyou.commitments.models import Status as CommitmentStatus
from chuangyou.evaluations.models import Evaluation, State, SubjectType
from chuangyou.org.models import SchoolClass, Staff, Student
from chuangyou.practice.models import ExerciseSet, SetClass, SetStatus, Submission
from chuangyou.projects.models import Proposal
from chuangyou.projects.models import Status as ProposalStatus
from chuangyou.reports.figures import (
    STAR_TARGETS,
    ZERO,
    ActivityFacts,
    AssignmentFacts,
    BudgetFacts,
    ClassLine,
    CommitmentFacts,
    EvaluationFacts,
    EvaluationLine,
    HonorFacts,
    KindLine,
    PhaseLine,
    PracticeFacts,
    SchoolFacts,
    Share,
    StarLine,
    TypeLine,
    VolunteerFacts,
    WeekLine,
    hours_of,
    money_of,
    percent,
)
from chuangyou.volunteering.models import Claim, ClaimStatus

# --- the queries -------------------------------------------------------------------------------


def _span(campaign: Campaign) -> tuple[dt.date, dt.date]:
    span = campaign.span()
    if span is None:  # a plan without phases: its year
        return dt.date(campaign.year, 1, 1), dt.date(campaign.year, 12, 31)
    return span


def _by_school(rows: Any, key: str = "school_id") -> dict[int, dict[str, Any]]:
    return {row[key]: row for row in rows}


def dated_in_span(campaigns: Sequence[Campaign], lookup: str, *, lead_days: int = 0) -> Q:
    """Rows of each school dated inside its own campaign's span. A row dated by the start of a
    period (a weekly set by its Monday) counts when its period overlaps the span: `lead_days` back."""
    q = Q(pk__in=[])
    for c in campaigns:
        start, end = _span(c)
        start -= dt.timedelta(days=lead_days)
        q |= Q(school_id=c.school_id, **{f"{lookup}__range": (start, end)})
    return q


def active_registrations() -> Q:
    return Q(status=RegStatus.CONFIRMED, activity__status=ActivityStatus.PUBLISHED)


def _took_part(person: str, campaign_ids: list[int]) -> Q:
    """A student (or staff) who held a confirmed place, or was on a confirmed team, in an activity of
    the campaigns that has begun. A sign-up for next month's event is not participation yet: counting it
    made a class that signed up in bulk jump to 100% (issue 11)."""
    now = timezone.now()
    regs = Registration.objects.filter(
        active_registrations(),
        activity__campaign_id__in=campaign_ids,
        activity__starts_at__lte=now,
        **{person: OuterRef("pk")},
    )
    members = TeamMember.objects.filter(
        registration__status=RegStatus.CONFIRMED,
        activity__status=ActivityStatus.PUBLISHED,
        activity__campaign_id__in=campaign_ids,
        activity__starts_at__lte=now,
        **{person: OuterRef("pk")},
    )
    return Q(Exists(regs)) | Q(Exists(members))


@dataclass(frozen=True)
class _Practice:
    """Weekly practice in the span: per school, and what the per-class lines need."""

    by_school: dict[int, PracticeFacts]
    expected_by_class: dict[int, int]  # sets given to each class
    handed_in: QuerySet[Submission]
    class_sizes: list[dict[str, Any]]  # school_id, school_class_id, n


def facts_for(
    campaigns: Sequence[Campaign], *, as_of: dt.datetime | None = None, with_classes: bool = False
) -> dict[int, SchoolFacts]:
    """Facts for each campaign, keyed by school id. Phases must be prefetched (the selectors do).

    About 20 queries, or 24 with the per-class lines, whatever the number of schools."""
    if not campaigns:
        return {}
    now = as_of or timezone.now()
    today = timezone.localdate(now)
    ids = [c.pk for c in campaigns]
    school_ids = [c.school_id for c in campaigns]
    activities = _activity_facts(ids, school_ids, now)
    practice = _practice_facts(campaigns, school_ids)
    claim_q = Q(status=ClaimStatus.APPROVED) & dated_in_span(campaigns, "served_on")
    volunteering = _volunteer_facts(claim_q)
    commitments = _commitment_facts(ids, today)
    evaluations = _evaluations_by_school(campaigns)
    assignments = _assignment_facts(ids, today)
    budget = _budget_facts(campaigns, ids)
    honors = _honor_facts(ids)
    classes: dict[int, list[ClassLine]] = defaultdict(list)
    weeks: dict[int, list[WeekLine]] = defaultdict(list)
    if with_classes:
        classes = _class_lines(campaigns, ids, practice, claim_q)
        weeks = _weeks(ids)
    out: dict[int, SchoolFacts] = {}
    for c in campaigns:
        s = c.school_id
        span = c.span()
        out[s] = SchoolFacts(
            school_id=s,
            school_name=c.school.name,
            campaign_id=c.pk,
            year=c.year,
            title=c.title,
            start=span[0] if span else None,
            end=span[1] if span else None,
            as_of=now,
            phases=[
                PhaseLine(p.name, p.starts_on, p.ends_on, p.status_on(today), p.description)
                for p in c.phases.all()
            ],
            assignments=assignments.get(s, AssignmentFacts(0, 0, 0)),
            activities=activities[s],
            practice=practice.by_school[s],
            volunteering=volunteering.get(s, VolunteerFacts(hours_of(None), 0, 0, 0)),
            commitments=commitments.get(s, CommitmentFacts(0, 0, 0, 0, 0, 0, 0)),
            evaluations=evaluations.get(s, _evaluation_facts({}, [])),
            budget=budget[s],
            classes=classes[s],
            weeks=weeks[s],
            honors=honors.get(s, HonorFacts(0, 0, [], money_of(None), money_of(None))),
        )
    return out


def _activity_facts(ids: list[int], school_ids: list[int], now: dt.datetime) -> dict[int, ActivityFacts]:
    """Published activities by kind and held, people taking part, awards, photos. Six queries."""
    kinds: dict[int, list[KindLine]] = defaultdict(list)
    held: dict[int, int] = defaultdict(int)
    labels = dict(Activity._meta.get_field("kind").choices or [])
    for row in (
        Activity.objects.filter(campaign_id__in=ids, status=ActivityStatus.PUBLISHED)
        .values("school_id", "kind")
        .annotate(n=Count("pk"), held=Count("pk", filter=Q(ends_at__lte=now)))
        .order_by("school_id", "kind")
    ):
        kinds[row["school_id"]].append(
            KindLine(row["kind"], str(labels.get(row["kind"], row["kind"])), row["n"])
        )
        held[row["school_id"]] += row["held"]

    def people(model: type[Student] | type[Staff], person: str) -> dict[int, dict[str, Any]]:
        return _by_school(
            model.objects.filter(school_id__in=school_ids)
            .values("school_id")
            .annotate(n=Count("pk"), active=Count("pk", filter=_took_part(person, ids)))
            .order_by()
        )

    students, staff = people(Student, "student"), people(Staff, "staff")
    places = _by_school(
        Registration.objects.filter(active_registrations(), activity__campaign_id__in=ids)
        .values("school_id")
        .annotate(n=Count("pk"), awards=Count("pk", filter=Q(result__isnull=False) & ~Q(result__award="")))
        .order_by()
    )
    members = _by_school(_team_members(ids).values("school_id").annotate(n=Count("pk")).order_by())
    photos = _by_school(
        Evidence.objects.filter(exhibition_photos_q(), activity__campaign_id__in=ids)
        .values("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        s: ActivityFacts(
            published=sum(k.count for k in kinds[s]),
            held=held[s],
            by_kind=kinds[s],
            students=Share(students.get(s, {}).get("active", 0), students.get(s, {}).get("n", 0)),
            staff=Share(staff.get(s, {}).get("active", 0), staff.get(s, {}).get("n", 0)),
            person_times=places.get(s, {}).get("n", 0) + members.get(s, {}).get("n", 0),
            awards=places.get(s, {}).get("awards", 0),
            photos=photos.get(s, {}).get("n", 0),
        )
        for s in school_ids
    }


def _team_members(ids: list[int]) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(
        registration__status=RegStatus.CONFIRMED,
        activity__status=ActivityStatus.PUBLISHED,
        activity__campaign_id__in=ids,
    )


def _practice_facts(campaigns: Sequence[Campaign], school_ids: list[int]) -> _Practice:
    """每周一练: published sets in the span, the places they were given, and the work handed in. A
    plan made mid-year starts on the day it was made, often inside a set's week. Four queries."""
    set_q = Q(status=SetStatus.PUBLISHED) & dated_in_span(campaigns, "week", lead_days=6)
    sets = _by_school(
        ExerciseSet.objects.filter(set_q).values("school_id").annotate(n=Count("pk")).order_by()
    )
    set_ids = ExerciseSet.objects.filter(set_q).values("pk")
    expected_by_class = {
        row["school_class_id"]: row["n"]
        for row in SetClass.objects.filter(exercise_set_id__in=set_ids)
        .values("school_class_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    handed_in = Submission.objects.filter(exercise_set_id__in=set_ids, submitted_at__isnull=False)
    # Per school needs no join: joining every submission to its student doubled the dashboard's
    # time at 3,000 students, and the bureau (20 schools) needs no per-class lines at all.
    work = _by_school(
        handed_in.values("school_id")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(is_late=False)))
        .order_by()
    )
    class_sizes = list(
        Student.objects.filter(school_id__in=school_ids)
        .values("school_id", "school_class_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_school = {
        s: PracticeFacts(
            sets=sets.get(s, {}).get("n", 0),
            expected=sum(
                row["n"] * expected_by_class.get(row["school_class_id"], 0)
                for row in class_sizes
                if row["school_id"] == s
            ),
            submitted=work.get(s, {}).get("n", 0),
            on_time=work.get(s, {}).get("on_time", 0),
        )
        for s in school_ids
    }
    return _Practice(by_school, expected_by_class, handed_in, class_sizes)


def _volunteer_facts(claim_q: Q) -> dict[int, VolunteerFacts]:
    """志愿服务: approved hours dated in the span."""
    return {
        row["school_id"]: VolunteerFacts(
            hours=hours_of(row["hours"]), claims=row["n"], students=row["students"], staff=row["staff"]
        )
        for row in Claim.objects.filter(claim_q)
        .values("school_id")
        .annotate(
            hours=Coalesce(Sum("hours"), ZERO),
            n=Count("pk"),
            students=Count("student", distinct=True),
            staff=Count("staff", distinct=True),
        )
        .order_by()
    }


def _commitment_facts(ids: list[int], today: dt.date) -> dict[int, CommitmentFacts]:
    """公开承诺: published declarations, their items by fulfilment, and those filed. Two queries."""
    items = _by_school(
        Item.objects.filter(commitment__status=CommitmentStatus.PUBLISHED, commitment__campaign_id__in=ids)
        .values("school_id")
        .annotate(
            n=Count("pk"),
            fulfilled=Count("pk", filter=Q(fulfilment=Fulfilment.FULFILLED)),
            not_fulfilled=Count("pk", filter=Q(fulfilment=Fulfilment.NOT_FULFILLED)),
            pending=Count("pk", filter=Q(fulfilment=Fulfilment.PENDING)),
            overdue=Count("pk", filter=Q(fulfilment=Fulfilment.PENDING, deadline__lt=today)),
        )
        .order_by()
    )
    declared = _by_school(
        Commitment.objects.filter(campaign_id__in=ids, status=CommitmentStatus.PUBLISHED)
        .values("school_id")
        .annotate(n=Count("pk"), filed=Count("filing"))
        .order_by()
    )
    return {
        s: CommitmentFacts(
            commitments=declared.get(s, {}).get("n", 0),
            items=items.get(s, {}).get("n", 0),
            fulfilled=items.get(s, {}).get("fulfilled", 0),
            not_fulfilled=items.get(s, {}).get("not_fulfilled", 0),
            pending=items.get(s, {}).get("pending", 0),
            overdue=items.get(s, {}).get("overdue", 0),
            filed=declared.get(s, {}).get("filed", 0),
        )
        for s in {*items, *declared}
    }


def _evaluations_by_school(campaigns: Sequence[Campaign]) -> dict[int, EvaluationFacts]:
    """评议 opened in the span; turnout and stars from the published results. Two queries."""
    eval_q = ~Q(state=State.DRAFT) & dated_in_span(campaigns, "opens_at__date")
    counts = _by_school(
        Evaluation.objects.filter(eval_q)
        .values("school_id")
        .annotate(n=Count("pk"), published=Count("pk", filter=Q(state=State.PUBLISHED)))
        .order_by()
    )
    results: dict[int, list[tuple[str, dict[str, Any], str]]] = defaultdict(list)
    for school_id, subject_type, result, title in (
        Evaluation.objects.filter(eval_q, state=State.PUBLISHED, result__isnull=False)
        .order_by("opens_at", "pk")
        .values_list("school_id", "subject_type", "result", "title")
    ):
        results[school_id].append((subject_type, result or {}, title))
    return {s: _evaluation_facts(counts.get(s, {}), results[s]) for s in {*counts, *results}}


def _assignment_facts(ids: list[int], today: dt.date) -> dict[int, AssignmentFacts]:
    """分工: tasks, done, and overdue (not done after their deadline)."""
    return {
        row["school_id"]: AssignmentFacts(total=row["n"], done=row["done"], overdue=row["overdue"])
        for row in Assignment.objects.filter(campaign_id__in=ids)
        .values("school_id")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(done_on__isnull=False)),
            overdue=Count("pk", filter=Q(done_on__isnull=True, deadline__lt=today)),
        )
        .order_by()
    }


def _budget_facts(campaigns: Sequence[Campaign], ids: list[int]) -> dict[int, BudgetFacts]:
    """经费: the plan's funds lines, and innovation projects funded in the span. Two queries."""
    funds = _by_school(
        ResourceLine.objects.filter(campaign_id__in=ids, kind=ResourceKind.FUNDS)
        .values("school_id")
        .annotate(total=Coalesce(Sum("amount"), ZERO))
        .order_by()
    )
    grants = _by_school(
        Proposal.objects.filter(Q(status=ProposalStatus.FUNDED) & dated_in_span(campaigns, "decided_on"))
        .values("school_id")
        .annotate(total=Coalesce(Sum("amount_granted"), ZERO))
        .order_by()
    )
    return {
        c.school_id: BudgetFacts(
            planned=money_of(funds.get(c.school_id, {}).get("total")),
            granted=money_of(grants.get(c.school_id, {}).get("total")),
        )
        for c in campaigns
    }


def _honor_facts(ids: list[int]) -> dict[int, HonorFacts]:
    """Nominations made (those an upheld objection removed aside), honors issued and not revoked, by
    award type, and the prize money they carry (payables not cancelled). Three queries."""
    from chuangyou.honors.models import Honor, Payable
    from chuangyou.nominations.models import Nomination, NominationStatus

    nominations = _by_school(
        Nomination.objects.filter(campaign_id__in=ids)
        .exclude(status=NominationStatus.REMOVED)
        .values("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_type: dict[int, list[TypeLine]] = defaultdict(list)
    for row in (
        Honor.objects.filter(campaign_id__in=ids, revoked_on__isnull=True)
        .values("school_id", "award_type_id", "award_type__name")
        .annotate(n=Count("pk"))
        .order_by("school_id", "award_type_id")
    ):
        by_type[row["school_id"]].append(TypeLine(row["award_type__name"], row["n"]))
    prizes = _by_school(
        Payable.objects.filter(honor__campaign_id__in=ids, honor__revoked_on__isnull=True, cancelled=False)
        .values("school_id")
        .annotate(total=Sum("amount"), paid=Sum("amount", filter=Q(paid_on__isnull=False)))
        .order_by()
    )
    out: dict[int, HonorFacts] = {}
    for school_id in {*nominations, *by_type, *prizes}:
        lines = by_type.get(school_id, [])
        out[school_id] = HonorFacts(
            nominations=nominations.get(school_id, {}).get("n", 0),
            total=sum(line.count for line in lines),
            by_type=lines,
            prize_money=money_of(prizes.get(school_id, {}).get("total")),
            prize_paid=money_of(prizes.get(school_id, {}).get("paid")),
        )
    return out


def exhibition_photos_q() -> Q:
    """Evidence on show in the exhibition (the exhibition app's own rule)."""
    from chuangyou.exhibition.selectors import shown_q

    return shown_q()


def _evaluation_facts(
    counts: dict[str, Any], results: list[tuple[str, dict[str, Any], str]]
) -> EvaluationFacts:
    """From the published results (subject type, result, title): each one's turnout, the stars of the
    branches rated, and the ★5 branches by name."""
    stars: dict[int, int] = defaultdict(int)
    turnouts, five_star = [], []
    for subject_type, result, title in results:
        groups = result.get("groups", [])
        entitled = sum(int(g.get("entitled") or 0) for g in groups)
        turnouts.append(EvaluationLine(title, entitled, sum(int(g.get("returned") or 0) for g in groups)))
        if subject_type != SubjectType.BRANCH:
            continue
        for subject in result.get("subjects", []):
            if subject.get("stars") is not None:
                stars[int(subject["stars"])] += 1
                if int(subject["stars"]) == 5:
                    five_star.append(str(subject.get("name", "")))
    rated = sum(stars.values())
    lines = [StarLine(n, stars[n], percent(stars[n], rated), STAR_TARGETS.get(n)) for n in range(5, 0, -1)]
    return EvaluationFacts(
        held=counts.get("n", 0),
        published=counts.get("published", 0),
        entitled=sum(line.entitled for line in turnouts),
        returned=sum(line.returned for line in turnouts),
        branches_rated=rated,
        stars=lines,
        lines=turnouts,
        five_star=five_star,
    )


def _class_lines(
    campaigns: Sequence[Campaign], ids: list[int], practice: _Practice, claim_q: Q
) -> dict[int, list[ClassLine]]:
    """Per class: participation, practice and hours, in grade and class order. Four queries."""
    handed_in, expected_by_class = practice.handed_in, practice.expected_by_class
    school_ids = [c.school_id for c in campaigns]
    # Counted per student, then summed per class here: cheaper than joining each submission to its
    # student in SQL (one row per student instead of one lookup per submission).
    class_of = dict(Student.objects.filter(school_id__in=school_ids).values_list("pk", "school_class_id"))
    by_class: dict[int, dict[str, int]] = defaultdict(lambda: {"n": 0, "on_time": 0})
    for row in (
        handed_in.values("student_id")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(is_late=False)))
        .order_by()
    ):
        line = by_class[class_of[row["student_id"]]]
        line["n"] += row["n"]
        line["on_time"] += row["on_time"]
    taking_part = {
        row["school_class_id"]: row["n"]
        for row in Student.objects.filter(_took_part("student", ids), school_id__in=school_ids)
        .values("school_class_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    hours = {
        row["student__school_class_id"]: row["hours"]
        for row in Claim.objects.filter(claim_q, student__isnull=False)
        .values("student__school_class_id")
        .annotate(hours=Sum("hours"))
        .order_by()
    }
    size = {row["school_class_id"]: row["n"] for row in practice.class_sizes}
    out: dict[int, list[ClassLine]] = defaultdict(list)
    for cls in SchoolClass.objects.filter(school_id__in=school_ids).select_related("grade"):
        students = size.get(cls.pk, 0)
        out[cls.school_id].append(
            ClassLine(
                class_id=cls.pk,
                name=str(cls),
                students=students,
                taking_part=taking_part.get(cls.pk, 0),
                practice_expected=students * expected_by_class.get(cls.pk, 0),
                practice_submitted=by_class[cls.pk]["n"],
                practice_on_time=by_class[cls.pk]["on_time"],
                hours=hours_of(hours.get(cls.pk)),
            )
        )
    return out


def _weeks(ids: list[int]) -> dict[int, list[WeekLine]]:
    """Person-times per week. Counted per activity in SQL and put in weeks here: truncating each
    row's date in the query runs a function per row on SQLite (150 ms at 3,000 students)."""
    counts: dict[tuple[int, dt.date], int] = defaultdict(int)
    regs = (
        Registration.objects.filter(active_registrations(), activity__campaign_id__in=ids)
        .values("school_id", "activity__starts_at")
        .annotate(n=Count("pk"))
        .order_by()
    )
    members = _team_members(ids).values("school_id", "activity__starts_at").annotate(n=Count("pk")).order_by()
    for row in [*regs, *members]:
        day = timezone.localtime(row["activity__starts_at"]).date()
        counts[(row["school_id"], day - dt.timedelta(days=day.weekday()))] += row["n"]
    out: dict[int, list[WeekLine]] = defaultdict(list)
    for (school_id, week), n in sorted(counts.items()):
        out[school_id].append(WeekLine(week, n))
    return out
