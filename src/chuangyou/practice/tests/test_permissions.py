from decimal import Decimal

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import NotAllowed
from chuangyou.org.rules import actor_for
from chuangyou.practice import services
from chuangyou.practice.models import Answer, ExerciseSet, Question, Submission
from chuangyou.practice.services import AnswerInput
from chuangyou.practice.tests.helpers import make_set, questions
from chuangyou.testing import PERSONAS, World

# Every staff member holds a teacher seat (org.services.create_staff); oscar's is in the other school.
TEACHERS = {"alice", "bella", "wang", "su", "hu", "tian"}
# Who may open a published set for class_1: its author, class_1's 班主任, the office and bureau,
# the class's student and her parent.
READERS = {"tian", "hu", "alice", "bella", "wang", "su", "ju", "xiao", "ma"}
REPORT_READERS = {"tian", "hu", "alice", "bella", "wang", "su", "ju"}


def _state() -> tuple[object, ...]:
    return (
        list(ExerciseSet.objects.values_list("pk", "title", "status")),
        list(Question.objects.values_list("pk", "prompt")),
        list(Submission.objects.values_list("pk", "submitted_at", "score")),
        list(Answer.objects.values_list("pk", "chosen", "text", "score")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_creating_a_set_through_the_page(world: World, name: str) -> None:
    before = _state()
    response = world.client(name).post(
        "/school/yizhong/practice/new/",
        {"title": "周练", "subject": "语文", "week": "2026-03-02", "deadline": "2026-03-08T21:00",
         "classes": [world.class_1.pk]},
    )  # fmt: skip
    if name in TEACHERS:
        assert response.status_code == 302
        assert list(ExerciseSet.objects.values_list("title", "author__user__login")) == [
            ("周练", world.persona(name).login)
        ]
    else:
        assert response.status_code == 403
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_author_edits_and_publishes(world: World, name: str) -> None:
    draft = make_set(world, publish=False)
    before = _state()
    client = world.client(name)
    add = client.post(
        f"/school/yizhong/practice/{draft.pk}/", {"kind": "open", "prompt": "再想想", "points": "2"}
    )
    publish = client.post(f"/school/yizhong/practice/{draft.pk}/publish/")
    if name == "tian":
        assert (add.status_code, publish.status_code) == (302, 302)
        assert ExerciseSet.objects.get().status == "published"
        assert Question.objects.count() == 5
    else:
        # A draft is its author's alone: others are refused before learning anything about it.
        assert (add.status_code, publish.status_code) == (403, 403)
        assert _state() == before
        with pytest.raises(NotAllowed):
            services.publish_set(actor=actor_for(world.persona(name)), exercise_set=draft)


@pytest.mark.parametrize("name", PERSONAS)
def test_answering_through_the_page(world: World, name: str) -> None:
    exercise_set = make_set(world)
    single = questions(exercise_set)[0]
    before = _state()
    client = world.client(name)
    saved = client.post(
        f"/school/yizhong/practice/{exercise_set.pk}/answer/{single.pk}/",
        {f"q{single.pk}": "1"},
        headers={"HX-Request": "true"},
    )
    submitted = client.post(f"/school/yizhong/practice/{exercise_set.pk}/answer/", {f"q{single.pk}": "1"})
    if name == "xiao":
        assert saved.status_code == 200
        assert submitted.status_code == 302
        assert list(Submission.objects.values_list("student__name", "score", "ungraded")) == [
            ("肖同学", Decimal("2.0"), 0)
        ]
    else:
        assert (saved.status_code, submitted.status_code) == (403, 403)
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_grading_through_the_page(world: World, name: str) -> None:
    exercise_set = make_set(world)
    open_q = questions(exercise_set)[3]
    services.submit(
        actor=actor_for(world.xiao), exercise_set=exercise_set, answers={open_q.pk: AnswerInput(text="思路")}
    )
    answer = Answer.objects.get(question=open_q)
    before = _state()
    response = world.client(name).post(
        f"/school/yizhong/practice/{exercise_set.pk}/grading/{answer.pk}/",
        {"score": "3", "comment": "好"},
        headers={"HX-Request": "true"},
    )
    if name == "tian":
        assert response.status_code == 200
        assert Submission.objects.values_list("score", "ungraded").get() == (Decimal("3.0"), 0)
    else:
        assert response.status_code == 403
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_reading_a_published_set_and_its_report(world: World, name: str) -> None:
    exercise_set = make_set(world)
    services.submit(actor=actor_for(world.xiao), exercise_set=exercise_set, answers={})
    client = world.client(name)
    base = f"/school/yizhong/practice/{exercise_set.pk}/"
    detail = client.get(base)
    report = client.get(base + "report/")
    export = client.get(base + "report.xlsx")
    result = client.get(base + f"students/{world.student_xiao.pk}/")
    record = client.get(f"/school/yizhong/practice/classes/{world.class_1.pk}/")
    if name in READERS:
        assert detail.status_code in (200, 302)
        assert result.status_code == 200
    else:
        assert (detail.status_code, result.status_code) == (403, 403)
    if name in REPORT_READERS:
        assert (report.status_code, export.status_code, record.status_code) == (200, 200, 200)
        assert "肖同学" in report.content.decode()
    else:
        assert (report.status_code, export.status_code, record.status_code) == (403, 403, 403)


def test_a_student_is_sent_to_answer_and_a_parent_to_the_result(world: World) -> None:
    exercise_set = make_set(world)
    base = f"/school/yizhong/practice/{exercise_set.pk}/"
    assert world.client("xiao").get(base)["Location"] == base + "answer/"
    assert world.client("ma").get(base)["Location"] == base + f"students/{world.student_xiao.pk}/"
    # ming's class was not given the set; she may not see xiao's result either.
    assert world.client("ming").get(base).status_code == 403
