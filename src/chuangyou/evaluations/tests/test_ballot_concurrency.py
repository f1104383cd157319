"""One voter, one ballot: 100 concurrent submissions for the same voter store exactly one."""

import threading

import pytest
from django.db import connection

from chuangyou.evaluations import services
from chuangyou.evaluations.models import Ballot, Entitlement
from chuangyou.evaluations.tests.conftest import build_teacher_evaluation
from chuangyou.lib.errors import Conflict
from chuangyou.org.rules import Actor, actor_for
from chuangyou.testing import build_world

ATTEMPTS = 100


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("by", ["account", "code"])
def test_a_hundred_concurrent_submissions_store_one_ballot(by: str) -> None:
    world = build_world()
    evaluation = build_teacher_evaluation(world, codes=1)
    services.open_voting(actor=actor_for(world.wang), evaluation=evaluation)
    code = evaluation.issued_codes[0]  # type: ignore[attr-defined]
    if by == "account":
        entitlement = Entitlement.objects.get(evaluation=evaluation, user=world.tian)
        actor = actor_for(world.tian)
    else:
        entitlement = services.entitlement_for_code(code)
        actor = Actor(user=None)
    first = evaluation.subjects.first()
    assert first is not None
    marks = {str(first.pk): {f"c{i}": "好" for i in range(1, 6)}}
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(ATTEMPTS)

    def submit() -> None:
        try:
            start.wait()
            services.cast_ballot(actor=actor, entitlement=entitlement, marks=marks, code=code)
            result = "stored"
        except Conflict:
            result = "conflict"
        except Exception as exc:
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=submit) for _ in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(outcomes)) == ["conflict", "stored"]
    assert outcomes.count("stored") == 1
    assert outcomes.count("conflict") == ATTEMPTS - 1
    assert Ballot.objects.filter(evaluation=evaluation).count() == 1
    assert Entitlement.objects.get(pk=entitlement.pk).has_voted
