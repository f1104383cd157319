import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.org.rules import actor_for
from chuangyou.practice import services
from chuangyou.practice.models import Answer, Question, SetStatus, Submission
from chuangyou.practice.services import AnswerInput, fold
from chuangyou.practice.tests.helpers import make_set, questions, this_monday
from chuangyou.testing import World


def test_fold_makes_full_width_half_width_and_trims() -> None:
    assert fold("　ｘ＝２ ", ignore_case=False) == "x=2"
    assert fold(" ＡＢＣ", ignore_case=True) == "abc"
    assert fold("ABC", ignore_case=False) == "ABC"


def test_a_draft_is_edited_and_publishing_freezes_the_questions(world: World) -> None:
    exercise_set = make_set(world, publish=False)
    tian = actor_for(world.tian)
    single = questions(exercise_set)[0]
    services.update_question(
        actor=tian, question=single, kind="single", prompt="2+2=?", points=Decimal(2), choices=["3", "4"],
        correct=[1],
    )  # fmt: skip
    services.delete_question(actor=tian, question=questions(exercise_set)[1])
    assert [(q.order, q.kind) for q in questions(exercise_set)] == [(1, "single"), (2, "fill"), (3, "open")]
    published = services.publish_set(actor=tian, exercise_set=exercise_set)
    assert published.status == SetStatus.PUBLISHED
    with pytest.raises(Conflict, match="练习已发布，题目不能再修改"):
        services.update_question(
            actor=tian, question=questions(exercise_set)[0], kind="single", prompt="改", points=Decimal(1),
            choices=["a", "b"], correct=[0],
        )  # fmt: skip
    with pytest.raises(Conflict):
        services.add_question(
            actor=tian, exercise_set=exercise_set, kind="open", prompt="再来", points=Decimal(1)
        )
    with pytest.raises(Conflict, match="这份练习已经发布了"):
        services.publish_set(actor=tian, exercise_set=exercise_set)
    assert Question.objects.get(pk=single.pk).prompt == "2+2=?"
    actions = AuditEntry.objects.filter(action__startswith="practice.").order_by("seq")
    assert list(actions.values_list("action", flat=True)) == [
        "practice.set.create", *["practice.question.add"] * 4, "practice.question.update",
        "practice.question.delete", "practice.set.publish",
    ]  # fmt: skip


def test_question_checks(world: World) -> None:
    exercise_set = make_set(world, publish=False)
    tian = actor_for(world.tian)
    cases = [
        ({"kind": "single", "choices": ["a"], "correct": [0]}, "选择题须有 2 至 8 个选项。"),
        ({"kind": "single", "choices": ["a", "b"], "correct": [0, 1]}, "单选题只能有一个正确答案。"),
        ({"kind": "multiple", "choices": ["a", "b"], "correct": [5]}, "请从选项中选出正确答案。"),
        ({"kind": "fill", "accepted": ["  "]}, "填空题至少要有一个标准答案。"),
        ({"kind": "open", "points": Decimal(0)}, "分值须大于 0，且不超过 100 分。"),
    ]
    for extra, message in cases:
        args = {"prompt": "题", "points": Decimal(1)} | extra
        with pytest.raises(Invalid, match=message):
            services.add_question(actor=tian, exercise_set=exercise_set, **args)
    assert len(questions(exercise_set)) == 4


def test_set_checks(world: World) -> None:
    tian = actor_for(world.tian)
    tuesday = this_monday() + dt.timedelta(days=1)
    with pytest.raises(Invalid, match="请选择这一周的星期一。"):
        services.create_set(
            actor=tian, school=world.school, title="t", subject="数学", week=tuesday,
            deadline=timezone.now() + dt.timedelta(days=2), classes=[world.class_1],
        )  # fmt: skip
    with pytest.raises(Invalid, match="请至少选择一个班级。"):
        services.create_set(
            actor=tian, school=world.school, title="t", subject="数学", week=this_monday(),
            deadline=timezone.now() + dt.timedelta(days=2), classes=[],
        )  # fmt: skip
    with pytest.raises(NotAllowed, match="只有本校教师可以布置每周一练。"):
        services.create_set(
            actor=actor_for(world.oscar), school=world.school, title="t", subject="数学", week=this_monday(),
            deadline=timezone.now() + dt.timedelta(days=2), classes=[world.class_1],
        )  # fmt: skip
    empty = services.create_set(
        actor=tian, school=world.school, title="t", subject="数学", week=this_monday(),
        deadline=timezone.now() + dt.timedelta(days=2), classes=[world.class_1],
    )  # fmt: skip
    with pytest.raises(Invalid, match="请先添加题目，再发布。"):
        services.publish_set(actor=tian, exercise_set=empty)


def _answer_all(world: World, exercise_set, **kw):  # type: ignore[no-untyped-def]
    single, multiple, fill, open_q = questions(exercise_set)
    xiao = actor_for(world.xiao)
    services.save_answer(
        actor=xiao, exercise_set=exercise_set, question=single, given=AnswerInput(chosen=(1,))
    )
    services.save_answer(
        actor=xiao, exercise_set=exercise_set, question=multiple, given=AnswerInput(chosen=(0,))
    )
    # Saved again with the right options: the same row is updated.
    services.save_answer(
        actor=xiao, exercise_set=exercise_set, question=multiple, given=AnswerInput(chosen=(2, 0))
    )
    services.save_answer(
        actor=xiao, exercise_set=exercise_set, question=fill, given=AnswerInput(text=" Ｘ＝２ ")
    )
    services.save_answer(
        actor=xiao, exercise_set=exercise_set, question=open_q, given=AnswerInput(text="移项，再合并同类项。")
    )
    return services.submit(actor=xiao, exercise_set=exercise_set, **kw)


def test_submit_grades_objective_questions_and_the_teacher_grades_the_open_one(world: World) -> None:
    exercise_set = make_set(world)
    submission = _answer_all(world, exercise_set)
    assert Answer.objects.filter(submission=submission).count() == 4
    assert (submission.score, submission.ungraded, submission.is_late) == (Decimal("7.0"), 1, False)
    open_answer = Answer.objects.get(submission=submission, question__kind="open")
    assert open_answer.score is None
    tian = actor_for(world.tian)
    with pytest.raises(Invalid, match=r"得分须在 0 至 5\.0 分之间。"):
        services.grade_answer(actor=tian, answer=open_answer, score=Decimal(6))
    with pytest.raises(NotAllowed, match="只有布置这份练习的老师可以修改或批改它。"):
        services.grade_answer(actor=actor_for(world.hu), answer=open_answer, score=Decimal(4))
    services.grade_answer(actor=tian, answer=open_answer, score=Decimal("4.5"), comment="思路清楚")
    submission.refresh_from_db()
    assert (submission.score, submission.ungraded) == (Decimal("11.5"), 0)
    graded = Answer.objects.get(pk=open_answer.pk)
    assert (graded.comment, graded.graded_by.name) == ("思路清楚", "田师")  # type: ignore[union-attr]
    with pytest.raises(Invalid, match="客观题已自动评分"):
        services.grade_answer(actor=tian, answer=Answer.objects.get(pk=open_answer.pk - 1), score=Decimal(1))


def test_a_second_submit_and_later_saves_are_refused(world: World) -> None:
    exercise_set = make_set(world)
    _answer_all(world, exercise_set)
    xiao = actor_for(world.xiao)
    with pytest.raises(Conflict, match="你已经提交了这份练习，不能再修改答案。"):
        services.submit(actor=xiao, exercise_set=exercise_set)
    with pytest.raises(Conflict):
        services.save_answer(
            actor=xiao, exercise_set=exercise_set, question=questions(exercise_set)[0],
            given=AnswerInput(chosen=(0,)),
        )  # fmt: skip
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.filter(action="practice.submit").count() == 1


def test_late_work_is_accepted_and_marked_late(world: World) -> None:
    exercise_set = make_set(world, deadline=timezone.now() + dt.timedelta(hours=1))
    later = timezone.now() + dt.timedelta(hours=2)
    submission = services.submit(
        actor=actor_for(world.xiao), exercise_set=exercise_set, answers={}, now=later
    )
    assert (submission.is_late, submission.score, submission.ungraded) == (True, Decimal("0.0"), 0)
    # Every question has a row, scored 0: an empty open answer waits for nobody.
    assert sorted(Answer.objects.values_list("score", flat=True)) == [Decimal("0.0")] * 4


def test_submit_carries_the_answers_on_screen(world: World) -> None:
    exercise_set = make_set(world)
    single, _multiple, fill, _open = questions(exercise_set)
    submission = services.submit(
        actor=actor_for(world.xiao),
        exercise_set=exercise_set,
        answers={single.pk: AnswerInput(chosen=(0,)), fill.pk: AnswerInput(text="2")},
    )
    assert (submission.score, submission.ungraded) == (Decimal("2.0"), 0)


def test_only_students_of_the_classes_answer_a_published_set(world: World) -> None:
    draft = make_set(world, publish=False)
    with pytest.raises(NotAllowed, match="只有这份练习所布置班级的学生本人可以作答。"):
        services.save_answer(
            actor=actor_for(world.xiao), exercise_set=draft, question=questions(draft)[0],
            given=AnswerInput(chosen=(1,)),
        )  # fmt: skip
    published = make_set(world)
    for name in ("ming", "ma", "tian", "hu"):
        with pytest.raises(NotAllowed):
            services.submit(actor=actor_for(world.persona(name)), exercise_set=published)
    assert Submission.objects.count() == 0
