"""每周一练: sets, questions, answers, submission, grading and reports. Same services and checks as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.api.schemas.practice import (
    AnswerIn,
    AnswerOut,
    GradeIn,
    GradingAnswerOut,
    PracticeClassRecordOut,
    PracticeResultOut,
    QuestionIn,
    QuestionOut,
    ReportRowOut,
    SetDetailOut,
    SetIn,
    SetOut,
    SetPatch,
    StudentSetOut,
    SubmissionOut,
    SubmitIn,
    TallyOut,
)
from chuangyou.lib.errors import Invalid, NotFound
from chuangyou.org.models import School, SchoolClass, Student
from chuangyou.org.rules import Actor, can_read_school, require
from chuangyou.practice import selectors, services
from chuangyou.practice.models import Answer, ExerciseSet, Question, QuestionKind, Submission
from chuangyou.practice.rules import can_see_results_of, is_teacher_in, owns_set

router = Router(tags=["每周一练"])

SETS = "/{code}/practice/sets"
SET = SETS + "/{set_id}"


# --- lookups -----------------------------------------------------------------------------------


def _set(request: HttpRequest, code: str, set_id: int) -> tuple[ExerciseSet, Actor]:
    actor = actor_of(request)
    return selectors.set_for(actor, school_or_404(code), set_id), actor


def _question(exercise_set: ExerciseSet, question_id: int) -> Question:
    question = (
        Question.objects.select_related("exercise_set__author", "exercise_set__school")
        .filter(pk=question_id, exercise_set=exercise_set)
        .first()
    )
    if question is None:
        raise NotFound(gettext("这份练习没有这道题。"))
    return question


def _classes(school: School, ids: list[int]) -> list[SchoolClass]:
    found = list(SchoolClass.objects.filter(school=school, pk__in=ids))
    if len(found) != len(set(ids)):
        raise Invalid(gettext("只能布置给本校的班级。"), {"class_ids": [gettext("只能布置给本校的班级。")]})
    return found


def _detail(actor: Actor, exercise_set: ExerciseSet) -> ExerciseSet:
    """The set with its questions; the answer key for staff, or for students once the deadline passed."""
    show_key = is_teacher_in(actor, exercise_set.school) or owns_set(actor, exercise_set)
    show_key = show_key or exercise_set.is_past_deadline(timezone.now())
    fresh = selectors.set_for(actor, exercise_set.school, exercise_set.pk)
    fresh.question_rows = [  # type: ignore[attr-defined]
        {
            "id": q.pk,
            "order": q.order,
            "kind": q.kind,
            "prompt": q.prompt,
            "choices": q.choices,
            "points": q.points,
            "ignore_case": q.ignore_case,
            "correct": q.correct if show_key and q.is_objective else None,
        }
        for q in selectors.questions_of(exercise_set)
    ]
    return fresh


# --- sets ----------------------------------------------------------------------------------------


@router.get(SETS, response=list[SetOut], summary="练习列表（教师、班主任与学校办公室）")
@paginate(Pages, page_size=20)
def list_sets(
    request: HttpRequest,
    code: str,
    week: dt.date | None = None,
    subject: str = "",
    class_id: int | None = None,
    mine: bool = False,
) -> Any:
    school, actor = school_or_404(code), actor_of(request)
    require(
        is_teacher_in(actor, school) or can_read_school(actor, school),
        gettext("只有本校教职工可以查看练习列表。"),
    )
    return selectors.staff_set_list(
        actor, school, week=week, subject=subject, class_id=class_id, mine_only=mine
    )


@router.post(SETS, response={201: SetDetailOut}, summary="新建练习（草稿）")
def create_set(request: HttpRequest, code: str, payload: SetIn) -> Status[ExerciseSet]:
    school, actor = school_or_404(code), actor_of(request)
    exercise_set = services.create_set(
        actor=actor,
        school=school,
        title=payload.title,
        subject=payload.subject,
        week=payload.week,
        deadline=payload.deadline,
        classes=_classes(school, payload.class_ids),
    )
    return Status(201, _detail(actor, exercise_set))


@router.get(SET, response=SetDetailOut, summary="练习详情与题目")
def get_set(request: HttpRequest, code: str, set_id: int) -> ExerciseSet:
    exercise_set, actor = _set(request, code, set_id)
    return _detail(actor, exercise_set)


@router.patch(SET, response=SetDetailOut, summary="修改练习（仅草稿）")
def update_set(request: HttpRequest, code: str, set_id: int, payload: SetPatch) -> ExerciseSet:
    exercise_set, actor = _set(request, code, set_id)
    # Who may comes first: a student who can read the set learns nothing from which class ids exist.
    require(owns_set(actor, exercise_set), services.AUTHOR_MESSAGE)
    current: dict[str, Any] = {
        "title": exercise_set.title,
        "subject": exercise_set.subject,
        "week": exercise_set.week,
        "deadline": exercise_set.deadline,
        "class_ids": [c.pk for c in selectors.classes_of(exercise_set)],
    }
    data = current | payload.dict(exclude_unset=True)
    services.update_set(
        actor=actor,
        exercise_set=exercise_set,
        title=data["title"],
        subject=data["subject"],
        week=data["week"],
        deadline=data["deadline"],
        classes=_classes(exercise_set.school, data["class_ids"]),
    )
    return _detail(actor, exercise_set)


@router.delete(SET, response={204: None}, summary="删除草稿")
def delete_set(request: HttpRequest, code: str, set_id: int) -> Status[None]:
    exercise_set, actor = _set(request, code, set_id)
    services.delete_set(actor=actor, exercise_set=exercise_set)
    return Status(204, None)


@router.post(SET + "/publish", response=SetDetailOut, summary="发布练习（题目随即冻结）")
def publish_set(request: HttpRequest, code: str, set_id: int) -> ExerciseSet:
    exercise_set, actor = _set(request, code, set_id)
    services.publish_set(actor=actor, exercise_set=exercise_set)
    return _detail(actor, exercise_set)


# --- questions ---------------------------------------------------------------------------------


@router.post(SET + "/questions", response={201: QuestionOut}, summary="添加题目（仅草稿）")
def add_question(request: HttpRequest, code: str, set_id: int, payload: QuestionIn) -> Status[Question]:
    exercise_set, actor = _set(request, code, set_id)
    return Status(201, services.add_question(actor=actor, exercise_set=exercise_set, **payload.dict()))


@router.put(SET + "/questions/{question_id}", response=QuestionOut, summary="修改题目（仅草稿）")
def update_question(
    request: HttpRequest, code: str, set_id: int, question_id: int, payload: QuestionIn
) -> Question:
    exercise_set, actor = _set(request, code, set_id)
    question = _question(exercise_set, question_id)
    return services.update_question(actor=actor, question=question, **payload.dict())


@router.delete(SET + "/questions/{question_id}", response={204: None}, summary="删除题目（仅草稿）")
def delete_question(request: HttpRequest, code: str, set_id: int, question_id: int) -> Status[None]:
    exercise_set, actor = _set(request, code, set_id)
    services.delete_question(actor=actor, question=_question(exercise_set, question_id))
    return Status(204, None)


# --- answering -----------------------------------------------------------------------------------


def _own_student(actor: Actor) -> Student:
    student = Student.objects.filter(pk=actor.own_student_id).first() if actor.own_student_id else None
    require(student is not None, services.ANSWER_MESSAGE)
    assert student is not None
    return student


@router.get(SET + "/answers", response=list[AnswerOut], summary="我已保存的答案")
def my_answers(request: HttpRequest, code: str, set_id: int) -> list[Answer]:
    exercise_set, actor = _set(request, code, set_id)
    submission = selectors.submission_of(exercise_set, _own_student(actor))
    return list(selectors.answers_by_question(submission).values())


@router.put(SET + "/answers/{question_id}", response=AnswerOut, summary="保存一道题的答案（可重复保存）")
def save_answer(request: HttpRequest, code: str, set_id: int, question_id: int, payload: AnswerIn) -> Answer:
    exercise_set, actor = _set(request, code, set_id)
    return services.save_answer(
        actor=actor,
        exercise_set=exercise_set,
        question=_question(exercise_set, question_id),
        given=services.AnswerInput(chosen=tuple(payload.chosen), text=payload.text),
    )


@router.post(
    SET + "/submit", response={201: SubmissionOut}, summary="提交（客观题自动评分；重复提交返回 409）"
)
def submit(request: HttpRequest, code: str, set_id: int, payload: SubmitIn) -> Status[Submission]:
    exercise_set, actor = _set(request, code, set_id)
    answers = (
        {a.question_id: services.AnswerInput(chosen=tuple(a.chosen), text=a.text) for a in payload.answers}
        if payload.answers is not None
        else None
    )
    return Status(201, services.submit(actor=actor, exercise_set=exercise_set, answers=answers))


@router.get(SET + "/students/{student_id}", response=PracticeResultOut, summary="一名学生的作答与得分")
def student_result(request: HttpRequest, code: str, set_id: int, student_id: int) -> dict[str, Any]:
    exercise_set, actor = _set(request, code, set_id)
    student = Student.objects.filter(pk=student_id, school=exercise_set.school).first()
    if student is None:
        raise NotFound(gettext("没有这名学生。"))
    require(can_see_results_of(actor, exercise_set, student), selectors.READ_MESSAGE)
    submission = selectors.submission_of(exercise_set, student)
    answers = selectors.answers_by_question(submission)
    return {"submission": submission, "answers": [answers[k] for k in sorted(answers)]}


# --- reports and grading -------------------------------------------------------------------------


def _followed(actor: Actor, exercise_set: ExerciseSet, class_id: int | None) -> list[SchoolClass]:
    classes = selectors.followed_classes(actor, exercise_set)
    require(bool(classes), selectors.READ_MESSAGE)
    return [c for c in classes if c.pk == class_id] or classes


@router.get(SET + "/tallies", response=list[TallyOut], summary="各班按时、迟交、未交人数")
def tallies(request: HttpRequest, code: str, set_id: int) -> list[selectors.ClassTally]:
    exercise_set, actor = _set(request, code, set_id)
    return selectors.class_tallies(exercise_set, _followed(actor, exercise_set, None))


@router.get(SET + "/report", response=list[ReportRowOut], summary="每名学生的完成情况与得分")
@paginate(Pages, page_size=50)
def report(
    request: HttpRequest,
    code: str,
    set_id: int,
    class_id: int | None = None,
    status: selectors.Completion | None = None,
) -> Any:
    exercise_set, actor = _set(request, code, set_id)
    return selectors.report_rows(exercise_set, _followed(actor, exercise_set, class_id), completion=status)


@router.get(
    SET + "/questions/{question_id}/grading", response=list[GradingAnswerOut], summary="主观题批改队列"
)
@paginate(Pages, page_size=50)
def grading_queue(
    request: HttpRequest, code: str, set_id: int, question_id: int, waiting_only: bool = True
) -> Any:
    exercise_set, actor = _set(request, code, set_id)
    require(owns_set(actor, exercise_set), services.AUTHOR_MESSAGE)
    question = _question(exercise_set, question_id)
    if question.kind != QuestionKind.OPEN:
        raise Invalid(gettext("只有主观题需要批改。"))
    return selectors.grading_queue(question, waiting_only=waiting_only)


@router.post(SET + "/answers/{answer_id}/grade", response=AnswerOut, summary="批改一道主观题")
def grade(request: HttpRequest, code: str, set_id: int, answer_id: int, payload: GradeIn) -> Answer:
    exercise_set, actor = _set(request, code, set_id)
    answer = (
        Answer.objects.select_related("question__exercise_set__author", "question__exercise_set__school")
        .filter(pk=answer_id, question__exercise_set=exercise_set)
        .first()
    )
    if answer is None:
        raise NotFound(gettext("这份练习没有这个答案。"))
    return services.grade_answer(actor=actor, answer=answer, score=payload.score, comment=payload.comment)


@router.get(
    "/{code}/practice/classes/{class_id}/record",
    response=PracticeClassRecordOut,
    summary="班级各周按时完成率",
)
def class_record(
    request: HttpRequest, code: str, class_id: int, since: dt.date | None = None, until: dt.date | None = None
) -> dict[str, Any]:
    school, actor = school_or_404(code), actor_of(request)
    school_class = (
        SchoolClass.objects.select_related("grade", "school").filter(pk=class_id, school=school).first()
    )
    if school_class is None:
        raise NotFound(gettext("没有这个班级。"))
    require(
        selectors.classes_for_record(actor, school).filter(pk=class_id).exists(),
        gettext("只有本班班主任、布置练习的老师和学校办公室可以查看这个班的每周一练记录。"),
    )
    record = selectors.class_record(actor, school_class, since=since, until=until)
    return {
        "class_id": school_class.pk,
        "class_name": str(school_class),
        "weeks": record.weeks,
        "total": record.total,
    }


@router.get(
    "/{code}/practice/students/{student_id}/sets", response=list[StudentSetOut], summary="学生的练习与结果"
)
@paginate(Pages, page_size=20)
def student_sets(request: HttpRequest, code: str, student_id: int) -> Any:
    school, actor = school_or_404(code), actor_of(request)
    student = selectors.students_followed_by(actor, school).filter(pk=student_id).first()
    require(student is not None, gettext("只能查看自己或自己孩子的练习。"))
    assert student is not None
    return selectors.sets_for_student(student)
