import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chuangyou.audit.models import AuditEntry
from chuangyou.campaigns.models import Assignment, Campaign, Phase, ResourceLine
from chuangyou.testing import PERSONAS, PINNED_TODAY, World

API = "/api/v1/schools/yizhong/campaigns"
YEAR = PINNED_TODAY.year
PLAN = f"{API}/{YEAR}"


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(url)
    return call(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def plan(world: World) -> dict[str, Any]:
    response = _send(world.client("wang"), "post", API, {"year": YEAR, "title": "方案", "theme": "树先锋"})
    assert response.status_code == 201
    return response.json()  # type: ignore[no-any-return]


def test_create_returns_the_plan_with_default_phases(world: World, plan: dict[str, Any]) -> None:
    assert plan["year"] == YEAR
    assert plan["theme"] == "树先锋"
    assert [p["name"] for p in plan["phases"]] == ["动员部署", "全面争创", "对标定位", "总结完善"]
    today = timezone.localdate()
    current = [p["name"] for p in plan["phases"] if p["status"] == "current"]
    assert current == [plan["current_phase"]]
    assert plan["current_phase"] == Campaign.objects.get().current_phase(today).name  # type: ignore[union-attr]
    assert plan["funds_total"] == "0.00"
    assert plan["assignment_counts"] == {"all": 0, "open": 0, "overdue": 0, "done": 0}
    again = _send(world.client("wang"), "post", API, {"year": YEAR, "title": "方案", "theme": "树先锋"})
    assert again.status_code == 409
    assert again.json() == {"detail": f"{YEAR} 年度的活动方案已经存在。"}


def test_phase_update_is_checked_and_patch_keeps_other_fields(world: World, plan: dict[str, Any]) -> None:
    client = world.client("bella")
    first, second = plan["phases"][0], plan["phases"][1]
    bad = _send(client, "patch", f"{PLAN}/phases/{second['id']}", {"starts_on": first["starts_on"]})
    assert bad.status_code == 422
    assert bad.json()["detail"].startswith(f"「全面争创」须在「动员部署」结束（{first['ends_on']}）之后开始")
    assert "starts_on" in bad.json()["errors"]
    ok = _send(client, "patch", f"{PLAN}/phases/{first['id']}", {"description": "召开专题动员大会"})
    assert ok.status_code == 200
    assert ok.json() | {"status": None} == first | {"description": "召开专题动员大会", "status": None}
    moved = _send(client, "post", f"{PLAN}/phases/{first['id']}/move", {"direction": "down"})
    assert [p["name"] for p in moved.json()] == ["全面争创", "动员部署", "对标定位", "总结完善"]
    assert moved.json()[0]["starts_on"] == first["starts_on"]
    far_away = {"name": "回头看", "starts_on": "2099-01-01", "ends_on": "2099-01-02"}
    added = _send(client, "post", f"{PLAN}/phases", far_away)
    assert added.status_code == 422
    assert _send(client, "delete", f"{PLAN}/phases/999999").status_code == 404
    assert _send(client, "delete", f"{PLAN}/phases/{first['id']}").status_code == 204
    assert Phase.objects.count() == 3


def test_assignments_done_reopen_and_overdue(world: World, plan: dict[str, Any]) -> None:
    client = world.client("wang")
    today = timezone.localdate()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    late = _send(
        client, "post", f"{PLAN}/assignments",
        {"title": "编写简报", "owner_id": world.staff_hu.pk, "deadline": yesterday,
         "phase_id": plan["phases"][0]["id"]},
    )  # fmt: skip
    assert late.status_code == 201
    assert late.json() | {"id": 0} == {
        "id": 0, "title": "编写简报", "description": "", "owner_id": world.staff_hu.pk, "owner_name": "胡班",
        "phase_id": plan["phases"][0]["id"], "deadline": yesterday, "done_on": None, "overdue": True,
    }  # fmt: skip
    _send(client, "post", f"{PLAN}/assignments", {"title": "公开承诺", "owner_id": world.staff_hu.pk,
                                                  "deadline": today.isoformat()})  # fmt: skip
    overdue = _send(client, "get", f"{PLAN}/assignments/overdue").json()
    assert [a["title"] for a in overdue] == ["编写简报"]
    listed = _send(client, "get", f"{PLAN}/assignments?status=open").json()
    assert listed["count"] == 2
    late_id = late.json()["id"]
    done = _send(client, "post", f"{PLAN}/assignments/{late_id}/done", {})
    assert done.json()["done_on"] == today.isoformat()
    assert done.json()["overdue"] is False
    twice = _send(client, "post", f"{PLAN}/assignments/{late_id}/done", {})
    assert twice.status_code == 409
    assert _send(client, "get", f"{PLAN}/assignments/overdue").json() == []
    reopened = _send(client, "post", f"{PLAN}/assignments/{late_id}/reopen")
    assert reopened.json()["done_on"] is None
    other_staff = world.oscar.staff.pk  # type: ignore[union-attr]
    refused = _send(client, "patch", f"{PLAN}/assignments/{late_id}", {"owner_id": other_staff})
    assert refused.status_code == 422
    assert refused.json()["detail"] == "负责人须是本校教职工。"
    assert _send(client, "delete", f"{PLAN}/assignments/{late_id}").status_code == 204
    assert list(Assignment.objects.values_list("title", flat=True)) == ["公开承诺"]


def test_resources_and_funds_total(world: World, plan: dict[str, Any]) -> None:
    client = world.client("alice")
    venue = _send(client, "post", f"{PLAN}/resources", {"kind": "venue", "name": "礼堂"})
    assert venue.status_code == 201
    funds = _send(client, "post", f"{PLAN}/resources", {"kind": "funds", "name": "奖金", "amount": "5000"})
    assert funds.json()["amount"] == "5000.00"
    patched = _send(client, "patch", f"{PLAN}/resources/{funds.json()['id']}", {"amount": "4500.5"})
    assert patched.json() | {"id": 0} == {
        "id": 0, "kind": "funds", "name": "奖金", "quantity": "", "amount": "4500.50", "notes": "",
    }  # fmt: skip
    no_amount = _send(client, "post", f"{PLAN}/resources", {"kind": "funds", "name": "杂费"})
    assert no_amount.status_code == 422
    assert no_amount.json()["detail"] == "经费须填写金额。"
    assert [r["name"] for r in _send(client, "get", f"{PLAN}/resources").json()] == ["礼堂", "奖金"]
    assert _send(client, "get", PLAN).json()["funds_total"] == "4500.50"


@pytest.mark.parametrize("name", PERSONAS)
def test_api_rights_match_the_pages(world: World, plan: dict[str, Any], name: str) -> None:
    client = world.client(name)

    def state() -> tuple[int, int, str]:
        return AuditEntry.objects.count(), ResourceLine.objects.count(), Campaign.objects.get().theme

    before = state()
    read = _send(client, "get", PLAN)
    listed = _send(client, "get", API)
    write = _send(client, "patch", PLAN, {"theme": "新主题"})
    if name in {"alice", "bella", "wang"}:
        assert (read.status_code, listed.status_code, write.status_code) == (200, 200, 200)
        assert Campaign.objects.get().theme == "新主题"
    elif name in {"su", "ju"}:
        assert (read.status_code, listed.status_code, write.status_code) == (200, 200, 403)
        assert write.json()["detail"] == "只有本校管理员、领导小组或工作小组成员可以修改活动方案。"
        assert state() == before
    else:
        assert (read.status_code, listed.status_code, write.status_code) == (403, 403, 403)
        assert state() == before


def test_anonymous_api_calls_are_refused(db: None, world: World) -> None:
    assert Client().get(API).status_code == 401
