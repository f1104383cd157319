from __future__ import annotations

import pytest
from django.test import Client

from chuangyou.activities.models import Evidence
from chuangyou.exhibition.models import Takedown
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import PERSONAS, World

API = "/api/v1/schools/yizhong/exhibition"


def test_the_gallery_api_is_public_and_shows_only_photos_on_show(world: World) -> None:
    s = build(world)
    body = Client().get(f"{API}/{s.campaign.year}/photos").json()
    assert [(a["title"], [p["id"] for p in a["photos"]]) for a in body] == [("红色经典诵读", [s.photo.pk])]
    response = world.client("ma").post(
        f"{API}/photos/{s.photo.pk}/takedown",
        {"name": "马家长", "contact": "13800000001", "reason": "请撤下"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert Client().get(f"{API}/{s.campaign.year}/photos").json() == []


@pytest.mark.parametrize("name", PERSONAS)
def test_approvals_in_the_api_check_the_same_rights(world: World, name: str) -> None:
    s = build(world)
    target = Evidence.objects.get(activity=s.reading, exhibition_approved=False)
    response = world.client(name).post(
        f"{API}/approvals", {"photo_ids": [target.pk], "approved": True}, content_type="application/json"
    )
    target.refresh_from_db()
    if name in {"alice", "bella", "wang"}:
        assert (response.status_code, response.json(), target.exhibition_approved) == (
            200,
            {"changed": 1},
            True,
        )
    else:
        assert (response.status_code, target.exhibition_approved) == (403, False)
    assert not Takedown.objects.exists()
