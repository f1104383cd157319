from __future__ import annotations

import pytest
from django.test import Client

from chuangyou.activities.models import Evidence
from chuangyou.audit.models import AuditEntry
from chuangyou.exhibition import services
from chuangyou.exhibition.models import Takedown, TakedownStatus
from chuangyou.org.rules import actor_for
from chuangyou.reports.tests.scenario import Scenario, build
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


def asked_down(world: World) -> tuple[Scenario, Takedown]:
    s = build(world)
    takedown = services.request_takedown(
        actor=actor_for(world.ma),
        school=world.school,
        evidence_id=s.photo.pk,
        name="马家长",
        contact="13800000001",
        reason="孩子正脸",
    )
    return s, takedown


def test_the_working_group_lists_and_restores_a_photo(world: World) -> None:
    s, takedown = asked_down(world)
    client = world.client("wang")
    listed = client.get(f"{API}/takedowns", {"status": "pending"}).json()
    assert [
        (t["id"], t["evidence_id"], t["activity"], t["name"], t["contact"], t["status"], t["handled_by"])
        for t in listed
    ] == [(takedown.pk, s.photo.pk, "红色经典诵读", "马家长", "13800000001", "pending", None)]
    response = client.post(
        f"{API}/takedowns/{takedown.pk}/restore",
        {"reply": "已核实，合影无正脸"},
        content_type="application/json",
    )
    body = response.json()
    assert (response.status_code, body["status"], body["reply"], body["handled_by"]) == (
        200,
        "kept",
        "已核实，合影无正脸",
        "王武",
    )
    gallery = Client().get(f"{API}/{s.campaign.year}/photos").json()
    assert [p["id"] for a in gallery for p in a["photos"]] == [s.photo.pk]
    assert client.get(f"{API}/takedowns", {"status": "pending"}).json() == []
    again = client.post(f"{API}/takedowns/{takedown.pk}/remove", {}, content_type="application/json")
    assert again.status_code == 409
    assert Takedown.objects.get().status == TakedownStatus.KEPT


def test_a_removed_photo_stays_off_the_exhibition(world: World) -> None:
    s, takedown = asked_down(world)
    response = world.client("bella").post(
        f"{API}/takedowns/{takedown.pk}/remove", {}, content_type="application/json"
    )
    assert (response.status_code, response.json()["status"]) == (200, "removed")
    assert Client().get(f"{API}/{s.campaign.year}/photos").json() == []
    assert AuditEntry.objects.filter(action="exhibition.takedown_remove").count() == 1


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("decision", ["remove", "restore"])
def test_only_the_office_handles_takedowns_in_the_api(world: World, name: str, decision: str) -> None:
    _s, takedown = asked_down(world)
    before = AuditEntry.objects.count()
    client = world.client(name)
    listed = client.get(f"{API}/takedowns")
    response = client.post(f"{API}/takedowns/{takedown.pk}/{decision}", {}, content_type="application/json")
    takedown.refresh_from_db()
    if name in {"alice", "bella", "wang"}:
        assert [t["id"] for t in listed.json()] == [takedown.pk]
        assert (response.status_code, takedown.status) == (200, "removed" if decision == "remove" else "kept")
    else:
        assert (listed.status_code, response.status_code) == (403, 403)
        assert (takedown.status, takedown.handled_by_id) == (TakedownStatus.PENDING, None)
        assert AuditEntry.objects.count() == before


def test_takedown_requests_in_the_api_share_the_pages_limit_per_address(world: World) -> None:
    from django.test import override_settings

    s = build(world)
    client = world.client("ma")
    body = {"name": "马家长", "contact": "13800000001", "reason": "请撤下"}
    url = f"{API}/photos/{s.photo.pk}/takedown"
    with override_settings(TAKEDOWNS_PER_HOUR=1):
        assert client.post(url, body, content_type="application/json").status_code == 201
        refused = client.post(url, body, content_type="application/json")
    assert (refused.status_code, refused.json()) == (
        429,
        {"detail": "提交过于频繁，请一小时后再试，或直接联系学校。"},
    )
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert Takedown.objects.count() == 1
