"""Reads of 每周一练, limited to what the actor may see, and the completion figures.

Every list here runs a fixed number of queries whatever its length: counts are annotations, a
student's status comes from a subquery, and classes are prefetched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from chuangyou.lib.errors import NotFound
from chuangyou.org.models import School, SchoolClass, Student
from chuangyou.org.rules import Actor, can_read_school, require
from chuangyou.practice.models import (
    Answer,
    ExerciseSet,
    Question,
    QuestionKind,
    SetClass,
    SetStatus,
    Submission,
)
from chuangyou.practice.rules import can_follow_class, can_follow_set, is_teacher_in, owns_set

READ_MESSAGE = gettext_lazy("您没有权限查看这份练习。")

Completion = Literal["on_time", "late", "missing"]
COMPLETIONS: tuple[Completion, ...] = ("on_time", "late", "missing")
COMPLETION_LABELS = {"on_time": _("按时"), "late": _("迟交"), "missing": _("未交")}


def completion_filter(value: str | None) -> Completion | None:
    return next((c for c in COMPLETIONS if c == value), None)


def _with_classes(queryset: QuerySet[ExerciseSet]) -> QuerySet[ExerciseSet]:
    classes = SetClass.objects.select_related("school_class__grade").order_by(
        "school_class__grade__level", "school_class__number"
    )
    return queryset.select_related("author", "school").prefetch_related(
        Prefetch("set_classes", queryset=classes)
    )


# --- sets --------------------------------------------------------------------------------------


def sets_visible_to(actor: Actor, school: School) -> QuerySet[ExerciseSet]:
    """For staff: one's own sets (drafts too), and the published sets one follows (a 班主任's class,
    or all of them for the office). Students and parents read their sets through `sets_for_student`."""
    base = ExerciseSet.objects.filter(school=school)
    mine = Q(author__user=actor.user) if actor.user is not None else Q(pk__in=[])
    if actor.system:
        visible = base
    elif can_read_school(actor, school):
        visible = base.filter(mine | Q(status=SetStatus.PUBLISHED))
    elif is_teacher_in(actor, school):
        head = Q(status=SetStatus.PUBLISHED, set_classes__school_class_id__in=actor.head_teacher_class_ids())
        visible = base.filter(mine | head).distinct()
    else:
        return ExerciseSet.objects.none()
    return visible


def staff_set_list(
    actor: Actor,
    school: School,
    *,
    week: dt.date | None = None,
    subject: str = "",
    class_id: int | None = None,
    mine_only: bool = False,
) -> QuerySet[ExerciseSet]:
    rows = sets_visible_to(actor, school)
    if week is not None:
        rows = rows.filter(week=week)
    if subject:
        rows = rows.filter(subject=subject)
    if class_id is not None:
        rows = rows.filter(pk__in=SetClass.objects.filter(school_class_id=class_id).values("exercise_set_id"))
    if mine_only and actor.user is not None:
        rows = rows.filter(author__user=actor.user)
    question_count = Question.objects.filter(exercise_set=OuterRef("pk")).values("exercise_set")
    submitted = Submission.objects.filter(exercise_set=OuterRef("pk"), submitted_at__isnull=False).values(
        "exercise_set"
    )
    return (
        _with_classes(rows)
        .annotate(
            question_count=_count_of(question_count),
            submitted_count=_count_of(submitted),
        )
        .order_by("-week", "subject", "-pk")
    )


def _count_of(rows: QuerySet[Any]) -> Subquery:
    return Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField())


def subjects_of(actor: Actor, school: School) -> list[str]:
    return sorted(set(sets_visible_to(actor, school).values_list("subject", flat=True)))


def set_for(actor: Actor, school: School, set_id: int) -> ExerciseSet:
    """One set the actor may open: its author; a follower of one of its classes (published); a
    student of one of its classes or their parent (published). Refused before saying it exists."""
    exercise_set = _with_classes(ExerciseSet.objects.filter(school=school, pk=set_id)).first()
    if exercise_set is None:
        raise NotFound(gettext("没有这份练习。"))
    if owns_set(actor, exercise_set):
        return exercise_set
    class_ids = [sc.school_class_id for sc in exercise_set.set_classes.all()]
    readable = exercise_set.is_published and (
        can_follow_set(actor, exercise_set, class_ids)
        or Student.objects.filter(
            Q(pk=actor.own_student_id) | Q(pk__in=actor.child_student_ids), school_class_id__in=class_ids
        ).exists()
    )
    require(readable, READ_MESSAGE)
    return exercise_set


def classes_of(exercise_set: ExerciseSet) -> list[SchoolClass]:
    """The set's classes, from the prefetch `set_for` made."""
    return [sc.school_class for sc in exercise_set.set_classes.all()]


def followed_classes(actor: Actor, exercise_set: ExerciseSet) -> list[SchoolClass]:
    """The set's classes whose results the actor may see."""
    return [c for c in classes_of(exercise_set) if can_follow_class(actor, exercise_set, c)]


def questions_of(exercise_set: ExerciseSet) -> QuerySet[Question]:
    return Question.objects.filter(exercise_set=exercise_set).order_by("order")


# --- a student's sets --------------------------------------------------------------------------


def students_followed_by(actor: Actor, school: School) -> QuerySet[Student]:
    """Whose 每周一练 this person reads as their own page: oneself, or one's children."""
    ids = set(actor.child_student_ids)
    if actor.own_student_id is not None:
        ids.add(actor.own_student_id)
    return Student.objects.filter(school=school, pk__in=ids).select_related("school_class__grade")


def sets_for_student(student: Student) -> QuerySet[ExerciseSet]:
    """The published sets of the student's class, each with this student's submission facts."""
    mine = Submission.objects.filter(exercise_set=OuterRef("pk"), student=student)
    return (
        ExerciseSet.objects.filter(
            status=SetStatus.PUBLISHED,
            pk__in=SetClass.objects.filter(school_class_id=student.school_class_id).values("exercise_set_id"),
        )
        .select_related("author")
        .annotate(
            my_started=Exists(mine),
            my_submitted_at=Subquery(mine.values("submitted_at")[:1]),
            my_late=Subquery(mine.values("is_late")[:1], output_field=BooleanField()),
            my_score=Subquery(
                mine.values("score")[:1], output_field=DecimalField(max_digits=6, decimal_places=1)
            ),
            my_ungraded=Subquery(mine.values("ungraded")[:1], output_field=IntegerField()),
            total_points=Subquery(
                Question.objects.filter(exercise_set=OuterRef("pk"))
                .values("exercise_set")
                .annotate(t=Sum("points"))
                .values("t"),
                output_field=DecimalField(max_digits=6, decimal_places=1),
            ),
        )
        .order_by("-week", "subject", "-pk")
    )


def submission_of(exercise_set: ExerciseSet, student: Student) -> Submission | None:
    return Submission.objects.filter(exercise_set=exercise_set, student=student).first()


def answers_by_question(submission: Submission | None) -> dict[int, Answer]:
    if submission is None:
        return {}
    answers = Answer.objects.filter(submission=submission).order_by("question__order", "question_id")
    return {a.question_id: a for a in answers}  # in the set's order, on every database


# --- the set's report --------------------------------------------------------------------------


def report_rows(
    exercise_set: ExerciseSet, classes: list[SchoolClass], *, completion: Completion | None = None
) -> QuerySet[Student]:
    """The students of `classes` (today's roster), each with their submission for the set."""
    theirs = Submission.objects.filter(exercise_set=exercise_set, student=OuterRef("pk"))
    rows = (
        Student.objects.filter(school_class__in=classes)
        .select_related("school_class__grade")
        .annotate(
            submitted_at=Subquery(theirs.values("submitted_at")[:1]),
            late=Subquery(theirs.values("is_late")[:1], output_field=BooleanField()),
            score=Subquery(
                theirs.values("score")[:1], output_field=DecimalField(max_digits=6, decimal_places=1)
            ),
            ungraded=Subquery(theirs.values("ungraded")[:1], output_field=IntegerField()),
        )
        .annotate(
            completion=Case(
                When(submitted_at__isnull=True, then=Value("missing")),
                When(late=True, then=Value("late")),
                default=Value("on_time"),
                output_field=CharField(),
            )
        )
        .order_by("school_class__grade__level", "school_class__number", "student_no")
    )
    if completion is not None:
        rows = rows.filter(completion=completion)
    return rows


@dataclass(frozen=True)
class ClassTally:
    school_class: SchoolClass
    students: int
    on_time: int
    late: int

    @property
    def missing(self) -> int:
        return self.students - self.on_time - self.late

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.students:
            return None
        return (Decimal(self.on_time * 100) / self.students).quantize(Decimal("0.1"))


def class_tallies(exercise_set: ExerciseSet, classes: list[SchoolClass]) -> list[ClassTally]:
    """Per class: how many students, how many handed in on time, how many late."""
    sizes = dict(
        Student.objects.filter(school_class__in=classes)
        .values("school_class")
        .annotate(n=Count("pk"))
        .values_list("school_class", "n")
    )
    done = {
        row["student__school_class"]: row
        for row in Submission.objects.filter(
            exercise_set=exercise_set, student__school_class__in=classes, submitted_at__isnull=False
        )
        .values("student__school_class")
        .annotate(on_time=Count("pk", filter=Q(is_late=False)), late=Count("pk", filter=Q(is_late=True)))
    }
    return [
        ClassTally(
            school_class=c,
            students=sizes.get(c.pk, 0),
            on_time=done.get(c.pk, {}).get("on_time", 0),
            late=done.get(c.pk, {}).get("late", 0),
        )
        for c in classes
    ]


# --- grading -----------------------------------------------------------------------------------


def open_questions(exercise_set: ExerciseSet) -> QuerySet[Question]:
    """The open questions, each with how many handed-in answers still wait for a grade."""
    waiting = Count(
        "answers",
        filter=Q(answers__score__isnull=True, answers__submission__submitted_at__isnull=False),
    )
    return questions_of(exercise_set).filter(kind=QuestionKind.OPEN).annotate(waiting=waiting)


def grading_queue(question: Question, *, waiting_only: bool = True) -> QuerySet[Answer]:
    """Handed-in answers to an open question, ungraded first, then by class and 学号."""
    rows = (
        Answer.objects.filter(question=question, submission__submitted_at__isnull=False)
        .select_related("submission__student__school_class__grade")
        .order_by(
            F("graded_at").asc(nulls_first=True),
            "submission__student__school_class__grade__level",
            "submission__student__school_class__number",
            "submission__student__student_no",
        )
    )
    if waiting_only:
        rows = rows.filter(score__isnull=True)
    return rows


# --- a class across weeks (the on-time record) -------------------------------------------------


@dataclass
class WeekLine:
    week: dt.date
    sets: int = 0
    expected: int = 0
    on_time: int = 0
    late: int = 0

    @property
    def missing(self) -> int:
        return self.expected - self.on_time - self.late

    @property
    def on_time_rate(self) -> Decimal | None:
        if not self.expected:
            return None
        return (Decimal(self.on_time * 100) / self.expected).quantize(Decimal("0.1"))


@dataclass
class StudentLine:
    student: Student
    on_time: int = 0
    late: int = 0
    missing: int = 0
    scores: list[tuple[ExerciseSet, Decimal | None, str]] = field(default_factory=list)


@dataclass
class ClassRecord:
    school_class: SchoolClass
    weeks: list[WeekLine]
    students: list[StudentLine]
    sets: list[ExerciseSet]

    @property
    def total(self) -> WeekLine:
        line = WeekLine(week=self.weeks[0].week if self.weeks else dt.date.min)
        for w in self.weeks:
            line.sets += w.sets
            line.expected += w.expected
            line.on_time += w.on_time
            line.late += w.late
        return line


def class_sets(actor: Actor, school_class: SchoolClass) -> QuerySet[ExerciseSet]:
    """The published sets given to a class, limited to those the actor may follow for it: all of
    them for its 班主任 and the office, a teacher's own otherwise."""
    rows = ExerciseSet.objects.filter(
        status=SetStatus.PUBLISHED,
        pk__in=SetClass.objects.filter(school_class=school_class).values("exercise_set_id"),
    ).select_related("author", "school")
    if school_class.pk in actor.head_teacher_class_ids() or can_read_school(actor, school_class.school):
        return rows
    if actor.user is None:
        return rows.none()
    return rows.filter(author__user=actor.user)


def class_record(
    actor: Actor, school_class: SchoolClass, *, since: dt.date | None = None, until: dt.date | None = None
) -> ClassRecord:
    """Per week: sets given, hand-ins expected (students × sets), on time, late, missing and the
    on-time rate; per student: their counts and each set's score. Three queries in all."""
    sets_qs = class_sets(actor, school_class)
    if since is not None:
        sets_qs = sets_qs.filter(week__gte=since)
    if until is not None:
        sets_qs = sets_qs.filter(week__lte=until)
    sets = list(sets_qs.order_by("week", "subject", "pk"))
    students = list(Student.objects.filter(school_class=school_class).order_by("student_no"))
    submissions = {
        (s.exercise_set_id, s.student_id): s
        for s in Submission.objects.filter(
            exercise_set__in=sets, student__in=students, submitted_at__isnull=False
        ).only("exercise_set_id", "student_id", "is_late", "score", "ungraded")
    }
    weeks: dict[dt.date, WeekLine] = {}
    lines = {s.pk: StudentLine(student=s) for s in students}
    for exercise_set in sets:
        week = weeks.setdefault(exercise_set.week, WeekLine(week=exercise_set.week))
        week.sets += 1
        week.expected += len(students)
        for student in students:
            line = lines[student.pk]
            sub = submissions.get((exercise_set.pk, student.pk))
            if sub is None:
                line.missing += 1
                line.scores.append((exercise_set, None, "missing"))
                continue
            if sub.is_late:
                week.late += 1
                line.late += 1
            else:
                week.on_time += 1
                line.on_time += 1
            line.scores.append((exercise_set, sub.score, "late" if sub.is_late else "on_time"))
    return ClassRecord(
        school_class=school_class,
        weeks=sorted(weeks.values(), key=lambda w: w.week),
        students=list(lines.values()),
        sets=sets,
    )


def classes_for_record(actor: Actor, school: School) -> QuerySet[SchoolClass]:
    """Classes whose on-time record the actor may open: all for the office, one's own as 班主任,
    and for a teacher the classes their published sets went to."""
    base = SchoolClass.objects.filter(school=school).select_related("grade")
    if can_read_school(actor, school):
        return base
    taught = (
        SetClass.objects.filter(
            exercise_set__author__user=actor.user, exercise_set__status=SetStatus.PUBLISHED
        ).values("school_class_id")
        if actor.user is not None
        else SetClass.objects.none().values("school_class_id")
    )
    return base.filter(Q(pk__in=actor.head_teacher_class_ids()) | Q(pk__in=taught))
