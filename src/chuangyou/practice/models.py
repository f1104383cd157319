"""每周一练: a teacher's exercise set for a week, its questions, and each student's answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangyou.org.models import SchoolClass, SchoolOwned, Staff, Student


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class ExerciseSet(SchoolOwned):
    """One teacher's set for one week (its Monday) and subject, for some classes, due by a deadline."""

    author = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="exercise_sets")
    title = models.CharField(_("标题"), max_length=120)
    subject = models.CharField(_("学科"), max_length=30)
    week = models.DateField(_("周（周一）"))
    deadline = models.DateTimeField(_("截止时间"))
    status = models.CharField(_("状态"), max_length=10, choices=SetStatus.choices, default=SetStatus.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    classes: models.ManyToManyField[SchoolClass, SetClass] = models.ManyToManyField(
        SchoolClass, through="SetClass", related_name="exercise_sets"
    )

    class Meta:
        verbose_name = _("每周一练")
        verbose_name_plural = _("每周一练")
        ordering = ["school", "-week", "subject", "pk"]
        constraints = [
            models.CheckConstraint(
                name="exercise_set_published_has_time",
                condition=Q(status="draft") | Q(published_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["school", "week"], name="exercise_set_school_week")]

    def __str__(self) -> str:
        return f"{self.week:%Y-%m-%d} {self.subject} · {self.title}"

    @property
    def is_published(self) -> bool:
        return self.status == SetStatus.PUBLISHED

    def is_past_deadline(self, now: dt.datetime) -> bool:
        return now > self.deadline


class SetClass(SchoolOwned):
    """A class the set is given to."""

    exercise_set = models.ForeignKey(ExerciseSet, on_delete=models.CASCADE, related_name="set_classes")
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("布置班级")
        constraints = [
            models.UniqueConstraint(fields=["exercise_set", "school_class"], name="set_class_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_set_id} → {self.school_class_id}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    FILL = "fill", _("填空题")
    OPEN = "open", _("主观题")


OBJECTIVE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.FILL)


def letter(index: int) -> str:
    return chr(ord("A") + index)


class Question(SchoolOwned):
    """One question. `choices` are the options of a choice question; `correct` holds the indexes of
    the right options, or a fill-in's accepted answers; an open question has neither."""

    exercise_set = models.ForeignKey(ExerciseSet, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("题号"))
    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices)
    prompt = models.TextField(_("题目"))
    choices = models.JSONField(_("选项"), default=list, blank=True)
    correct = models.JSONField(_("答案"), default=list, blank=True)
    ignore_case = models.BooleanField(_("不区分大小写"), default=False)
    points = models.DecimalField(_("分值"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["exercise_set", "order"]
        constraints = [
            models.UniqueConstraint(fields=["exercise_set", "order"], name="question_unique_order"),
            models.CheckConstraint(name="question_points_positive", condition=Q(points__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.prompt[:40]}"

    @property
    def is_objective(self) -> bool:
        return self.kind in OBJECTIVE_KINDS

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)

    def lettered_choices(self) -> list[tuple[int, str, str]]:
        """(index, letter, text) of each option: A, B, C…"""
        return [(i, letter(i), text) for i, text in enumerate(self.choices)]

    def answer_key(self) -> str:
        """The right answer as a teacher writes it: "AC", or the accepted fill-ins joined by " / "."""
        if self.is_choice:
            return "".join(letter(i) for i in sorted(self.correct))
        return " / ".join(self.correct)


class Submission(SchoolOwned):
    """A student's work on a set: started by the first saved answer, closed by the submit.
    One per student and set, so a second tab's submit finds the first and is refused."""

    exercise_set = models.ForeignKey(ExerciseSet, on_delete=models.PROTECT, related_name="submissions")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="practice_submissions")
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    is_late = models.BooleanField(_("迟交"), default=False)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=1, null=True, blank=True)
    ungraded = models.PositiveSmallIntegerField(_("待批改题数"), default=0)

    class Meta:
        verbose_name = _("作答")
        verbose_name_plural = _("作答")
        constraints = [
            models.UniqueConstraint(fields=["exercise_set", "student"], name="submission_one_per_student"),
            models.CheckConstraint(
                name="submission_late_only_when_submitted",
                condition=Q(is_late=False) | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.student_id} · {self.exercise_set_id}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(SchoolOwned):
    """A student's answer to one question: indexes of chosen options, or text. `score` is set on
    submit for objective questions and by the teacher for open ones."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    chosen = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    saved_at = models.DateTimeField(auto_now=True)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    comment = models.CharField(_("评语"), max_length=500, blank=True)
    graded_by = models.ForeignKey(Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("答案")
        verbose_name_plural = _("答案")
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="answer_one_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} · {self.question_id}"

    @property
    def is_blank(self) -> bool:
        return not self.chosen and not self.text.strip()

    def chosen_letters(self) -> str:
        return "".join(letter(i) for i in sorted(self.chosen))


ZERO = Decimal("0.0")
