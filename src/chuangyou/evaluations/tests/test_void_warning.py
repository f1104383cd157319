"""A ballot the published rules would void is not taken silently: the voter is told why, may change
it, or submit it knowingly. On the service, the page and the API."""

import json

import pytest

from chuangyou.evaluations import services
from chuangyou.evaluations.models import Ballot, Entitlement, Evaluation
from chuangyou.evaluations.tests.test_ballots import entitlement, marks_for, open_
from chuangyou.org.rules import actor_for
from chuangyou.testing import World

SAME_FOR_ALL = "按公布的计票规则，这张选票将是废票（您给所有评议对象打了同样的分数），不计入结果。"


def test_the_service_explains_and_stores_nothing(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_(world, teacher_evaluation)
    with pytest.raises(services.WouldBeVoid) as exc:
        services.cast_ballot(
            actor=actor_for(world.tian),
            entitlement=entitlement(world, evaluation, "tian"),
            marks=marks_for(evaluation, "好"),
        )
    assert exc.value.message.startswith(SAME_FOR_ALL)
    assert "我知道这是废票，仍然提交" in exc.value.message
    assert Ballot.objects.count() == 0
    assert not entitlement(world, evaluation, "tian").has_voted


def test_submitted_knowingly_it_is_stored_and_counted_as_void(
    world: World, teacher_evaluation: Evaluation
) -> None:
    evaluation = open_(world, teacher_evaluation)
    services.cast_ballot(
        actor=actor_for(world.tian),
        entitlement=entitlement(world, evaluation, "tian"),
        marks=marks_for(evaluation, "好"),
        accept_void=True,
    )
    services.close_voting(actor=actor_for(world.wang), evaluation=evaluation)
    assert list(Ballot.objects.values_list("verdict", flat=True)) == ["same_score"]


def test_the_page_warns_keeps_the_marks_and_offers_to_submit_anyway(
    world: World, teacher_evaluation: Evaluation
) -> None:
    evaluation = open_(world, teacher_evaluation)
    own = entitlement(world, evaluation, "tian")
    url = f"/school/{world.school.code}/evaluations/{evaluation.pk}/vote/{own.group_id}/"
    client = world.client("tian")
    subjects = services.allowed_subjects(own, list(evaluation.subjects.all()))
    post = {f"m-{s.pk}-c{i}": "好" for s in subjects for i in range(1, 6)}
    warned = client.post(url, post)
    page = warned.content.decode()
    assert SAME_FOR_ALL in page
    assert 'data-testid="accept-void"' in page
    assert page.count('value="好" checked') == len(subjects) * 5  # nothing the voter marked is lost
    assert not Entitlement.objects.get(pk=own.pk).has_voted
    done = client.post(url, {**post, "accept_void": "1"})
    assert "投票成功" in done.content.decode()
    assert Entitlement.objects.get(pk=own.pk).has_voted


def test_the_api_answers_422_then_takes_it_knowingly(world: World, teacher_evaluation: Evaluation) -> None:
    evaluation = open_(world, teacher_evaluation)
    own = entitlement(world, evaluation, "tian")
    url = f"/api/v1/schools/{world.school.code}/evaluations/{evaluation.pk}/groups/{own.group_id}/ballot"
    api = world.client("tian")
    body = {"marks": marks_for(evaluation, "好")}
    refused = api.post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 422
    assert SAME_FOR_ALL in refused.json()["detail"]
    assert Ballot.objects.count() == 0
    taken = api.post(url, json.dumps({**body, "accept_void": True}), content_type="application/json")
    assert taken.status_code == 201
    assert Ballot.objects.count() == 1
