"""Sealed ballots: while voting is open no reader of the database can put a vote next to a voter;
at close the ballots are opened, shuffled, written in plain, and recount to the published result."""

import json

import pytest
from django.db import connection
from django.test import override_settings

from chuangyou.evaluations import services
from chuangyou.evaluations.models import Ballot, Evaluation, State
from chuangyou.evaluations.tests.test_ballots import entitlement, marks_for, open_
from chuangyou.lib.errors import Conflict
from chuangyou.org.rules import Actor, actor_for
from chuangyou.testing import World

VOTERS = ("tian", "alice", "hu")  # three teachers, each with a different, known ballot
OWN_SUBJECT = {"tian": "田师", "alice": "艾丽", "hu": "胡班"}
LEVELS = {"tian": ("好", "较好"), "alice": ("一般", "好"), "hu": ("较好", "一般")}


def _cast_known(world: World, evaluation: Evaluation) -> dict[str, dict[str, dict[str, str]]]:
    cast = {}
    for name in VOTERS:
        marks = marks_for(evaluation, *LEVELS[name])
        services.cast_ballot(
            actor=actor_for(world.persona(name)),
            entitlement=entitlement(world, evaluation, name),
            marks=marks,
        )
        cast[name] = marks
    return cast


def _every_ballot_cell() -> str:
    """Everything the ballot table holds, as one text: what a database reader or a backup sees."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM evaluations_ballot")
        return repr(cursor.fetchall())


def test_while_open_the_table_holds_no_mark(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_(world, teacher_evaluation)
    evaluation.refresh_from_db()
    assert len(evaluation.seal_public_key) == 64
    _cast_known(world, evaluation)
    stored = _every_ballot_cell()
    for level in ("好", "较好", "一般", "valid"):
        assert level not in stored
        assert level.encode() not in b"".join(bytes(b.sealed) for b in Ballot.objects.all())
    assert list(Ballot.objects.values_list("content", "verdict")) == [(None, "")] * 3


def test_closing_opens_shuffles_and_recounts(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_(world, teacher_evaluation)
    cast = _cast_known(world, evaluation)
    sealed_ids = set(Ballot.objects.values_list("id", flat=True))
    services.close_voting(actor=actor_for(world.wang), evaluation=evaluation)
    ballots = list(Ballot.objects.all())
    # new rows: not one id of the sealed rows survives, and no ciphertext is left
    assert sealed_ids.isdisjoint(b.id for b in ballots)
    assert [b.sealed for b in ballots] == [None] * 3
    # each voter's ballot is there in plain, with the verdict it was judged with when cast
    opened = sorted(json.dumps(b.content, sort_keys=True) for b in ballots)
    expected = []
    for name, marks in cast.items():
        own = str(evaluation.subjects.get(name=OWN_SUBJECT[name]).pk)
        # a teacher's own row is blank on her ballot: she does not rate herself
        expected.append(json.dumps({**marks, own: dict.fromkeys(marks[own])}, sort_keys=True))
    assert opened == sorted(expected)
    assert {b.verdict for b in ballots} == {"valid"}
    evaluation.refresh_from_db()
    assert services.compute_result(evaluation) == services.compute_result(evaluation, from_raw=True)


def test_a_changed_secret_refuses_to_close_and_changes_nothing(
    world: World, teacher_evaluation: Evaluation
) -> None:
    evaluation = open_(world, teacher_evaluation)
    _cast_known(world, evaluation)
    before = list(Ballot.objects.order_by("id").values_list("id", "sealed"))
    with override_settings(BALLOT_SEAL_SECRET="another-secret"), pytest.raises(Conflict) as exc:
        services.close_voting(actor=actor_for(world.wang), evaluation=evaluation)
    assert "密钥" in exc.value.message
    evaluation.refresh_from_db()
    assert evaluation.state == State.OPEN
    assert list(Ballot.objects.order_by("id").values_list("id", "sealed")) == before


def test_a_code_ballot_is_sealed_too(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_(world, teacher_evaluation)
    code = teacher_evaluation.issued_codes[0]  # type: ignore[attr-defined]
    services.cast_ballot(
        actor=Actor(user=None),
        entitlement=services.entitlement_for_code(code),
        code=code,
        marks=marks_for(evaluation, "好", "一般"),
    )
    assert Ballot.objects.get().content is None
    assert "好" not in _every_ballot_cell()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="xmin is PostgreSQL's")
def test_the_xmin_join_links_no_content_to_a_voter(world: World, teacher_evaluation: Evaluation) -> None:
    """The ballot INSERT and the roll UPDATE share a transaction, so their xmin match while voting
    is open: the join finds the voter, and the ballot it finds says nothing."""
    evaluation = open_(world, teacher_evaluation)
    _cast_known(world, evaluation)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.user_id, b.content, b.verdict FROM evaluations_ballot b "
            "JOIN evaluations_entitlement e ON e.xmin = b.xmin WHERE e.user_id IS NOT NULL"
        )
        rows = cursor.fetchall()
    # within one test transaction every row shares an xmin: the join pairs all of them, uselessly
    assert rows
    assert {(content, verdict) for _, content, verdict in rows} == {(None, "")}
