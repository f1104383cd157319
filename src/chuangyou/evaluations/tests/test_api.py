"""The API: same services and checks as the pages; a double ballot is 409."""

import json

import pytest

from chuangyou.evaluations.models import Ballot, Evaluation, State
from chuangyou.evaluations.tests.conftest import build_teacher_evaluation
from chuangyou.testing import PERSONAS, World

API = "/api/v1/schools/yizhong/evaluations"


def post(client, url: str, body: object):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_whole_flow_over_the_api(world: World) -> None:
    wang = world.client("wang")
    created = post(
        wang,
        API,
        {"title": "民主评议党员", "subject_type": "party_member", "preset": "party_member",
         "opens_at": "2020-01-01T00:00:00+08:00", "closes_at": "2099-01-01T00:00:00+08:00"},
    )  # fmt: skip
    assert created.status_code == 201
    pk = created.json()["id"]
    subjects = post(wang, f"{API}/{pk}/subjects", {"from_roster": True}).json()
    assert [s["name"] for s in subjects] == ["王武", "白拉"]  # the party members, by strokes
    group = post(wang, f"{API}/{pk}/groups", {"kind": "public", "source": "codes", "name": "群众"}).json()
    codes = post(wang, f"{API}/{pk}/groups/{group['id']}/codes", {"count": 2}).json()
    assert len(codes["codes"]) == 2
    assert codes["ballot_urls"][0].endswith(f"/s/yizhong/evaluations/v/#{codes['codes'][0]}")
    assert post(wang, f"{API}/{pk}/open", {}).json()["state"] == "open"
    marks = {str(subjects[0]["id"]): {"c1": "优秀"}, str(subjects[1]["id"]): {"c1": "合格"}}
    anonymous = world.client("ma").__class__()
    first = post(anonymous, f"{API}/code-ballot", {"code": codes["codes"][0], "marks": marks})
    assert first.status_code == 201
    again = post(anonymous, f"{API}/code-ballot", {"code": codes["codes"][0], "marks": marks})
    assert again.status_code == 409
    assert again.json() == {"detail": "这个投票码已经使用过了。"}
    post(anonymous, f"{API}/code-ballot", {"code": codes["codes"][1], "marks": marks})
    receipt = first.json()["receipt"]
    assert post(anonymous, f"{API}/{pk}/receipt", {"receipt": receipt}).json() == {"counted": True}
    assert wang.get(f"{API}/{pk}/turnout").json() == [
        {"name": "群众", "entitled": 2, "voted": 2, "percent": 100}
    ]
    post(wang, f"{API}/{pk}/close", {})
    assert post(wang, f"{API}/{pk}/publish", {}).json()["state"] == "published"
    # an evaluation of people is read by the leadership, not by anyone with the address
    assert anonymous.get(f"{API}/{pk}/result").status_code == 404
    assert world.client("xiao").get(f"{API}/{pk}/result").status_code == 403
    result = wang.get(f"{API}/{pk}/result").json()
    # 2 rated, 优秀 at most 1/3 of 2 = 0: 王武 (100) drops from 优秀 to 合格
    assert [(s["name"], s["total"], s["level_by_band"], s["level"]) for s in result["subjects"]] == [
        ("王武", "100.00", "优秀", "合格"),
        ("白拉", "80.00", "合格", "合格"),
    ]
    # 对标定位, as the page offers it: 白拉 against the first, criterion by criterion
    bench = wang.get(f"{API}/{pk}/benchmark/{subjects[1]['id']}").json()
    assert (bench["subject"], bench["exemplar"]) == ("白拉", "王武")
    assert [(r["mine"], r["best"], r["gap"]) for r in bench["rows"]] == [("80.00", "100.00", "20.00")]
    assert world.client("xiao").get(f"{API}/{pk}/benchmark/{subjects[1]['id']}").status_code == 403
    assert wang.get(f"{API}/{pk}/benchmark/999999").status_code == 404
    su = world.client("su")
    assert post(su, f"{API}/{pk}/recount", {}).json()["matches"] is True
    assert len(su.get(f"{API}/{pk}/ballots").json()) == 2
    assert wang.get(f"{API}/{pk}/ballots").status_code == 403


def test_a_double_ballot_by_account_is_409(world: World) -> None:
    evaluation = build_teacher_evaluation(world)
    post(world.client("wang"), f"{API}/{evaluation.pk}/open", {})
    peers = evaluation.groups.get(name="教师互评")
    tian = world.client("tian")
    assert post(tian, f"{API}/{evaluation.pk}/groups/{peers.pk}/ballot", {"marks": {}}).status_code == 201
    second = post(tian, f"{API}/{evaluation.pk}/groups/{peers.pk}/ballot", {"marks": {}})
    assert second.status_code == 409
    assert Ballot.objects.count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_create_over_the_api(world: World, persona: str) -> None:
    response = post(
        world.client(persona),
        API,
        {"title": "测评", "subject_type": "teacher", "preset": "five_models",
         "opens_at": "2020-01-01T00:00:00+08:00", "closes_at": "2099-01-01T00:00:00+08:00"},
    )  # fmt: skip
    if persona in {"alice", "bella", "wang"}:
        assert response.status_code == 201
        assert Evaluation.objects.get().state == State.DRAFT
    else:
        assert response.status_code == 403
        assert Evaluation.objects.count() == 0
