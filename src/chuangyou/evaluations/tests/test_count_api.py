"""核查计票 over the API: the same files and figures as the result page, to the same people."""

import hashlib
import json

import pytest
from django.test import Client

from chuangyou.evaluations import proof, school_key, services, verify_count
from chuangyou.evaluations.models import Ballot, Evaluation, Visibility
from chuangyou.evaluations.tests.test_ballots import open_
from chuangyou.evaluations.tests.test_count_check import download, in_school, public
from chuangyou.evaluations.tests.test_count_check import published as published  # the fixture
from chuangyou.org.rules import actor_for
from chuangyou.testing import World

API = "/api/v1/schools/yizhong/evaluations"
FILES = {"ballots-json": "ballots.json", "ballots-csv": "ballots.csv", "result-json": "result.json"}


def count_url(evaluation: Evaluation) -> str:
    return f"{API}/{evaluation.pk}/count"


def test_a_leader_gets_the_page_files_byte_for_byte(world: World, published: Evaluation) -> None:
    client = world.client("bella")
    _, on_page = download(client, in_school(published))
    for testid, name in FILES.items():
        response = client.get(f"{count_url(published)}/{name}")
        assert response.status_code == 200, name
        assert response.content == on_page[testid]
        assert response["Content-Disposition"] == (
            f"attachment; filename*=UTF-8''yizhong-{published.pk}-{name}"
        )
    assert client.get(f"{count_url(published)}/ballots.csv")["Content-Type"] == "text/csv; charset=utf-8"
    assert verify_count.check(
        client.get(f"{count_url(published)}/ballots.json").content,
        client.get(f"{count_url(published)}/result.json").content,
        expected_fingerprint=school_key.school_fingerprint(published.school_id),
    ).ok


def test_the_figures_are_the_pages(world: World, published: Evaluation) -> None:
    client = world.client("bella")
    _, on_page = download(client, in_school(published))
    figures = client.get(count_url(published)).json()
    files = proof.count_files(published)
    assert figures["ballots_sha256"] == hashlib.sha256(on_page["ballots-json"]).hexdigest()
    assert figures["csv_sha256"] == hashlib.sha256(on_page["ballots-csv"]).hexdigest()
    assert figures["published_sha256"] == figures["ballots_sha256"]
    assert figures["fingerprint"] == school_key.school_fingerprint(published.school_id)
    assert figures["public_key"] == files.public_key
    assert figures["ballot_count"] == 5
    ballots_file = json.loads(on_page["ballots-json"])
    assert figures["rubric"] == ballots_file["rubric"] == published.rubric_in_force
    assert figures["rules"] == ballots_file["rules"]
    assert figures["groups"] == [
        {
            "name": g.name,
            "weight": g.weight,
            "entitled": g.entitled,
            "codes_issued": g.codes_issued,
            "returned": g.returned,
            "void": g.void,
            "blank": g.blank,
            "valid": g.valid,
            "paper_issued": g.paper_issued,
            "paper_returned": g.paper_returned,
            "quorum_met": g.quorum_met,
        }
        for g in files.groups
    ]
    assert [g["name"] for g in figures["groups"]] == ["教师互评", "家长"]
    assert figures["groups"][1]["codes_issued"] == 3


def test_a_public_result_is_there_without_login_and_matches_the_public_page(
    world: World, published: Evaluation
) -> None:
    Evaluation.objects.filter(pk=published.pk).update(visibility=Visibility.PUBLIC)
    anyone = Client()
    _, on_page = download(anyone, public(published))
    for testid, name in FILES.items():
        response = anyone.get(f"{count_url(published)}/{name}")
        assert response.status_code == 200
        assert response.content == on_page[testid]
    assert anyone.get(count_url(published)).json()["ballot_count"] == 5
    # not under another school's code
    other = f"/api/v1/schools/{world.other_school.code}/evaluations/{published.pk}/count"
    assert anyone.get(other).status_code == 404


def _no_ballot_in(body: str, evaluation: Evaluation) -> bool:
    return "receipt_hash" not in body and not any(
        b.receipt_hash in body for b in Ballot.objects.filter(evaluation=evaluation)
    )


@pytest.mark.parametrize(("name", "status"), [("", 404), ("xiao", 403), ("ma", 403), ("oscar", 403)])
def test_a_result_not_for_them_gives_no_file(
    world: World, published: Evaluation, name: str, status: int
) -> None:
    """A teachers' evaluation is the leadership's: not public, and not for a student, a parent or
    another school's admin (the page answers them the same: test_count_check)."""
    client = world.client(name) if name else Client()
    for suffix in ("", "/ballots.json", "/ballots.csv", "/result.json"):
        response = client.get(count_url(published) + suffix)
        assert response.status_code == status, suffix
        assert _no_ballot_in(response.content.decode(), published)


def test_with_visibility_self_a_teacher_gets_her_row_but_no_file(world: World, published: Evaluation) -> None:
    services.set_visibility(actor=actor_for(world.wang), evaluation=published, visibility=Visibility.SELF)
    tian = world.client("tian")
    assert tian.get(f"{API}/{published.pk}/result").status_code == 200
    assert tian.get(count_url(published)).status_code == 403
    assert tian.get(f"{count_url(published)}/ballots.json").status_code == 403


def test_before_publication_there_is_nothing_to_check(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_(world, teacher_evaluation)
    services.close_voting(actor=actor_for(world.wang), evaluation=evaluation)
    Evaluation.objects.filter(pk=evaluation.pk).update(visibility=Visibility.PUBLIC)
    for client in (world.client("bella"), Client()):
        for suffix in ("", "/ballots.json", "/result.json"):
            response = client.get(count_url(evaluation) + suffix)
            assert response.status_code == 404
            assert response.json() == {"detail": "评议结果尚未公布。"}
