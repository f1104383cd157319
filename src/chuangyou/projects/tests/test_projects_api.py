import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chuangyou.audit.models import AuditEntry
from chuangyou.projects.models import Call, PanelMember, Proposal, Recusal
from chuangyou.projects.tests.conftest import staff_of
from chuangyou.testing import PERSONAS, World

API = "/api/v1/schools/yizhong/projects"
CALL = {
    "title": "创新项目征集", "semester": "2026 秋季学期", "opens_on": "2020-01-01", "closes_on": "2099-12-31",
    "budget": "5000", "per_project_cap": "3000",
}  # fmt: skip


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    call = getattr(client, method)
    if body is None:
        return call(url)
    return call(url, data=json.dumps(body), content_type="application/json")


def test_the_whole_flow_through_the_api(world: World) -> None:
    wang, xiao = world.client("wang"), world.client("xiao")
    created = _send(wang, "post", f"{API}/calls", CALL)
    assert created.status_code == 201
    call = created.json()
    assert (call["budget"], call["granted"], call["remaining"], call["min_panel_size"]) == (
        "5000.00", "0.00", "5000.00", 3,
    )  # fmt: skip
    again = _send(wang, "post", f"{API}/calls", CALL)
    assert again.status_code == 409
    assert again.json() == {"detail": "2026 秋季学期已经有创新项目征集了：每学期评选一次。"}

    body = {
        "title": "校园雨水回收装置", "abstract": "简介", "plan": "计划", "budget_request": "2000",
        "advisor_id": staff_of(world.tian).pk, "member_student_nos": ["S002"],
    }  # fmt: skip
    draft = _send(xiao, "post", f"{API}/calls/{call['id']}/proposals", body)
    assert draft.status_code == 201
    proposal = draft.json()
    assert proposal["status"] == "draft"
    assert [(t["name"], t["is_lead"]) for t in proposal["team"]] == [("肖同学", True), ("明同学", False)]
    url = f"{API}/proposals/{proposal['id']}"
    too_much = _send(xiao, "patch", url, {"budget_request": "3000.01"})
    assert too_much.status_code == 422
    assert too_much.json()["errors"] == {
        "budget_request": ["申请经费不能超过本次征集的单项上限 3000.00 元。"]
    }
    patched = _send(xiao, "patch", url, {"title": "雨水回收 2.0"})
    assert (patched.json()["title"], patched.json()["budget_request"], len(patched.json()["team"])) == (
        "雨水回收 2.0", "2000.00", 2,
    )  # fmt: skip
    upload = xiao.post(f"{url}/attachments", {"file": SimpleUploadedFile("计划书.pdf", b"%PDF-1.4 plan")})
    assert upload.status_code == 201
    assert upload.json()["name"] == "计划书.pdf"
    download = world.client("tian").get(f"{url}/attachments/{upload.json()['id']}")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    assert _send(xiao, "post", f"{url}/submit").json()["status"] == "submitted"
    frozen = _send(xiao, "patch", url, {"title": "再改"})
    assert frozen.status_code == 409

    staff = [world.staff_hu.pk, staff_of(world.su).pk, staff_of(world.tian).pk]
    panel = _send(wang, "put", f"{API}/calls/{call['id']}/panel", {"staff_ids": staff})
    assert sorted(m["staff_id"] for m in panel.json()) == sorted(staff)
    opened = _send(wang, "post", f"{API}/calls/{call['id']}/review")
    assert [p["status"] for p in opened.json()] == ["under_review"]
    recusals = _send(world.client("su"), "get", f"{API}/calls/{call['id']}/recusals").json()
    assert [(r["staff_name"], r["reason"]) for r in recusals] == [("田师", "指导教师回避")]
    assert _send(xiao, "get", f"{API}/calls/{call['id']}/recusals").status_code == 403

    decision = {"decision": "funded", "amount": "1800", "rank": 1, "total": "91.5", "reason": "评审会纪要"}
    decided = _send(wang, "post", f"{url}/decision", decision)
    assert decided.status_code == 200
    result = decided.json()
    assert (result["status"], result["amount_granted"], result["panel_rank"], result["panel_total"]) == (
        "funded", "1800.00", 1, "91.50",
    )  # fmt: skip
    assert [(h["from_status"], h["to_status"], h["reason"]) for h in result["history"]] == [
        ("", "draft", ""), ("draft", "submitted", "申报人提交"), ("submitted", "under_review", "评审开始"),
        ("under_review", "funded", "评审会纪要"),
    ]  # fmt: skip
    assert _send(wang, "post", f"{url}/decision", decision).status_code == 409
    assert _send(wang, "get", f"{API}/calls/{call['id']}").json()["remaining"] == "3200.00"
    mine = _send(world.client("ming"), "get", f"{API}/proposals").json()
    assert [(p["title"], p["status"]) for p in mine["items"]] == [("雨水回收 2.0", "funded")]


@pytest.fixture
def under_review_api(world: World) -> dict[str, Any]:
    call = _send(world.client("wang"), "post", f"{API}/calls", CALL).json()
    body = {
        "title": "校园雨水回收装置", "abstract": "简介", "plan": "计划", "budget_request": "2000",
        "advisor_id": staff_of(world.tian).pk,
    }  # fmt: skip
    proposal = _send(world.client("xiao"), "post", f"{API}/calls/{call['id']}/proposals", body).json()
    _send(world.client("xiao"), "post", f"{API}/proposals/{proposal['id']}/submit")
    staff = [world.staff_hu.pk, staff_of(world.su).pk, staff_of(world.bella).pk]
    _send(world.client("wang"), "put", f"{API}/calls/{call['id']}/panel", {"staff_ids": staff})
    _send(world.client("wang"), "post", f"{API}/calls/{call['id']}/review")
    return {"call": call, "proposal": proposal}


def _state() -> tuple[object, ...]:
    return (
        list(Call.objects.values_list("semester", "budget", "review_opened_at")),
        list(Proposal.objects.values_list("status", "amount_granted")),
        sorted(PanelMember.objects.values_list("staff_id", flat=True)),
        Recusal.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_api_writes_are_checked_like_the_pages(
    world: World, under_review_api: dict[str, Any], name: str
) -> None:
    client = world.client(name)
    call_id, proposal_id = under_review_api["call"]["id"], under_review_api["proposal"]["id"]
    before = _state()
    decision = {"decision": "not_funded", "reason": "纪要"}
    decided = _send(client, "post", f"{API}/proposals/{proposal_id}/decision", decision)
    edited = _send(client, "patch", f"{API}/calls/{call_id}", {"budget": "9000"})
    if name in {"alice", "bella", "wang"}:
        assert (decided.status_code, edited.status_code) == (200, 200)
        assert list(Proposal.objects.values_list("status", "amount_granted")) == [("not_funded", None)]
        assert Call.objects.get().budget == Decimal("9000.00")
    else:
        assert (decided.status_code, edited.status_code) == (403, 403)
        assert _state() == before
