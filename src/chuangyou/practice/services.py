"""Writes to 每周一练: sets and their questions, publishing, answering, submitting and grading.

A set is edited freely as a draft. Publishing freezes its questions: a student's grade must not change
because an answer key was edited after they answered. Answers are saved one question at a time as the
student goes; the submit closes the work, grades the objective questions, and marks it late when it
comes after the deadline (late work is accepted). Open questions wait for the author to grade them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.lib.validation import clean_text
from chuangyou.org.models import School, SchoolClass, Staff, Student
from chuangyou.org.rules import Actor, require
from chuangyou.practice.models import (
    ZERO,
    Answer,
    ExerciseSet,
    Question,
    QuestionKind,
    SetClass,
    SetStatus,
    Submission,
)
from chuangyou.practice.rules import can_answer, is_teacher_in, owns_set

AUTHOR_MESSAGE = gettext_lazy("只有布置这份练习的老师可以修改或批改它。")
TEACHER_MESSAGE = gettext_lazy("只有本校教师可以布置每周一练。")
ANSWER_MESSAGE = gettext_lazy("只有这份练习所布置班级的学生本人可以作答。")
FROZEN_MESSAGE = gettext_lazy("练习已发布，题目不能再修改（学生已经可能作答，改动会改变成绩）。")
MAX_CHOICES = 8
MAX_POINTS = Decimal("100")


@dataclass(frozen=True)
class AnswerInput:
    """What a student gives for one question: option indexes (choice questions) or text."""

    chosen: tuple[int, ...] = ()
    text: str = ""


# --- comparing fill-in answers -----------------------------------------------------------------

_FULL_WIDTH_OFFSET = 0xFEE0  # ！(U+FF01) … ～(U+FF5E) map onto ! … ~
_IDEOGRAPHIC_SPACE = "\u3000"


def fold(text: str, *, ignore_case: bool) -> str:
    """A fill-in answer as it is compared: full-width letters, digits and signs made half-width
    (students type on Chinese input methods), trimmed, and case-folded when the question says so."""
    chars = []
    for char in text:
        code = ord(char)
        if 0xFF01 <= code <= 0xFF5E:
            chars.append(chr(code - _FULL_WIDTH_OFFSET))
        elif char == _IDEOGRAPHIC_SPACE:
            chars.append(" ")
        else:
            chars.append(char)
    folded = "".join(chars).strip()
    return folded.casefold() if ignore_case else folded


def auto_score(question: Question, answer: Answer | None) -> Decimal | None:
    """The score of an objective answer, all or nothing; None for an open one (the teacher grades).
    A multiple-choice answer must pick exactly the right options."""
    if answer is None:
        return ZERO
    if question.kind == QuestionKind.OPEN:
        return ZERO if answer.is_blank else None
    if question.kind == QuestionKind.FILL:
        accepted = {fold(a, ignore_case=question.ignore_case) for a in question.correct}
        right = bool(answer.text.strip()) and fold(answer.text, ignore_case=question.ignore_case) in accepted
    else:
        right = sorted(answer.chosen) == sorted(question.correct)
    return question.points if right else ZERO


# --- checks ------------------------------------------------------------------------------------


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, {field: [message]})


def _author_staff(actor: Actor, school: School) -> Staff:
    require(is_teacher_in(actor, school), TEACHER_MESSAGE)
    staff = Staff.objects.filter(school=school, user=actor.user).first() if actor.user else None
    require(staff is not None, TEACHER_MESSAGE)
    assert staff is not None
    return staff


def _check_schedule(week: dt.date, deadline: dt.datetime) -> None:
    if week.weekday() != 0:
        raise _invalid("week", gettext("请选择这一周的星期一。"))
    week_start = timezone.make_aware(dt.datetime.combine(week, dt.time.min))
    if deadline < week_start:
        raise _invalid("deadline", gettext("截止时间不能早于这一周的开始。"))


def _check_classes(school: School, classes: Collection[SchoolClass]) -> list[SchoolClass]:
    chosen = sorted({c.pk: c for c in classes}.values(), key=lambda c: c.pk)
    if not chosen:
        raise _invalid("classes", gettext("请至少选择一个班级。"))
    if any(c.school_id != school.pk for c in chosen):
        raise _invalid("classes", gettext("只能布置给本校的班级。"))
    return chosen


def _require_draft(exercise_set: ExerciseSet) -> None:
    if exercise_set.status != SetStatus.DRAFT:
        raise Conflict(FROZEN_MESSAGE)


def _lock_set(exercise_set: ExerciseSet, actor: Actor) -> ExerciseSet:
    """The set's row, locked, for its author: edits and the publish serialize on it."""
    locked = (
        ExerciseSet.objects.select_for_update().select_related("author", "school").get(pk=exercise_set.pk)
    )
    require(owns_set(actor, locked), AUTHOR_MESSAGE)
    return locked


def set_class_ids(exercise_set: ExerciseSet) -> list[int]:
    return list(
        SetClass.objects.filter(exercise_set=exercise_set)
        .order_by("school_class_id")
        .values_list("school_class_id", flat=True)
    )


def _set_fact(exercise_set: ExerciseSet) -> dict[str, object]:
    return snapshot(exercise_set) | {"classes": set_class_ids(exercise_set)}


# --- sets --------------------------------------------------------------------------------------


def create_set(
    *,
    actor: Actor,
    school: School,
    title: str,
    subject: str,
    week: dt.date,
    deadline: dt.datetime,
    classes: Collection[SchoolClass],
) -> ExerciseSet:
    """A draft set by the acting teacher."""
    author = _author_staff(actor, school)
    title = clean_text(title, field="title", label=gettext("标题"), max_length=120)
    subject = clean_text(subject, field="subject", label=gettext("学科"), max_length=30)
    _check_schedule(week, deadline)
    chosen = _check_classes(school, classes)
    with transaction.atomic():
        exercise_set = ExerciseSet.objects.create(
            school=school, author=author, title=title, subject=subject, week=week, deadline=deadline
        )
        SetClass.objects.bulk_create(
            [SetClass(school=school, exercise_set=exercise_set, school_class=c) for c in chosen]
        )
        record(
            actor,
            change_for(
                "practice.set.create", exercise_set, school_id=school.pk, after=_set_fact(exercise_set)
            ),
        )
    return exercise_set


def update_set(
    *,
    actor: Actor,
    exercise_set: ExerciseSet,
    title: str,
    subject: str,
    week: dt.date,
    deadline: dt.datetime,
    classes: Collection[SchoolClass],
) -> ExerciseSet:
    require(owns_set(actor, exercise_set), AUTHOR_MESSAGE)
    title = clean_text(title, field="title", label=gettext("标题"), max_length=120)
    subject = clean_text(subject, field="subject", label=gettext("学科"), max_length=30)
    _check_schedule(week, deadline)
    chosen = _check_classes(exercise_set.school, classes)
    with transaction.atomic():
        locked = _lock_set(exercise_set, actor)
        _require_draft(locked)
        before = _set_fact(locked)
        locked.title, locked.subject, locked.week, locked.deadline = title, subject, week, deadline
        locked.save(update_fields=["title", "subject", "week", "deadline"])
        SetClass.objects.filter(exercise_set=locked).exclude(school_class__in=chosen).delete()
        SetClass.objects.bulk_create(
            [SetClass(school_id=locked.school_id, exercise_set=locked, school_class=c) for c in chosen],
            ignore_conflicts=True,
        )
        record(
            actor,
            change_for(
                "practice.set.update",
                locked,
                school_id=locked.school_id,
                before=before,
                after=_set_fact(locked),
            ),
        )
    return locked


def delete_set(*, actor: Actor, exercise_set: ExerciseSet) -> None:
    """Remove a draft made by mistake; a published set is part of the students' record."""
    require(owns_set(actor, exercise_set), AUTHOR_MESSAGE)
    with transaction.atomic():
        locked = _lock_set(exercise_set, actor)
        _require_draft(locked)
        before = _set_fact(locked) | {"questions": [snapshot(q) for q in locked.questions.order_by("order")]}
        record(actor, change_for("practice.set.delete", locked, school_id=locked.school_id, before=before))
        locked.delete()


def publish_set(*, actor: Actor, exercise_set: ExerciseSet, now: dt.datetime | None = None) -> ExerciseSet:
    """Open the set to its classes. From here on its questions are frozen."""
    require(owns_set(actor, exercise_set), AUTHOR_MESSAGE)
    with transaction.atomic():
        locked = _lock_set(exercise_set, actor)
        if locked.status == SetStatus.PUBLISHED:
            raise Conflict(gettext("这份练习已经发布了。"))
        if not locked.questions.exists():
            raise Invalid(gettext("请先添加题目，再发布。"))
        before = snapshot(locked)
        locked.status, locked.published_at = SetStatus.PUBLISHED, now or timezone.now()
        locked.save(update_fields=["status", "published_at"])
        record(
            actor,
            change_for(
                "practice.set.publish",
                locked,
                school_id=locked.school_id,
                before=before,
                after=snapshot(locked),
            ),
        )
    return locked


# --- questions ---------------------------------------------------------------------------------


def _clean_question(
    *,
    kind: str,
    prompt: str,
    points: Decimal,
    choices: Sequence[str],
    correct: Sequence[int],
    accepted: Sequence[str],
) -> tuple[str, Decimal, list[str], list[int] | list[str]]:
    if kind not in QuestionKind.values:
        raise _invalid("kind", gettext("请选择题型。"))
    prompt = clean_text(prompt, field="prompt", label=gettext("题目"), max_length=2000)
    try:
        points = Decimal(points).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError) as exc:
        raise _invalid("points", gettext("分值须是数字。")) from exc
    if not ZERO < points <= MAX_POINTS:
        raise _invalid(
            "points", gettext("分值须大于 0，且不超过 %(MAX_POINTS)s 分。") % {"MAX_POINTS": MAX_POINTS}
        )
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        options = [c.strip() for c in choices if c.strip()]
        if not 2 <= len(options) <= MAX_CHOICES:
            raise _invalid(
                "choices", gettext("选择题须有 2 至 %(MAX_CHOICES)s 个选项。") % {"MAX_CHOICES": MAX_CHOICES}
            )
        right = sorted(set(correct))
        if not right or any(not 0 <= i < len(options) for i in right):
            raise _invalid("correct", gettext("请从选项中选出正确答案。"))
        if kind == QuestionKind.SINGLE and len(right) != 1:
            raise _invalid("correct", gettext("单选题只能有一个正确答案。"))
        return prompt, points, options, right
    if kind == QuestionKind.FILL:
        answers = list(dict.fromkeys(a.strip() for a in accepted if a.strip()))
        if not answers:
            raise _invalid("accepted", gettext("填空题至少要有一个标准答案。"))
        return prompt, points, [], answers
    return prompt, points, [], []


def add_question(
    *,
    actor: Actor,
    exercise_set: ExerciseSet,
    kind: str,
    prompt: str,
    points: Decimal,
    choices: Sequence[str] = (),
    correct: Sequence[int] = (),
    accepted: Sequence[str] = (),
    ignore_case: bool = False,
) -> Question:
    """Append a question to a draft. `correct` are option indexes (choice); `accepted` a fill-in's answers."""
    require(owns_set(actor, exercise_set), AUTHOR_MESSAGE)
    prompt, points, options, right = _clean_question(
        kind=kind, prompt=prompt, points=points, choices=choices, correct=correct, accepted=accepted
    )
    with transaction.atomic():
        locked = _lock_set(exercise_set, actor)
        _require_draft(locked)
        last = locked.questions.order_by("-order").values_list("order", flat=True).first() or 0
        question = Question.objects.create(
            school_id=locked.school_id,
            exercise_set=locked,
            order=last + 1,
            kind=kind,
            prompt=prompt,
            choices=options,
            correct=right,
            ignore_case=ignore_case and kind == QuestionKind.FILL,
            points=points,
        )
        record(
            actor,
            change_for(
                "practice.question.add", question, school_id=locked.school_id, after=snapshot(question)
            ),
        )
    return question


def update_question(
    *,
    actor: Actor,
    question: Question,
    kind: str,
    prompt: str,
    points: Decimal,
    choices: Sequence[str] = (),
    correct: Sequence[int] = (),
    accepted: Sequence[str] = (),
    ignore_case: bool = False,
) -> Question:
    exercise_set = question.exercise_set
    require(owns_set(actor, exercise_set), AUTHOR_MESSAGE)
    prompt, points, options, right = _clean_question(
        kind=kind, prompt=prompt, points=points, choices=choices, correct=correct, accepted=accepted
    )
    with transaction.atomic():
        locked_set = _lock_set(exercise_set, actor)
        _require_draft(locked_set)
        locked = Question.objects.select_for_update().get(pk=question.pk)
        before = snapshot(locked)
        locked.kind, locked.prompt, locked.points = kind, prompt, points
        locked.choices, locked.correct = options, right
        locked.ignore_case = ignore_case and kind == QuestionKind.FILL
        locked.save(update_fields=["kind", "prompt", "points", "choices", "correct", "ignore_case"])
        record(
            actor,
            change_for(
                "practice.question.update",
                locked,
                school_id=locked.school_id,
                before=before,
                after=snapshot(locked),
            ),
        )
    return locked


def delete_question(*, actor: Actor, question: Question) -> None:
    """Remove a draft's question; those after it move up a number."""
    exercise_set = question.exercise_set
    require(owns_set(actor, exercise_set), AUTHOR_MESSAGE)
    with transaction.atomic():
        locked_set = _lock_set(exercise_set, actor)
        _require_draft(locked_set)
        before = snapshot(question)
        record(
            actor,
            change_for("practice.question.delete", question, school_id=question.school_id, before=before),
        )
        Question.objects.filter(pk=question.pk).delete()
        rest = list(Question.objects.filter(exercise_set=locked_set).order_by("order"))
        # Orders are unique per set: move the rows out of the way, then into 1..n.
        offset = len(rest) + max((q.order for q in rest), default=0) + 1
        for i, q in enumerate(rest):
            q.order = offset + i
        Question.objects.bulk_update(rest, ["order"])
        for i, q in enumerate(rest, start=1):
            q.order = i
        Question.objects.bulk_update(rest, ["order"])


# --- answering ---------------------------------------------------------------------------------


def _answering_student(actor: Actor, exercise_set: ExerciseSet) -> Student:
    student = (
        Student.objects.select_related("school_class").filter(pk=actor.own_student_id).first()
        if actor.own_student_id is not None
        else None
    )
    if student is None or not can_answer(actor, exercise_set, student, set_class_ids(exercise_set)):
        raise NotAllowed(ANSWER_MESSAGE)
    return student


def _open_submission(exercise_set: ExerciseSet, student: Student) -> Submission:
    """The student's submission row, created on first use and locked, refused once submitted.
    The unique (set, student) constraint makes two tabs share one row; the lock orders them."""
    submission, _created = Submission.objects.get_or_create(
        exercise_set=exercise_set, student=student, defaults={"school_id": exercise_set.school_id}
    )
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.submitted_at is not None:
        raise Conflict(gettext("你已经提交了这份练习，不能再修改答案。"))
    return locked


def _clean_answer(question: Question, given: AnswerInput) -> AnswerInput:
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        chosen = tuple(sorted(set(given.chosen)))
        if any(not 0 <= i < len(question.choices) for i in chosen):
            raise _invalid(f"q{question.pk}", gettext("所选的选项不存在。"))
        if question.kind == QuestionKind.SINGLE and len(chosen) > 1:
            raise _invalid(f"q{question.pk}", gettext("单选题只能选一个选项。"))
        return AnswerInput(chosen=chosen)
    text = given.text.strip()
    if len(text) > 5000:
        raise _invalid(f"q{question.pk}", gettext("答案不能超过 5000 个字。"))
    return AnswerInput(text=text)


def _upsert(submission: Submission, question: Question, given: AnswerInput) -> Answer:
    clean = _clean_answer(question, given)
    answer, _created = Answer.objects.update_or_create(
        submission=submission,
        question=question,
        defaults={"school_id": submission.school_id, "chosen": list(clean.chosen), "text": clean.text},
    )
    return answer


def save_answer(*, actor: Actor, exercise_set: ExerciseSet, question: Question, given: AnswerInput) -> Answer:
    """Save one answer as the student goes: the same answer saved twice leaves one row.
    Not audited: a student saves on every change, and the submit (which is audited) records
    the answers as they were handed in."""
    if question.exercise_set_id != exercise_set.pk:
        raise Invalid(gettext("这道题不属于这份练习。"))
    student = _answering_student(actor, exercise_set)
    with transaction.atomic():
        submission = _open_submission(exercise_set, student)
        return _upsert(submission, question, given)


def _retotal(submission: Submission) -> None:
    """The submission's total and how many open answers still wait for the teacher."""
    totals = Answer.objects.filter(submission=submission).aggregate(
        total=Sum("score"), waiting=Count("pk", filter=Q(score__isnull=True))
    )
    submission.score = (totals["total"] or ZERO).quantize(ZERO)
    submission.ungraded = totals["waiting"]
    submission.save(update_fields=["score", "ungraded"])


def submit(
    *,
    actor: Actor,
    exercise_set: ExerciseSet,
    answers: Mapping[int, AnswerInput] | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Hand in the work. `answers` (question id → answer), when given, are saved first, so a submit
    from a page whose autosaves were lost still carries everything on screen. A second submit of
    the same work (another tab) is refused with a Conflict."""
    student = _answering_student(actor, exercise_set)
    moment = now or timezone.now()
    questions = list(Question.objects.filter(exercise_set=exercise_set).order_by("order"))
    by_id = {q.pk: q for q in questions}
    if answers and any(qid not in by_id for qid in answers):
        raise Invalid(gettext("答案中有不属于这份练习的题目。"))
    with transaction.atomic():
        submission = _open_submission(exercise_set, student)
        for qid, given in (answers or {}).items():
            _upsert(submission, by_id[qid], given)
        saved = {a.question_id: a for a in Answer.objects.filter(submission=submission)}
        for question in questions:
            answer = saved.get(question.pk)
            if answer is None:
                # An unanswered question scores 0; a row makes it show in the teacher's view.
                answer = Answer(school_id=submission.school_id, submission=submission, question=question)
            answer.score = auto_score(question, answer)
            answer.save()
        submission.submitted_at = moment
        submission.is_late = exercise_set.is_past_deadline(moment)
        submission.save(update_fields=["submitted_at", "is_late"])
        _retotal(submission)
        after = snapshot(submission) | {
            "answers": {
                str(a.question_id): [a.chosen, a.text] for a in submission.answers.order_by("question_id")
            }
        }
        record(actor, change_for("practice.submit", submission, school_id=submission.school_id, after=after))
    return submission


# --- grading -----------------------------------------------------------------------------------


def grade_answer(*, actor: Actor, answer: Answer, score: Decimal, comment: str = "") -> Answer:
    """The author grades an open answer (again, if need be): 0 ≤ score ≤ the question's points."""
    question = answer.question
    exercise_set = question.exercise_set
    require(owns_set(actor, exercise_set), AUTHOR_MESSAGE)
    if question.kind != QuestionKind.OPEN:
        raise Invalid(gettext("客观题已自动评分，不需要批改。"))
    try:
        score = Decimal(score).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError) as exc:
        raise _invalid("score", gettext("得分须是数字。")) from exc
    if not ZERO <= score <= question.points:
        raise _invalid("score", gettext("得分须在 0 至 %(points)s 分之间。") % {"points": question.points})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise _invalid("comment", gettext("评语不能超过 500 个字。"))
    grader = (
        Staff.objects.filter(school_id=exercise_set.school_id, user=actor.user).first()
        if actor.user
        else None
    )
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=answer.submission_id)
        if submission.submitted_at is None:
            raise Conflict(gettext("学生还没有提交，不能批改。"))
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        before = snapshot(locked, ["score", "comment"])
        locked.score, locked.comment = score, comment
        locked.graded_by, locked.graded_at = grader, timezone.now()
        locked.save(update_fields=["score", "comment", "graded_by", "graded_at"])
        _retotal(submission)
        record(
            actor,
            change_for(
                "practice.grade",
                locked,
                school_id=locked.school_id,
                before=before,
                after=snapshot(locked, ["score", "comment"]),
            ),
        )
    return locked
