"""The supervision group's passphrase lock on the seal: with it, the server's secret and the database
together open no ballot; closing takes the passphrase or the recovery code shown once at opening."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from nacl.exceptions import CryptoError
from nacl.public import SealedBox
from nacl.pwhash import argon2id

from chuangyou.audit.models import AuditEntry
from chuangyou.evaluations import sealing, services
from chuangyou.evaluations.models import Ballot, Entitlement, Evaluation, State
from chuangyou.evaluations.tests.test_sealing import _cast_known
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.org.rules import actor_for
from chuangyou.testing import World

PASSPHRASE = "监督小组 2026 秋"


def open_locked(world: World, evaluation: Evaluation) -> services.LockedOpening:
    return services.open_voting_with_passphrase(
        actor=actor_for(world.wang), evaluation=evaluation, passphrase=PASSPHRASE
    )


def audit_after(action: str, evaluation: Evaluation) -> dict[str, Any]:
    entry = AuditEntry.objects.get(action=action, object_id=str(evaluation.pk))
    return dict(entry.after or {})


def sealed_bytes() -> bytes:
    return b"".join(bytes(b.sealed or b"") for b in Ballot.objects.all())


def ballot_rows() -> list[tuple[object, ...]]:
    return list(Ballot.objects.order_by("id").values_list("id", "sealed", "content"))


def everything_stored() -> bytes:
    """Every evaluation row, every ballot and every audit entry, as a database reader sees them."""
    dump = []
    with connection.cursor() as cursor:
        for table in ("evaluations_evaluation", "evaluations_ballot", "audit_auditentry"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
            dump.append(repr(cursor.fetchall()))
    return "\n".join(dump).encode()


def test_opening_with_a_passphrase_returns_a_recovery_code_to_write_down(
    world: World, teacher_evaluation: Evaluation
) -> None:
    opened = open_locked(world, teacher_evaluation)
    evaluation = opened.evaluation
    assert evaluation.state == State.OPEN
    assert evaluation.passphrase_locked
    groups = opened.recovery_code.split("-")
    assert [len(g) for g in groups] == [4] * 6
    assert set("".join(groups)) <= set(sealing.RECOVERY_ALPHABET)
    # the seal is not the one the server's secret alone derives
    assert evaluation.seal_public_key != sealing.public_key_hex(evaluation.pk, evaluation.seal_salt)
    assert audit_after("evaluation.open", evaluation)["passphrase_lock"] is True


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({}, "passphrase", "这项评议的选票由监督小组口令加锁：请输入口令或恢复码后再截止。"),
        ({"passphrase": "监督小组 2026 冬"}, "passphrase", "口令不正确。"),
        ({"recovery_code": "2345-6789-ABCD-EFGH-JKLM-NPQR"}, "recovery_code", "恢复码不正确。"),
        (
            {"passphrase": PASSPHRASE, "recovery_code": "2345-6789-ABCD-EFGH-JKLM-NPQR"},
            "recovery_code",
            "请只填写口令或恢复码中的一项。",
        ),
    ],
)
def test_closing_without_the_right_secret_is_refused_and_changes_nothing(
    world: World, teacher_evaluation: Evaluation, given: dict[str, str], field: str, message: str
) -> None:
    evaluation = open_locked(world, teacher_evaluation).evaluation
    _cast_known(world, evaluation)
    before = ballot_rows()
    audit = AuditEntry.objects.count()
    with pytest.raises(Invalid) as refused:
        services.close_voting(actor=actor_for(world.wang), evaluation=evaluation, **given)
    assert refused.value.message == message
    assert refused.value.errors == {field: [message]}
    evaluation.refresh_from_db()
    assert evaluation.state == State.OPEN
    assert ballot_rows() == before
    assert [content for _, _, content in before] == [None] * 3
    assert AuditEntry.objects.count() == audit


def test_the_server_secret_and_the_database_alone_open_nothing(
    world: World, teacher_evaluation: Evaluation
) -> None:
    """What the old derivation (secret + id + salt) gives does not open a locked vote's ballots."""
    evaluation = open_locked(world, teacher_evaluation).evaluation
    _cast_known(world, evaluation)
    box = SealedBox(sealing.private_key(evaluation.pk, evaluation.seal_salt))
    with pytest.raises(CryptoError):
        box.decrypt(bytes(Ballot.objects.get(pk=Ballot.objects.values("pk")[:1]).sealed or b""))
    with pytest.raises(sealing.SealSecretChanged):
        sealing.opener(evaluation.pk, evaluation.seal_salt, evaluation.seal_public_key)


def test_closing_with_the_passphrase_opens_and_recounts(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_locked(world, teacher_evaluation).evaluation
    cast = _cast_known(world, evaluation)
    services.close_voting(actor=actor_for(world.wang), evaluation=evaluation, passphrase=PASSPHRASE)
    evaluation.refresh_from_db()
    assert evaluation.state == State.CLOSED
    ballots = list(Ballot.objects.all())
    assert [b.sealed for b in ballots] == [None] * 3
    assert {b.verdict for b in ballots} == {"valid"}
    # every voter's first marks are there in plain (each voter's own row is blanked: no self-rating)
    firsts = sorted(
        next(m["c1"] for m in b.content.values() if m["c1"] is not None)  # type: ignore[union-attr]
        for b in ballots
    )
    assert len(firsts) == len(cast) == 3
    assert services.compute_result(evaluation) == services.compute_result(evaluation, from_raw=True)
    assert audit_after("evaluation.close", evaluation)["unlocked_with"] == "passphrase"


def test_closing_with_the_recovery_code_as_written_down(world: World, teacher_evaluation: Evaluation) -> None:
    """Lower case and spaces instead of dashes, as someone types it back from paper."""
    opened = open_locked(world, teacher_evaluation)
    _cast_known(world, opened.evaluation)
    typed = opened.recovery_code.lower().replace("-", " ")
    services.close_voting(actor=actor_for(world.wang), evaluation=opened.evaluation, recovery_code=typed)
    evaluation = Evaluation.objects.get(pk=opened.evaluation.pk)
    assert evaluation.state == State.CLOSED
    assert Ballot.objects.filter(content__isnull=True).count() == 0
    assert audit_after("evaluation.close", evaluation)["unlocked_with"] == "recovery_code"


def test_a_locked_vote_with_no_ballots_still_wants_the_passphrase(
    world: World, teacher_evaluation: Evaluation
) -> None:
    evaluation = open_locked(world, teacher_evaluation).evaluation
    with pytest.raises(Invalid):
        services.close_voting(actor=actor_for(world.wang), evaluation=evaluation)
    assert Evaluation.objects.get(pk=evaluation.pk).state == State.OPEN


def test_the_database_holds_no_passphrase_recovery_code_or_unlock_value(
    world: World, teacher_evaluation: Evaluation
) -> None:
    opened = open_locked(world, teacher_evaluation)
    evaluation = opened.evaluation
    _cast_known(world, evaluation)
    lock = sealing.Lock.from_json(Evaluation.objects.get(pk=evaluation.pk).seal_lock or {})
    unlock = sealing.unlock_with_passphrase(lock, PASSPHRASE)
    assert len(unlock) == 32
    stored = everything_stored()
    code = opened.recovery_code
    for secret in (PASSPHRASE, code, code.replace("-", ""), unlock.hex()):
        assert secret.encode() not in stored
        assert json.dumps(secret).encode() not in stored  # as a JSON string, escaped
    assert unlock not in stored
    assert unlock not in sealed_bytes()
    # closing leaves none behind either
    services.close_voting(actor=actor_for(world.wang), evaluation=evaluation, passphrase=PASSPHRASE)
    stored = everything_stored()
    for secret in (PASSPHRASE, code, code.replace("-", ""), unlock.hex()):
        assert secret.encode() not in stored


@pytest.mark.parametrize("passphrase", ["short", "  7 个字  ", " " * 12, "长" * 201])
def test_a_passphrase_of_fewer_than_8_characters_opens_nothing(
    world: World, teacher_evaluation: Evaluation, passphrase: str
) -> None:
    with pytest.raises(Invalid) as refused:
        services.open_voting_with_passphrase(
            actor=actor_for(world.wang), evaluation=teacher_evaluation, passphrase=passphrase
        )
    assert refused.value.errors == {"passphrase": ["口令须为 8–200 个字符。"]}
    teacher_evaluation.refresh_from_db()
    assert teacher_evaluation.state == State.DRAFT
    assert teacher_evaluation.seal_lock is None
    assert not Entitlement.objects.filter(evaluation=teacher_evaluation, user__isnull=False).exists()
    assert not AuditEntry.objects.filter(action="evaluation.open").exists()


def test_without_a_passphrase_the_seal_is_as_before(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = services.open_voting(actor=actor_for(world.wang), evaluation=teacher_evaluation)
    evaluation.refresh_from_db()
    assert evaluation.seal_lock is None
    assert not evaluation.passphrase_locked
    assert evaluation.seal_public_key == sealing.public_key_hex(evaluation.pk, evaluation.seal_salt)
    assert set(audit_after("evaluation.open", evaluation)) == {"state", "rubric", "rules", "entitled"}
    _cast_known(world, evaluation)
    # a passphrase given to an unlocked vote is not asked for and changes nothing
    services.close_voting(actor=actor_for(world.wang), evaluation=evaluation)
    assert Evaluation.objects.get(pk=evaluation.pk).state == State.CLOSED
    assert "unlocked_with" not in audit_after("evaluation.close", evaluation)


def test_a_changed_server_secret_still_blocks_a_locked_close(
    world: World, teacher_evaluation: Evaluation
) -> None:
    """The passphrase is a second key, not a replacement for the server's secret."""
    evaluation = open_locked(world, teacher_evaluation).evaluation
    _cast_known(world, evaluation)
    with override_settings(BALLOT_SEAL_SECRET="another-secret"), pytest.raises(Conflict) as refused:
        services.close_voting(actor=actor_for(world.wang), evaluation=evaluation, passphrase=PASSPHRASE)
    assert "密钥" in refused.value.message
    assert Evaluation.objects.get(pk=evaluation.pk).state == State.OPEN


def test_a_lock_keeps_the_cost_it_was_made_with(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_locked(world, teacher_evaluation).evaluation
    with override_settings(BALLOT_PASSPHRASE_KDF=(2, 16384)):
        services.close_voting(actor=actor_for(world.wang), evaluation=evaluation, passphrase=PASSPHRASE)
    assert Evaluation.objects.get(pk=evaluation.pk).state == State.CLOSED


def test_production_stretches_the_passphrase_with_argon2id_moderate() -> None:
    from chuangyou import settings as production

    assert production.BALLOT_PASSPHRASE_KDF == (
        argon2id.OPSLIMIT_MODERATE,
        argon2id.MEMLIMIT_MODERATE,
    )


# --- the pages ------------------------------------------------------------------------------------

BASE = "/school/yizhong/evaluations"


def recovery_code_on(page: str) -> str:
    return page.split('data-testid="recovery-code">')[1].split("<")[0]


def test_through_the_pages_set_at_open_shown_once_asked_at_close(
    world: World, teacher_evaluation: Evaluation
) -> None:
    wang = world.client("wang")
    url = f"{BASE}/{teacher_evaluation.pk}"
    detail = wang.get(f"{url}/").content.decode()
    assert "监督小组口令（可选）" in detail
    assert 'name="passphrase_confirm"' in detail
    opened = wang.post(f"{url}/open/", {"passphrase": PASSPHRASE, "passphrase_confirm": PASSPHRASE})
    assert opened.status_code == 200
    page = opened.content.decode()
    code = recovery_code_on(page)
    assert [len(g) for g in code.split("-")] == [4] * 6
    assert "恢复码只显示这一次。" in page
    assert "no-store" in opened["Cache-Control"]
    assert PASSPHRASE not in page
    evaluation = Evaluation.objects.get(pk=teacher_evaluation.pk)
    assert evaluation.state == State.OPEN
    assert evaluation.passphrase_locked
    # the code is nowhere to be seen again
    detail = wang.get(f"{url}/").content.decode()
    assert code not in detail
    assert 'data-testid="passphrase-locked"' in detail
    assert 'id="close-passphrase" name="passphrase"' in detail

    wrong = wang.post(f"{url}/close/", {"passphrase": "不是这个口令啊啊"})
    assert wrong.status_code == 422
    assert '<div class="invalid-feedback d-block">口令不正确。</div>' in wrong.content.decode()
    assert Evaluation.objects.get(pk=evaluation.pk).state == State.OPEN
    nothing = wang.post(f"{url}/close/", {})
    assert nothing.status_code == 422
    assert "请输入口令或恢复码后再截止" in nothing.content.decode()
    assert 'name="recovery_code"' in wang.get(f"{url}/close/").content.decode()

    closed = wang.post(f"{url}/close/", {"passphrase": "", "recovery_code": code.lower()})
    assert closed.status_code == 302
    assert Evaluation.objects.get(pk=evaluation.pk).state == State.CLOSED


def test_the_page_closes_with_the_passphrase(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_locked(world, teacher_evaluation).evaluation
    response = world.client("wang").post(f"{BASE}/{evaluation.pk}/close/", {"passphrase": PASSPHRASE})
    assert response.status_code == 302
    assert Evaluation.objects.get(pk=evaluation.pk).state == State.CLOSED


@pytest.mark.parametrize(
    ("passphrase", "confirm", "error"),
    [
        (PASSPHRASE, PASSPHRASE + "!", "两次输入的口令不一致。"),
        ("", PASSPHRASE, "两次输入的口令不一致。"),
        ("1234567", "1234567", "口令须为 8–200 个字符。"),
    ],
)
def test_the_open_form_refuses_a_passphrase_typed_differently_or_too_short(
    world: World, teacher_evaluation: Evaluation, passphrase: str, confirm: str, error: str
) -> None:
    response = world.client("wang").post(
        f"{BASE}/{teacher_evaluation.pk}/open/", {"passphrase": passphrase, "passphrase_confirm": confirm}
    )
    assert response.status_code == 422
    assert f'<div class="invalid-feedback d-block">{error}</div>' in response.content.decode()
    teacher_evaluation.refresh_from_db()
    assert teacher_evaluation.state == State.DRAFT
    assert teacher_evaluation.seal_lock is None


def test_the_open_page_without_a_passphrase_opens_as_before(
    world: World, teacher_evaluation: Evaluation
) -> None:
    url = f"{BASE}/{teacher_evaluation.pk}"
    response = world.client("wang").post(f"{url}/open/", {"passphrase": "", "passphrase_confirm": ""})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(pk=teacher_evaluation.pk)
    assert evaluation.state == State.OPEN
    assert evaluation.seal_lock is None
    detail = world.client("wang").get(f"{url}/").content.decode()
    assert 'id="close-passphrase"' not in detail
    assert world.client("wang").post(f"{url}/close/").status_code == 302
    assert Evaluation.objects.get(pk=evaluation.pk).state == State.CLOSED


# --- the API --------------------------------------------------------------------------------------

API = "/api/v1/schools/yizhong/evaluations"


def post(client: Client, url: str, body: object | None = None) -> Any:
    if body is None:  # a bare POST: no body, no content type
        return client.generic("POST", url)
    return client.post(url, json.dumps(body), content_type="application/json")


def test_over_the_api_the_open_returns_the_code_once_and_the_close_wants_a_secret(
    world: World, teacher_evaluation: Evaluation
) -> None:
    wang = world.client("wang")
    url = f"{API}/{teacher_evaluation.pk}"
    short = post(wang, f"{url}/open", {"passphrase": "1234567"})
    assert short.status_code == 422
    assert short.json()["errors"] == {"passphrase": ["口令须为 8–200 个字符。"]}
    opened = post(wang, f"{url}/open", {"passphrase": PASSPHRASE})
    assert opened.status_code == 200
    assert opened["Cache-Control"] == "no-store"
    body = opened.json()
    assert body["state"] == "open"
    code = body["recovery_code"]
    assert [len(g) for g in code.split("-")] == [4] * 6
    # never again: the evaluation's own answers carry no code
    assert "recovery_code" not in wang.get(url).json()
    assert code not in wang.get(url).content.decode()
    _cast_known(world, Evaluation.objects.get(pk=teacher_evaluation.pk))

    refused = post(wang, f"{url}/close", {})
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["passphrase"]
    assert post(wang, f"{url}/close").status_code == 422  # no body at all
    wrong = post(wang, f"{url}/close", {"recovery_code": "2345-6789-ABCD-EFGH-JKLM-NPQR"})
    assert wrong.status_code == 422
    assert wrong.json() == {"detail": "恢复码不正确。", "errors": {"recovery_code": ["恢复码不正确。"]}}
    assert Evaluation.objects.get(pk=teacher_evaluation.pk).state == State.OPEN
    assert Ballot.objects.filter(content__isnull=True).count() == 3

    closed = post(wang, f"{url}/close", {"passphrase": PASSPHRASE})
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"
    assert Ballot.objects.filter(content__isnull=True).count() == 0


def test_over_the_api_the_recovery_code_closes(world: World, teacher_evaluation: Evaluation) -> None:
    wang = world.client("wang")
    url = f"{API}/{teacher_evaluation.pk}"
    code = post(wang, f"{url}/open", {"passphrase": PASSPHRASE}).json()["recovery_code"]
    closed = post(wang, f"{url}/close", {"recovery_code": code})
    assert closed.json()["state"] == "closed"


def test_over_the_api_no_passphrase_opens_and_closes_as_before(
    world: World, teacher_evaluation: Evaluation
) -> None:
    wang = world.client("wang")
    url = f"{API}/{teacher_evaluation.pk}"
    opened = post(wang, f"{url}/open")  # no body, as before
    assert opened.status_code == 200
    assert opened.json()["recovery_code"] is None
    assert Evaluation.objects.get(pk=teacher_evaluation.pk).seal_lock is None
    assert post(wang, f"{url}/close").json()["state"] == "closed"
