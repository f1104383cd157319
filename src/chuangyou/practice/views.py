"""每周一练 pages: the teacher's sets and questions, the student's answering page, grading, reports.

Reads go through `practice.selectors`; every write through `practice.services`, which checks rights.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.forms import show_service_error
from chuangyou.lib.errors import Conflict, NotAllowed, ServiceError
from chuangyou.org.models import School, SchoolClass, Student
from chuangyou.org.rules import Actor, can_read_school, require
from chuangyou.practice import export, selectors, services
from chuangyou.practice.forms import GradeForm, QuestionForm, SetForm
from chuangyou.practice.models import ZERO, Answer, ExerciseSet, Question, QuestionKind
from chuangyou.practice.rules import can_answer, can_see_results_of, is_teacher_in, owns_set
from chuangyou.web import actor_of, paginate, school_by_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _school(request: HttpRequest, code: str) -> tuple[School, Actor]:
    return school_by_code(code), actor_of(request)


def _set(request: HttpRequest, code: str, set_id: int) -> tuple[ExerciseSet, Actor]:
    school, actor = _school(request, code)
    return selectors.set_for(actor, school, set_id), actor


def _is_office_or_teacher(actor: Actor, school: School) -> bool:
    return is_teacher_in(actor, school) or can_read_school(actor, school)


def _back(exercise_set: ExerciseSet, view: str = "detail") -> HttpResponse:
    return redirect(f"practice:{view}", code=exercise_set.school.code, set_id=exercise_set.pk)


def _parse_week(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _parse_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- the home page: a teacher's sets, or a student's (a parent's child's) ---------------------


@login_required
def home(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    if _is_office_or_teacher(actor, school):
        return _staff_home(request, school, actor)
    followed = list(selectors.students_followed_by(actor, school))
    require(bool(followed), _("您没有权限查看本校的每周一练。"))
    chosen = next((s for s in followed if s.pk == _parse_int(request.GET.get("student"))), followed[0])
    page = paginate(request, selectors.sets_for_student(chosen), per_page=20)
    return render(
        request,
        "practice/mine.html",
        {
            "school": school,
            "students": followed,
            "student": chosen,
            "is_self": chosen.pk == actor.own_student_id,
            "page": page,
            "now": timezone.now(),
        },
    )


def _staff_home(request: HttpRequest, school: School, actor: Actor) -> HttpResponse:
    week = _parse_week(request.GET.get("week"))
    subject = (request.GET.get("subject") or "").strip()
    class_id = _parse_int(request.GET.get("class"))
    mine_only = request.GET.get("mine") == "1"
    rows = selectors.staff_set_list(
        actor, school, week=week, subject=subject, class_id=class_id, mine_only=mine_only
    )
    context = {
        "school": school,
        "page": paginate(request, rows, per_page=20),
        "can_create": is_teacher_in(actor, school),
        "subjects": selectors.subjects_of(actor, school),
        "record_classes": selectors.classes_for_record(actor, school),
        "filters": {"week": week, "subject": subject, "class_id": class_id, "mine": mine_only},
        "filtered": bool(week or subject or class_id or mine_only),
        "now": timezone.now(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "practice/list.html#rows", context)
    return render(request, "practice/list.html", context)


# --- sets ----------------------------------------------------------------------------------------


def _classes(school: School) -> Any:
    return SchoolClass.objects.filter(school=school).select_related("grade")


def _this_monday() -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


@login_required
def create(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    require(is_teacher_in(actor, school), services.TEACHER_MESSAGE)
    monday = _this_monday()
    sunday_night = dt.datetime.combine(monday + dt.timedelta(days=6), dt.time(21, 0))
    form = SetForm(
        request.POST or None, classes=_classes(school), initial={"week": monday, "deadline": sunday_night}
    )
    if request.method == "POST" and form.is_valid():
        try:
            exercise_set = services.create_set(actor=actor, school=school, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("练习已创建为草稿，请添加题目后发布。"))
            return _back(exercise_set)
    return render(request, "practice/set_form.html", {"school": school, "form": form})


@login_required
def detail(request: HttpRequest, code: str, set_id: int) -> HttpResponse:
    """The author's and followers' view of a set; students go to answer it, parents to the result."""
    exercise_set, actor = _set(request, code, set_id)
    if not owns_set(actor, exercise_set) and not _is_office_or_teacher(actor, exercise_set.school):
        if actor.own_student_id is not None:
            return _back(exercise_set, "answer")
        child = Student.objects.filter(
            pk__in=actor.child_student_ids, school_class__in=selectors.classes_of(exercise_set)
        ).first()
        require(child is not None, selectors.READ_MESSAGE)
        assert child is not None
        return redirect("practice:result", code=code, set_id=set_id, student_id=child.pk)
    is_author = owns_set(actor, exercise_set)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        require(is_author, services.AUTHOR_MESSAGE)
        if form.is_valid():
            try:
                services.add_question(actor=actor, exercise_set=exercise_set, **form.service_args())
            except ServiceError as exc:
                show_service_error(form, exc)
            else:
                messages.success(request, _("题目已添加。"))
                return _back(exercise_set)
    classes = selectors.followed_classes(actor, exercise_set)
    return render(
        request,
        "practice/detail.html",
        {
            "school": exercise_set.school,
            "set": exercise_set,
            "questions": selectors.questions_of(exercise_set),
            "is_author": is_author,
            "form": form,
            "tallies": selectors.class_tallies(exercise_set, classes) if exercise_set.is_published else [],
            "open_questions": selectors.open_questions(exercise_set) if is_author else [],
            "kinds": QuestionKind,
        },
    )


@login_required
def edit(request: HttpRequest, code: str, set_id: int) -> HttpResponse:
    exercise_set, actor = _set(request, code, set_id)
    require(owns_set(actor, exercise_set), services.AUTHOR_MESSAGE)
    initial = {
        "title": exercise_set.title,
        "subject": exercise_set.subject,
        "week": exercise_set.week,
        "deadline": timezone.localtime(exercise_set.deadline).replace(tzinfo=None),
        "classes": selectors.classes_of(exercise_set),
    }
    form = SetForm(request.POST or None, classes=_classes(exercise_set.school), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_set(actor=actor, exercise_set=exercise_set, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("练习已保存。"))
            return _back(exercise_set)
    return render(
        request, "practice/set_form.html", {"school": exercise_set.school, "form": form, "set": exercise_set}
    )


@login_required
@require_POST
def delete(request: HttpRequest, code: str, set_id: int) -> HttpResponse:
    exercise_set, actor = _set(request, code, set_id)
    try:
        services.delete_set(actor=actor, exercise_set=exercise_set)
    except Conflict as exc:
        messages.error(request, exc.message)
        return _back(exercise_set)
    messages.success(request, _("草稿已删除。"))
    return redirect("practice:home", code=code)


@login_required
@require_POST
def publish(request: HttpRequest, code: str, set_id: int) -> HttpResponse:
    exercise_set, actor = _set(request, code, set_id)
    try:
        services.publish_set(actor=actor, exercise_set=exercise_set)
    except NotAllowed:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("练习已发布，所选班级的学生现在可以作答。"))
    return _back(exercise_set)


def _question(exercise_set: ExerciseSet, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("exercise_set__author", "exercise_set__school"),
        pk=question_id,
        exercise_set=exercise_set,
    )


@login_required
def question_edit(request: HttpRequest, code: str, set_id: int, question_id: int) -> HttpResponse:
    exercise_set, actor = _set(request, code, set_id)
    require(owns_set(actor, exercise_set), services.AUTHOR_MESSAGE)
    question = _question(exercise_set, question_id)
    initial = {
        "kind": question.kind,
        "prompt": question.prompt,
        "points": question.points,
        "choices": "\n".join(question.choices),
        "correct": question.answer_key() if question.is_choice else "",
        "accepted": "\n".join(question.correct) if question.kind == QuestionKind.FILL else "",
        "ignore_case": question.ignore_case,
    }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(actor=actor, question=question, **form.service_args())
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("题目已保存。"))
            return _back(exercise_set)
    return render(
        request,
        "practice/question_form.html",
        {"school": exercise_set.school, "set": exercise_set, "question": question, "form": form},
    )


@login_required
@require_POST
def question_delete(request: HttpRequest, code: str, set_id: int, question_id: int) -> HttpResponse:
    exercise_set, actor = _set(request, code, set_id)
    try:
        services.delete_question(actor=actor, question=_question(exercise_set, question_id))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("题目已删除。"))
    return _back(exercise_set)


# --- answering -----------------------------------------------------------------------------------


def _own_student(actor: Actor) -> Student:
    student = (
        Student.objects.select_related("school_class").filter(pk=actor.own_student_id).first()
        if actor.own_student_id is not None
        else None
    )
    require(student is not None, services.ANSWER_MESSAGE)
    assert student is not None
    return student


def _given(question: Question, data: Any) -> services.AnswerInput:
    """One question's answer from a form: `q<id>` holds option indexes or the text."""
    key = f"q{question.pk}"
    if question.is_choice:
        values = data.getlist(key)
        return services.AnswerInput(chosen=tuple(int(v) for v in values if v.isdigit()))
    return services.AnswerInput(text=data.get(key, ""))


@login_required
def answer(request: HttpRequest, code: str, set_id: int) -> HttpResponse:
    """The student's answering page (it restores saved answers); its POST hands the work in."""
    exercise_set, actor = _set(request, code, set_id)
    student = _own_student(actor)
    questions = list(selectors.questions_of(exercise_set))
    if request.method == "POST":
        # The page posts every answer on screen, so answers whose autosave was lost still count.
        answers = {q.pk: _given(q, request.POST) for q in questions}
        try:
            submission = services.submit(actor=actor, exercise_set=exercise_set, answers=answers)
        except Conflict as exc:
            messages.info(request, exc.message)
        except NotAllowed:
            raise
        except ServiceError as exc:
            messages.error(request, exc.message)
            return _back(exercise_set, "answer")
        else:
            if submission.is_late:
                messages.warning(request, _("已提交。已过截止时间，记为迟交。"))
            else:
                messages.success(request, _("已按时提交。"))
        return redirect("practice:result", code=code, set_id=set_id, student_id=student.pk)
    started = selectors.submission_of(exercise_set, student)
    if started is not None and started.is_submitted:
        return redirect("practice:result", code=code, set_id=set_id, student_id=student.pk)
    class_ids = services.set_class_ids(exercise_set)
    require(can_answer(actor, exercise_set, student, class_ids), services.ANSWER_MESSAGE)
    saved = selectors.answers_by_question(started)
    return render(
        request,
        "practice/answer.html",
        {
            "school": exercise_set.school,
            "set": exercise_set,
            "rows": [(q, saved.get(q.pk)) for q in questions],
            "past_deadline": exercise_set.is_past_deadline(timezone.now()),
        },
    )


@login_required
@require_POST
def save(request: HttpRequest, code: str, set_id: int, question_id: int) -> HttpResponse:
    """htmx: save one answer; the reply is the little status beside the question."""
    exercise_set, actor = _set(request, code, set_id)
    question = _question(exercise_set, question_id)
    error = ""
    try:
        services.save_answer(
            actor=actor, exercise_set=exercise_set, question=question, given=_given(question, request.POST)
        )
    except NotAllowed:
        raise
    except ServiceError as exc:
        error = exc.message
    return render(
        request,
        "practice/answer.html#saved",
        {"q": question, "error": error, "saved_at": timezone.localtime()},
        status=409 if error and request.headers.get("HX-Request") is None else 200,
    )


@login_required
def result(request: HttpRequest, code: str, set_id: int, student_id: int) -> HttpResponse:
    """One student's answers and scores. The answer key shows to students and parents only after
    the deadline, so it cannot be passed on to classmates who have not handed in yet."""
    exercise_set, actor = _set(request, code, set_id)
    student = get_object_or_404(
        Student.objects.select_related("school_class__grade"), pk=student_id, school=exercise_set.school
    )
    require(can_see_results_of(actor, exercise_set, student), selectors.READ_MESSAGE)
    submission = selectors.submission_of(exercise_set, student)
    answers = selectors.answers_by_question(submission)
    questions = list(selectors.questions_of(exercise_set))
    staff_view = _is_office_or_teacher(actor, exercise_set.school)
    return render(
        request,
        "practice/result.html",
        {
            "school": exercise_set.school,
            "set": exercise_set,
            "student": student,
            "submission": submission,
            "rows": [(q, answers.get(q.pk)) for q in questions],
            "total_points": sum((q.points for q in questions), start=ZERO),
            "show_key": staff_view or exercise_set.is_past_deadline(timezone.now()),
            "staff_view": staff_view,
        },
    )


# --- reports -------------------------------------------------------------------------------------


def _report_scope(request: HttpRequest, exercise_set: ExerciseSet, actor: Actor) -> list[SchoolClass]:
    classes = selectors.followed_classes(actor, exercise_set)
    require(bool(classes), selectors.READ_MESSAGE)
    chosen = _parse_int(request.GET.get("class"))
    return [c for c in classes if c.pk == chosen] or classes


@login_required
def report(request: HttpRequest, code: str, set_id: int) -> HttpResponse:
    """Per class and per student: 按时 / 迟交 / 未交 and the score, filterable and paginated."""
    exercise_set, actor = _set(request, code, set_id)
    classes = _report_scope(request, exercise_set, actor)
    completion = selectors.completion_filter(request.GET.get("status"))
    rows = selectors.report_rows(exercise_set, classes, completion=completion)
    context = {
        "school": exercise_set.school,
        "set": exercise_set,
        "classes": selectors.followed_classes(actor, exercise_set),
        "chosen_class": _parse_int(request.GET.get("class")),
        "tallies": selectors.class_tallies(exercise_set, classes),
        "status": completion or "",
        "labels": selectors.COMPLETION_LABELS,
        "page": paginate(request, rows),
        "past_deadline": exercise_set.is_past_deadline(timezone.now()),
        "query": request.GET.urlencode(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "practice/report.html#rows", context)
    return render(request, "practice/report.html", context)


def _xlsx(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_xlsx(request: HttpRequest, code: str, set_id: int) -> HttpResponse:
    exercise_set, actor = _set(request, code, set_id)
    classes = _report_scope(request, exercise_set, actor)
    rows = selectors.report_rows(exercise_set, classes)
    body = export.set_report_workbook(exercise_set, selectors.class_tallies(exercise_set, classes), rows)
    return _xlsx(body, f"practice-{exercise_set.week:%Y%m%d}-{exercise_set.pk}.xlsx")


@login_required
def grading(request: HttpRequest, code: str, set_id: int) -> HttpResponse:
    """The author's grading queue, one open question at a time."""
    exercise_set, actor = _set(request, code, set_id)
    require(owns_set(actor, exercise_set), services.AUTHOR_MESSAGE)
    questions = list(selectors.open_questions(exercise_set))
    chosen = next((q for q in questions if q.pk == _parse_int(request.GET.get("question"))), None)
    waiting = next((q for q in questions if q.waiting), None)  # type: ignore[attr-defined]
    question = chosen or waiting or (questions[0] if questions else None)
    show_all = request.GET.get("all") == "1"
    page = (
        paginate(request, selectors.grading_queue(question, waiting_only=not show_all), per_page=20)
        if question is not None
        else None
    )
    return render(
        request,
        "practice/grading.html",
        {
            "school": exercise_set.school,
            "set": exercise_set,
            "questions": questions,
            "question": question,
            "page": page,
            "show_all": show_all,
        },
    )


@login_required
@require_POST
def grade(request: HttpRequest, code: str, set_id: int, answer_id: int) -> HttpResponse:
    """htmx: grade one answer; the reply is the answer's card, graded or with the error."""
    exercise_set, actor = _set(request, code, set_id)
    require(owns_set(actor, exercise_set), services.AUTHOR_MESSAGE)
    found = get_object_or_404(
        Answer.objects.select_related(
            "question__exercise_set__author", "question__exercise_set__school", "submission__student"
        ),
        pk=answer_id,
        question__exercise_set=exercise_set,
    )
    form = GradeForm(request.POST)
    if form.is_valid():
        try:
            services.grade_answer(actor=actor, answer=found, **form.cleaned_data)
        except NotAllowed:
            raise
        except ServiceError as exc:
            show_service_error(form, exc)
    graded = Answer.objects.select_related("submission__student__school_class__grade", "question").get(
        pk=found.pk
    )
    return render(
        request,
        "practice/grading.html#card",
        {"school": exercise_set.school, "set": exercise_set, "a": graded, "question": graded.question,
         "form": form if form.errors else None},
    )  # fmt: skip


def _record_class(request: HttpRequest, code: str, class_id: int) -> tuple[SchoolClass, Actor]:
    school, actor = _school(request, code)
    school_class = get_object_or_404(
        SchoolClass.objects.select_related("grade", "school"), pk=class_id, school=school
    )
    require(
        selectors.classes_for_record(actor, school).filter(pk=class_id).exists(),
        _("只有本班班主任、布置练习的老师和学校办公室可以查看这个班的每周一练记录。"),
    )
    return school_class, actor


@login_required
def class_record(request: HttpRequest, code: str, class_id: int) -> HttpResponse:
    """A class across weeks: the on-time rate per week, and each student's hand-ins and scores."""
    school_class, actor = _record_class(request, code, class_id)
    since, until = _parse_week(request.GET.get("since")), _parse_week(request.GET.get("until"))
    record = selectors.class_record(actor, school_class, since=since, until=until)
    return render(
        request,
        "practice/class_record.html",
        {
            "school": school_class.school,
            "record": record,
            "since": since,
            "until": until,
            "labels": selectors.COMPLETION_LABELS,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def class_record_xlsx(request: HttpRequest, code: str, class_id: int) -> HttpResponse:
    school_class, actor = _record_class(request, code, class_id)
    since, until = _parse_week(request.GET.get("since")), _parse_week(request.GET.get("until"))
    record = selectors.class_record(actor, school_class, since=since, until=until)
    return _xlsx(export.class_record_workbook(record), f"practice-class-{school_class.pk}.xlsx")
