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
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
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
from chuangyou.volunteering.models import Claim, ClaimStatus

ZERO = Decimal("0.00")
STAR_TARGETS = {5: 10, 4: 30, 3: 40}  # DOMAIN.md: about 10% ★5, 30% ★4, 40% ★3


def hours_of(value: Decimal | None) -> Decimal:
    """Hours to one decimal (they are counted in 0.5-hour units). SQLite and PostgreSQL return a sum's
    scale differently (2.5 vs 2.50), so every sum is quantized here and both print the same."""
    return (value or ZERO).quantize(Decimal("0.1"))


def money_of(value: Decimal | None) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"))


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """A share as a percentage with one decimal; None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.part, self.whole)


@dataclass(frozen=True)
class PhaseLine:
    name: str
    starts_on: dt.date
    ends_on: dt.date
    status: str  # "done", "current" or "upcoming"


@dataclass(frozen=True)
class ClassLine:
    """One class: participation, practice and hours. Listed in grade and class order, never ranked."""

    class_id: int
    name: str
    students: int
    taking_part: int
    practice_expected: int  # each published set × the class's students
    practice_submitted: int
    practice_on_time: int
    hours: Decimal

    @property
    def participation(self) -> Decimal | None:
        return percent(self.taking_part, self.students)

    @property
    def completion(self) -> Decimal | None:
        return percent(self.practice_submitted, self.practice_expected)

    @property
    def on_time(self) -> Decimal | None:
        return percent(self.practice_on_time, self.practice_expected)


@dataclass(frozen=True)
class WeekLine:
    week: dt.date  # the Monday
    person_times: int  # 参与人次: confirmed places and team members in activities starting that week


@dataclass(frozen=True)
class KindLine:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class ActivityFacts:
    published: int
    held: int  # published and ended by the day of the facts
    by_kind: list[KindLine]
    students: Share  # students in at least one activity, of all students
    staff: Share
    person_times: int
    awards: int  # results with an award level
    photos: int  # approved exhibition photos


@dataclass(frozen=True)
class PracticeFacts:
    sets: int
    expected: int
    submitted: int
    on_time: int

    @property
    def completion(self) -> Decimal | None:
        return percent(self.submitted, self.expected)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.expected)


@dataclass(frozen=True)
class VolunteerFacts:
    hours: Decimal
    claims: int
    students: int
    staff: int


@dataclass(frozen=True)
class CommitmentFacts:
    commitments: int  # published declarations
    items: int
    fulfilled: int
    not_fulfilled: int
    pending: int
    overdue: int  # still pending after their deadline
    filed: int  # declarations filed with the bureau

    @property
    def fulfilment_rate(self) -> Decimal | None:
        return percent(self.fulfilled, self.items)


@dataclass(frozen=True)
class StarLine:
    stars: int
    count: int
    share: Decimal | None
    target: int | None  # the DOMAIN.md target share, if there is one


@dataclass(frozen=True)
class EvaluationFacts:
    held: int  # opened for voting (open, closed or published)
    published: int
    entitled: int  # raters entitled in published evaluations, paper ballots included
    returned: int
    branches_rated: int
    stars: list[StarLine]

    @property
    def turnout(self) -> Decimal | None:
        return percent(self.returned, self.entitled)


@dataclass(frozen=True)
class AssignmentFacts:
    total: int
    done: int
    overdue: int


@dataclass(frozen=True)
class BudgetFacts:
    planned: Decimal  # the plan's 经费 lines
    granted: Decimal  # innovation projects funded in the span

    @property
    def used_share(self) -> Decimal | None:
        return percent(self.granted, self.planned)


@dataclass(frozen=True)
class TypeLine:
    name: str
    count: int


@dataclass(frozen=True)
class HonorFacts:
    nominations: int
    total: int
    by_type: list[TypeLine]
    prize_money: Decimal


@dataclass(frozen=True)
class SchoolFacts:
    school_id: int
    school_name: str
    campaign_id: int
    year: int
    title: str
    start: dt.date | None
    end: dt.date | None
    as_of: dt.datetime
    phases: list[PhaseLine]
    assignments: AssignmentFacts
    activities: ActivityFacts
    practice: PracticeFacts
    volunteering: VolunteerFacts
    commitments: CommitmentFacts
    evaluations: EvaluationFacts
    budget: BudgetFacts
    classes: list[ClassLine] = field(default_factory=list)
    weeks: list[WeekLine] = field(default_factory=list)
    honors: HonorFacts = field(default_factory=lambda: HonorFacts(0, 0, [], ZERO))

    @property
    def phases_done(self) -> int:
        return sum(1 for p in self.phases if p.status == "done")

    @property
    def current_phase(self) -> str | None:
        return next((p.name for p in self.phases if p.status == "current"), None)


# --- the queries -------------------------------------------------------------------------------


def _span(campaign: Campaign) -> tuple[dt.date, dt.date]:
    span = campaign.span()
    if span is None:  # a plan without phases: its year
        return dt.date(campaign.year, 1, 1), dt.date(campaign.year, 12, 31)
    return span


def _by_school(rows: Any, key: str = "school_id") -> dict[int, dict[str, Any]]:
    return {row[key]: row for row in rows}


def _dated(campaigns: Sequence[Campaign], lookup: str, *, lead_days: int = 0) -> Q:
    """Rows of each school dated inside its own campaign's span. A row dated by the start of a
    period (a weekly set by its Monday) counts when its period overlaps the span: `lead_days` back."""
    q = Q(pk__in=[])
    for c in campaigns:
        start, end = _span(c)
        start -= dt.timedelta(days=lead_days)
        q |= Q(school_id=c.school_id, **{f"{lookup}__range": (start, end)})
    return q


def _active_registrations() -> Q:
    return Q(status=RegStatus.CONFIRMED, activity__status=ActivityStatus.PUBLISHED)


def _took_part(person: str, campaign_ids: list[int]) -> Q:
    """A student (or staff) holding a confirmed place, or on a confirmed team, in the campaigns."""
    regs = Registration.objects.filter(
        _active_registrations(), activity__campaign_id__in=campaign_ids, **{person: OuterRef("pk")}
    )
    members = TeamMember.objects.filter(
        registration__status=RegStatus.CONFIRMED,
        activity__status=ActivityStatus.PUBLISHED,
        activity__campaign_id__in=campaign_ids,
        **{person: OuterRef("pk")},
    )
    return Q(Exists(regs)) | Q(Exists(members))


def facts_for(
    campaigns: Sequence[Campaign], *, as_of: dt.datetime | None = None, with_classes: bool = False
) -> dict[int, SchoolFacts]:
    """Facts for each campaign, keyed by school id. Phases must be prefetched (the selectors do).

    About 20 queries, or 24 with the per-class lines, whatever the number of schools."""
    now = as_of or timezone.now()
    today = timezone.localtime(now).date()
    if not campaigns:
        return {}
    ids = [c.pk for c in campaigns]
    school_ids = [c.school_id for c in campaigns]

    # Activities: counts by kind, people taking part, awards, photos.
    kinds: dict[int, list[KindLine]] = defaultdict(list)
    labels = dict(Activity._meta.get_field("kind").choices or [])
    activity_rows = (
        Activity.objects.filter(campaign_id__in=ids, status=ActivityStatus.PUBLISHED)
        .values("school_id", "kind")
        .annotate(n=Count("pk"), held=Count("pk", filter=Q(ends_at__lte=now)))
        .order_by("school_id", "kind")
    )
    held: dict[int, int] = defaultdict(int)
    for row in activity_rows:
        kinds[row["school_id"]].append(
            KindLine(row["kind"], str(labels.get(row["kind"], row["kind"])), row["n"])
        )
        held[row["school_id"]] += row["held"]
    students = _by_school(
        Student.objects.filter(school_id__in=school_ids)
        .values("school_id")
        .annotate(n=Count("pk"), active=Count("pk", filter=_took_part("student", ids)))
        .order_by()
    )
    staff = _by_school(
        Staff.objects.filter(school_id__in=school_ids)
        .values("school_id")
        .annotate(n=Count("pk"), active=Count("pk", filter=_took_part("staff", ids)))
        .order_by()
    )
    places = _by_school(
        Registration.objects.filter(_active_registrations(), activity__campaign_id__in=ids)
        .values("school_id")
        .annotate(n=Count("pk"), awards=Count("pk", filter=Q(result__isnull=False) & ~Q(result__award="")))
        .order_by()
    )
    team_members = _by_school(
        TeamMember.objects.filter(
            registration__status=RegStatus.CONFIRMED,
            activity__status=ActivityStatus.PUBLISHED,
            activity__campaign_id__in=ids,
        )
        .values("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    photos = _by_school(
        Evidence.objects.filter(exhibition_photos_q(), activity__campaign_id__in=ids)
        .values("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )

    # 每周一练: published sets in the span, the places they were given, and the work handed in.
    # A plan made mid-year starts on the day it was made, often inside a set's week.
    set_q = Q(status=SetStatus.PUBLISHED) & _dated(campaigns, "week", lead_days=6)
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
    class_rows = list(
        Student.objects.filter(school_id__in=school_ids)
        .values("school_id", "school_class_id")
        .annotate(n=Count("pk"))
        .order_by()
    )

    # 志愿服务: approved hours dated in the span.
    claim_q = Q(status=ClaimStatus.APPROVED) & _dated(campaigns, "served_on")
    hours = _by_school(
        Claim.objects.filter(claim_q)
        .values("school_id")
        .annotate(
            hours=Coalesce(Sum("hours"), ZERO),
            n=Count("pk"),
            students=Count("student", distinct=True),
            staff=Count("staff", distinct=True),
        )
        .order_by()
    )

    # 公开承诺.
    published = Q(commitment__status=CommitmentStatus.PUBLISHED, commitment__campaign_id__in=ids)
    items = _by_school(
        Item.objects.filter(published)
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

    # 评议: opened in the span; turnout and stars from the published results.
    eval_q = ~Q(state=State.DRAFT) & _dated(campaigns, "opens_at__date")
    evals = _by_school(
        Evaluation.objects.filter(eval_q)
        .values("school_id")
        .annotate(n=Count("pk"), published=Count("pk", filter=Q(state=State.PUBLISHED)))
        .order_by()
    )
    results: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for school_id, subject_type, result in Evaluation.objects.filter(
        eval_q, state=State.PUBLISHED, result__isnull=False
    ).values_list("school_id", "subject_type", "result"):
        results[school_id].append((subject_type, result or {}))

    # 分工 and 经费.
    tasks = _by_school(
        Assignment.objects.filter(campaign_id__in=ids)
        .values("school_id")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(done_on__isnull=False)),
            overdue=Count("pk", filter=Q(done_on__isnull=True, deadline__lt=today)),
        )
        .order_by()
    )
    funds = _by_school(
        ResourceLine.objects.filter(campaign_id__in=ids, kind=ResourceKind.FUNDS)
        .values("school_id")
        .annotate(total=Coalesce(Sum("amount"), ZERO))
        .order_by()
    )
    grants = _by_school(
        Proposal.objects.filter(Q(status=ProposalStatus.FUNDED) & _dated(campaigns, "decided_on"))
        .values("school_id")
        .annotate(total=Coalesce(Sum("amount_granted"), ZERO))
        .order_by()
    )

    honors = _honor_facts(ids)

    classes_by_school: dict[int, list[ClassLine]] = defaultdict(list)
    weeks_by_school: dict[int, list[WeekLine]] = defaultdict(list)
    if with_classes:
        classes_by_school = _class_lines(campaigns, ids, class_rows, expected_by_class, handed_in, claim_q)
        weeks_by_school = _weeks(ids)

    out: dict[int, SchoolFacts] = {}
    for c in campaigns:
        s = c.school_id
        start, end = _span(c)
        expected = sum(
            row["n"] * expected_by_class.get(row["school_class_id"], 0)
            for row in class_rows
            if row["school_id"] == s
        )
        out[s] = SchoolFacts(
            school_id=s,
            school_name=c.school.name,
            campaign_id=c.pk,
            year=c.year,
            title=c.title,
            start=start if c.span() else None,
            end=end if c.span() else None,
            as_of=now,
            phases=[PhaseLine(p.name, p.starts_on, p.ends_on, p.status_on(today)) for p in c.phases.all()],
            assignments=AssignmentFacts(
                total=tasks.get(s, {}).get("n", 0),
                done=tasks.get(s, {}).get("done", 0),
                overdue=tasks.get(s, {}).get("overdue", 0),
            ),
            activities=ActivityFacts(
                published=sum(k.count for k in kinds[s]),
                held=held[s],
                by_kind=kinds[s],
                students=Share(students.get(s, {}).get("active", 0), students.get(s, {}).get("n", 0)),
                staff=Share(staff.get(s, {}).get("active", 0), staff.get(s, {}).get("n", 0)),
                person_times=places.get(s, {}).get("n", 0) + team_members.get(s, {}).get("n", 0),
                awards=places.get(s, {}).get("awards", 0),
                photos=photos.get(s, {}).get("n", 0),
            ),
            practice=PracticeFacts(
                sets=sets.get(s, {}).get("n", 0),
                expected=expected,
                submitted=work.get(s, {}).get("n", 0),
                on_time=work.get(s, {}).get("on_time", 0),
            ),
            volunteering=VolunteerFacts(
                hours=hours_of(hours.get(s, {}).get("hours")),
                claims=hours.get(s, {}).get("n", 0),
                students=hours.get(s, {}).get("students", 0),
                staff=hours.get(s, {}).get("staff", 0),
            ),
            commitments=CommitmentFacts(
                commitments=declared.get(s, {}).get("n", 0),
                items=items.get(s, {}).get("n", 0),
                fulfilled=items.get(s, {}).get("fulfilled", 0),
                not_fulfilled=items.get(s, {}).get("not_fulfilled", 0),
                pending=items.get(s, {}).get("pending", 0),
                overdue=items.get(s, {}).get("overdue", 0),
                filed=declared.get(s, {}).get("filed", 0),
            ),
            evaluations=_evaluation_facts(evals.get(s, {}), results[s]),
            budget=BudgetFacts(
                planned=money_of(funds.get(s, {}).get("total")),
                granted=money_of(grants.get(s, {}).get("total")),
            ),
            classes=classes_by_school[s],
            weeks=weeks_by_school[s],
            honors=honors.get(s, HonorFacts(0, 0, [], money_of(None))),
        )
    return out


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
        .annotate(total=Sum("amount"))
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
        )
    return out


def exhibition_photos_q() -> Q:
    """Evidence on show in the exhibition (the exhibition app's own rule)."""
    from chuangyou.exhibition.selectors import shown_q

    return shown_q()


def _evaluation_facts(counts: dict[str, Any], results: list[tuple[str, dict[str, Any]]]) -> EvaluationFacts:
    entitled = returned = 0
    stars: dict[int, int] = defaultdict(int)
    rated = 0
    for subject_type, result in results:
        for group in result.get("groups", []):
            entitled += int(group.get("entitled") or 0)
            returned += int(group.get("returned") or 0)
        if subject_type != SubjectType.BRANCH:
            continue
        for subject in result.get("subjects", []):
            if subject.get("stars") is not None:
                rated += 1
                stars[int(subject["stars"])] += 1
    lines = [StarLine(n, stars[n], percent(stars[n], rated), STAR_TARGETS.get(n)) for n in range(5, 0, -1)]
    return EvaluationFacts(
        held=counts.get("n", 0),
        published=counts.get("published", 0),
        entitled=entitled,
        returned=returned,
        branches_rated=rated,
        stars=lines,
    )


def _class_lines(
    campaigns: Sequence[Campaign],
    ids: list[int],
    class_rows: list[dict[str, Any]],
    expected_by_class: dict[int, int],
    handed_in: QuerySet[Submission],
    claim_q: Q,
) -> dict[int, list[ClassLine]]:
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
    size = {row["school_class_id"]: row["n"] for row in class_rows}
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
        Registration.objects.filter(_active_registrations(), activity__campaign_id__in=ids)
        .values("school_id", "activity__starts_at")
        .annotate(n=Count("pk"))
        .order_by()
    )
    members = (
        TeamMember.objects.filter(
            registration__status=RegStatus.CONFIRMED,
            activity__status=ActivityStatus.PUBLISHED,
            activity__campaign_id__in=ids,
        )
        .values("school_id", "activity__starts_at")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in [*regs, *members]:
        day = timezone.localtime(row["activity__starts_at"]).date()
        counts[(row["school_id"], day - dt.timedelta(days=day.weekday()))] += row["n"]
    out: dict[int, list[WeekLine]] = defaultdict(list)
    for (school_id, week), n in sorted(counts.items()):
        out[school_id].append(WeekLine(week, n))
    return out


# --- one child's own summary --------------------------------------------------------------------


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

    places = Registration.objects.filter(
        _active_registrations(), activity__campaign=campaign, student=student
    )
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
        Q(status=ClaimStatus.APPROVED, student=student) & _dated([campaign], "served_on")
    ).aggregate(h=Sum("hours"))["h"]
    set_q = (
        Q(status=SetStatus.PUBLISHED)
        & _dated([campaign], "week", lead_days=6)
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
