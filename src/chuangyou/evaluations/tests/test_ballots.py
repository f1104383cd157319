"""Ballots: the roll and recusals, one voter one ballot, codes, the window, receipts, and secrecy."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from chuangyou.audit.models import AuditEntry
from chuangyou.evaluations import services
from chuangyou.evaluations.models import Ballot, Entitlement, Evaluation, Recusal, State, Subject
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.org.rules import Actor, actor_for
from chuangyou.testing import World

ALL_GOOD = {f"c{i}": "好" for i in range(1, 6)}


def marks_for(evaluation: Evaluation, *levels: str) -> dict[str, dict[str, str]]:
    """A ballot giving each subject (in 姓氏笔画 order) the next level, all five criteria."""
    subjects = list(evaluation.subjects.all())
    return {
        str(s.pk): {f"c{i}": levels[n % len(levels)] for i in range(1, 6)} for n, s in enumerate(subjects)
    }


def open_(world: World, evaluation: Evaluation) -> Evaluation:
    return services.open_voting(actor=actor_for(world.wang), evaluation=evaluation)


def entitlement(world: World, evaluation: Evaluation, name: str) -> Entitlement:
    return Entitlement.objects.get(evaluation=evaluation, user=world.persona(name))


def test_subjects_are_listed_by_surname_strokes(teacher_evaluation: Evaluation) -> None:
    # 王(4) 田(5) 艾(5, later code point) 白(5) 胡(9) 苏(7): by strokes, then code point
    names = list(teacher_evaluation.subjects.values_list("name", flat=True))
    assert names == ["王武", "田师", "白拉", "艾丽", "苏监", "胡班"]


def test_opening_freezes_the_rubric_and_builds_the_roll_with_logged_recusals(
    world: World, teacher_evaluation: Evaluation
) -> None:
    evaluation = open_(world, teacher_evaluation)
    assert evaluation.state == State.OPEN
    assert evaluation.frozen_rubric == evaluation.rubric
    roll = Entitlement.objects.filter(evaluation=evaluation, user__isnull=False)
    assert sorted(roll.values_list("user__login", flat=True)) == [
        "T001",
        "T002",
        "T003",
        "T004",
        "T005",
        "T006",
    ]
    assert Entitlement.objects.filter(evaluation=evaluation, user__isnull=True).count() == 3
    hu_subject = Subject.objects.get(evaluation=evaluation, name="胡班")
    assert entitlement(world, evaluation, "hu").recused_subject_ids == [hu_subject.pk]
    assert Recusal.objects.filter(evaluation=evaluation).count() == 6
    assert AuditEntry.objects.filter(action="evaluation.recuse").count() == 6
    with pytest.raises(Conflict):
        services.add_subjects(actor=actor_for(world.wang), evaluation=evaluation, specs=[])


def test_a_voter_votes_once_and_gets_a_receipt_that_checks(
    world: World, teacher_evaluation: Evaluation
) -> None:
    evaluation = open_(world, teacher_evaluation)
    tian = actor_for(world.tian)
    receipt = services.cast_ballot(
        actor=tian,
        entitlement=entitlement(world, evaluation, "tian"),
        marks=marks_for(evaluation, "好", "较好"),
    )
    assert len(receipt) == 12
    assert services.receipt_counted(evaluation, receipt)
    assert not services.receipt_counted(evaluation, "AAAABBBBCCCC")
    with pytest.raises(Conflict, match="您已经投过票了"):
        services.cast_ballot(actor=tian, entitlement=entitlement(world, evaluation, "tian"), marks={})
    assert Ballot.objects.count() == 1
    assert Ballot.objects.get().content is None  # sealed until the vote closes
    services.close_voting(actor=actor_for(world.wang), evaluation=evaluation)
    ballot = Ballot.objects.get()
    tian_subject = Subject.objects.get(evaluation=evaluation, name="田师")
    # tian's own row is blank, as if abstained: the recusal doesn't mark the ballot
    assert ballot.content[str(tian_subject.pk)] == {f"c{i}": None for i in range(1, 6)}
    assert (ballot.verdict, ballot.sealed) == ("valid", None)
    assert services.receipt_counted(evaluation, receipt)
    # ballot content never enters the audit log
    assert not AuditEntry.objects.filter(action__contains="ballot").exists()


def test_someone_elses_entitlement_is_refused(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_(world, teacher_evaluation)
    with pytest.raises(NotAllowed):
        services.cast_ballot(
            actor=actor_for(world.hu), entitlement=entitlement(world, evaluation, "tian"), marks={}
        )
    assert Ballot.objects.count() == 0
    assert not entitlement(world, evaluation, "tian").has_voted


def test_a_one_time_code_works_once(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_(world, teacher_evaluation)
    code = teacher_evaluation.issued_codes[0]  # type: ignore[attr-defined]
    anonymous = Actor(user=None)
    found = services.entitlement_for_code(code.lower())
    assert found.evaluation_id == evaluation.pk
    services.cast_ballot(
        actor=anonymous,
        entitlement=found,
        code=code,
        marks=marks_for(evaluation, "好", "一般"),
        address="10.1.2.3",
    )
    with pytest.raises(Conflict, match="这个投票码已经使用过了"):
        services.cast_ballot(
            actor=anonymous, entitlement=services.entitlement_for_code(code), code=code, marks={}
        )
    with pytest.raises(NotAllowed):
        services.cast_ballot(actor=anonymous, entitlement=found, code="WRONGCODE2", marks={})
    assert Ballot.objects.count() == 1


def test_marks_off_the_scale_are_refused_and_nothing_is_saved(
    world: World, teacher_evaluation: Evaluation
) -> None:
    evaluation = open_(world, teacher_evaluation)
    first = evaluation.subjects.first()
    assert first is not None
    with pytest.raises(Invalid):
        services.cast_ballot(
            actor=actor_for(world.tian),
            entitlement=entitlement(world, evaluation, "tian"),
            marks={str(first.pk): {"c1": "极好"}},
        )
    assert Ballot.objects.count() == 0
    assert not entitlement(world, evaluation, "tian").has_voted


def test_outside_the_window_is_refused(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_(world, teacher_evaluation)
    ent = entitlement(world, evaluation, "tian")
    for moment in (evaluation.opens_at - dt.timedelta(minutes=1), evaluation.closes_at):
        with pytest.raises(NotAllowed, match="不在投票时间内"):
            services.cast_ballot(actor=actor_for(world.tian), entitlement=ent, marks={}, now=moment)
    draft = services.create_evaluation(
        actor=actor_for(world.wang),
        school=world.school,
        title="草稿",
        subject_type="teacher",
        preset="five_models",
        opens_at=timezone.now() - dt.timedelta(hours=1),
        closes_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert not draft.in_window()
    assert Ballot.objects.count() == 0


def test_no_stored_column_links_a_ballot_to_a_voter(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_(world, teacher_evaluation)
    voters = ["alice", "bella", "wang", "su", "hu", "tian"]
    for name in voters:
        services.cast_ballot(
            actor=actor_for(world.persona(name)),
            entitlement=entitlement(world, evaluation, name),
            marks=marks_for(evaluation, "好", "较好"),
        )
    ballot_columns = {f.column for f in Ballot._meta.concrete_fields}
    assert ballot_columns == {
        "id",
        "school_id",
        "evaluation_id",
        "group_id",
        "day",
        "receipt_hash",
        "content",  # null while voting is open
        "verdict",  # valid / blank / a void reason: a fact about the content, not the voter; "" while open
        "sealed",  # the content and verdict, encrypted to the evaluation's key, until close
    }
    roll_columns = {f.column for f in Entitlement._meta.concrete_fields}
    # Only the evaluation, its group, its school and the day are shared: none tells voters apart.
    assert ballot_columns & roll_columns == {"id", "school_id", "evaluation_id", "group_id"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, day FROM evaluations_ballot")
        rows = cursor.fetchall()
    roll_ids = {str(pk) for pk in Entitlement.objects.values_list("pk", flat=True)}
    for pk, day in rows:
        key = uuid.UUID(str(pk))
        assert key.version == 4  # random, not a time-ordered uuid1/uuid7
        assert str(key) not in roll_ids
        assert key.hex not in roll_ids
        assert str(day) == str(timezone.localdate())  # a date, no time of day
    # No ballot field is a foreign key to people or to the roll.
    targets = {f.related_model for f in Ballot._meta.concrete_fields if f.is_relation}
    assert {m._meta.label for m in targets if m is not None} == {
        "org.School",
        "evaluations.Evaluation",
        "evaluations.RaterGroup",
    }


def test_closing_rewrites_ballots_in_random_order(world: World, teacher_evaluation: Evaluation) -> None:
    """Insertion order (SQLite rowid, PostgreSQL heap order) would follow the voting order; after
    the close it is a shuffle. 40 ballots: the chance the shuffle keeps the order is 1/40!."""
    evaluation = open_(world, teacher_evaluation)
    codes = services.issue_codes(
        actor=actor_for(world.wang), group=evaluation.groups.get(name="家长"), count=37
    )
    for code in codes + teacher_evaluation.issued_codes:  # type: ignore[attr-defined]
        services.cast_ballot(
            actor=Actor(user=None),
            entitlement=services.entitlement_for_code(code),
            code=code,
            marks=marks_for(evaluation, "好", "较好"),
        )
    physical = "rowid" if connection.vendor == "sqlite" else "ctid"
    sql = f"SELECT receipt_hash FROM evaluations_ballot ORDER BY {physical}"  # noqa: S608 - fixed names
    with connection.cursor() as cursor:
        cursor.execute(sql)
        before = [r[0] for r in cursor.fetchall()]
    services.close_voting(actor=actor_for(world.wang), evaluation=evaluation)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        after = [r[0] for r in cursor.fetchall()]
    assert sorted(after) == sorted(before)
    assert after != before
    close = AuditEntry.objects.get(action="evaluation.close")
    assert close.after is not None
    assert close.after["codes_used"] == 40
    assert "content" not in str(close.after)
