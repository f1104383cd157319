"""The uses over the API: the same services and checks as the pages."""

import json

import pytest

from chuangyou.evaluations.models import Evaluation, Portfolio
from chuangyou.org.models import Staff
from chuangyou.testing import PERSONAS, World

API = "/api/v1/schools/yizhong/evaluations"
WINDOW = {"opens_at": "2020-01-01T00:00:00+08:00", "closes_at": "2099-01-01T00:00:00+08:00"}


def post(client, url: str, body: object, method: str = "post"):  # type: ignore[no-untyped-def]
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_five_star_preset_over_the_api(world: World, persona: str) -> None:
    response = post(world.client(persona), f"{API}/uses/preset/five-star", WINDOW)
    if persona in {"alice", "bella", "wang"}:
        assert response.status_code == 201
        assert [g["name"] for g in response.json()["groups"]] == ["党员评议", "群众评议", "领导评议"]
    else:
        assert response.status_code in (403, 404)
        assert Evaluation.objects.count() == 0


def test_quality_and_the_students_own_portfolio_over_the_api(world: World) -> None:
    tian = Staff.objects.get(user=world.tian)
    created = post(
        world.client("wang"),
        f"{API}/uses/quality",
        WINDOW | {"school_class_id": world.class_1.pk, "term": "2026 春季学期", "teacher_ids": [tian.pk]},
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    url = f"{API}/{pk}/portfolio"
    entries = {"entries": {"c1": {"text": "每周参加升旗仪式。"}}}
    assert post(world.client("hu"), url, entries, "put").status_code == 403
    written = post(world.client("xiao"), url, entries, "put")
    assert written.status_code == 200
    assert written.json()["entries"] == {"c1": {"text": "每周参加升旗仪式。", "lines": []}}
    signed = post(world.client("xiao"), f"{url}/sign", {"signature": "肖同学"})
    assert (signed.status_code, signed.json()["signature"]) == (200, "肖同学")
    again = post(world.client("xiao"), url, entries, "put")
    assert (again.status_code, again.json()) == (409, {"detail": "写实记录已签名确认，不能再修改。"})
    assert Portfolio.objects.get().entries == {"c1": {"text": "每周参加升旗仪式。", "lines": []}}
