import pytest

from chuangyou.lib.errors import Conflict
from chuangyou.org.rules import actor_for
from chuangyou.practice import services
from chuangyou.practice.models import Answer, Submission
from chuangyou.practice.services import AnswerInput
from chuangyou.practice.tests.helpers import make_set, questions
from chuangyou.testing import build_world, race


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_double_submit_from_two_tabs_makes_one_submission() -> None:
    world = build_world()
    exercise_set = make_set(world)
    single = questions(exercise_set)[0]

    def submit(i: int) -> None:
        # Each tab has its own session, so its own actor; the first answer differs by tab.
        services.submit(
            actor=actor_for(world.xiao), exercise_set=exercise_set,
            answers={single.pk: AnswerInput(chosen=(1,) if i == 0 else (0,))},
        )  # fmt: skip

    errors = race(4, submit)
    assert [type(e) for e in errors] == [Conflict] * 3
    submission = Submission.objects.get()
    assert submission.submitted_at is not None
    assert Answer.objects.filter(submission=submission).count() == 4
    # Whichever tab won, the stored score matches the stored answer.
    chosen = Answer.objects.get(question=single).chosen
    assert submission.score == (2 if chosen == [1] else 0)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_first_saves_racing_make_one_submission_and_one_answer_per_question() -> None:
    world = build_world()
    exercise_set = make_set(world)
    fill = questions(exercise_set)[2]

    def save(i: int) -> None:
        services.save_answer(
            actor=actor_for(world.xiao),
            exercise_set=exercise_set,
            question=fill,
            given=AnswerInput(text=f"{i}"),
        )

    assert race(4, save) == []
    assert Submission.objects.count() == 1
    assert Answer.objects.count() == 1
