"""每周一练: the input and output schemas of `chuangyou.api.routers.practice`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from chuangyou.api.types import Digits, Moment, Omitted
from chuangyou.practice import selectors
from chuangyou.practice.models import ExerciseSet, QuestionKind


class SetOut(Schema):
    id: int
    title: str
    subject: str
    week: dt.date
    deadline: dt.datetime
    status: str
    published_at: dt.datetime | None
    author_name: str = Field(alias="author.name")
    class_ids: list[int]

    @staticmethod
    def resolve_class_ids(obj: ExerciseSet) -> list[int]:
        return [sc.school_class_id for sc in obj.set_classes.all()]


class QuestionOut(Schema):
    id: int
    order: int
    kind: QuestionKind
    prompt: str
    choices: list[str]
    points: Decimal
    ignore_case: bool
    # Option indexes or accepted fill-ins: only for staff, or after the deadline.
    correct: list[Any] | None


class SetDetailOut(SetOut):
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj: ExerciseSet) -> list[dict[str, Any]]:
        return obj.question_rows  # type: ignore[attr-defined]


class SetIn(Schema):
    title: str
    subject: str
    week: dt.date
    deadline: Moment
    class_ids: list[int]


class SetPatch(Schema):
    title: str = Omitted()
    subject: str = Omitted()
    week: dt.date = Omitted()
    deadline: Moment = Omitted()
    class_ids: list[int] = Omitted()


class QuestionIn(Schema):
    kind: QuestionKind
    prompt: str
    points: Annotated[Decimal, Digits(5, 1)]
    choices: list[str] = []
    correct: list[int] = Field(default=[], description="选择题的正确选项序号（从 0 开始）")
    accepted: list[str] = Field(default=[], description="填空题可接受的答案")
    ignore_case: bool = False


class AnswerIn(Schema):
    chosen: list[int] = Field(default=[], description="选择题所选选项序号（从 0 开始）")
    text: str = ""


class AnswerItemIn(AnswerIn):
    question_id: int


class SubmitIn(Schema):
    answers: list[AnswerItemIn] | None = None


class AnswerOut(Schema):
    id: int
    question_id: int
    chosen: list[int]
    text: str
    saved_at: dt.datetime
    score: Decimal | None
    comment: str


class SubmissionOut(Schema):
    id: int
    student_id: int
    submitted_at: dt.datetime | None
    is_late: bool
    score: Decimal | None
    ungraded: int


class PracticeResultOut(Schema):
    submission: SubmissionOut | None
    answers: list[AnswerOut]


class ReportRowOut(Schema):
    student_id: int = Field(alias="pk")
    student_no: str
    name: str
    class_id: int = Field(alias="school_class_id")
    completion: selectors.Completion
    submitted_at: dt.datetime | None
    score: Decimal | None
    ungraded: int | None


class TallyOut(Schema):
    class_id: int = Field(alias="school_class.pk")
    class_name: str
    students: int
    on_time: int
    late: int
    missing: int
    on_time_rate: Decimal | None

    @staticmethod
    def resolve_class_name(obj: selectors.ClassTally) -> str:
        return str(obj.school_class)


class GradingAnswerOut(AnswerOut):
    student_id: int = Field(alias="submission.student_id")
    student_name: str = Field(alias="submission.student.name")
    is_late: bool = Field(alias="submission.is_late")


class GradeIn(Schema):
    score: Annotated[Decimal, Digits(5, 1)]
    comment: str = ""


class WeekOut(Schema):
    week: dt.date
    sets: int
    expected: int
    on_time: int
    late: int
    missing: int
    on_time_rate: Decimal | None


class PracticeClassRecordOut(Schema):
    class_id: int
    class_name: str
    weeks: list[WeekOut]
    total: WeekOut


class StudentSetOut(Schema):
    id: int
    title: str
    subject: str
    week: dt.date
    deadline: dt.datetime
    submitted_at: dt.datetime | None = Field(alias="my_submitted_at")
    is_late: bool | None = Field(alias="my_late")
    score: Decimal | None = Field(alias="my_score")
    ungraded: int | None = Field(alias="my_ungraded")
    total_points: Decimal | None
