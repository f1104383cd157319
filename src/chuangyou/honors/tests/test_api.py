import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from chuangyou.audit.models import AuditEntry
from chuangyou.honors import certificates, services
from chuangyou.honors.models import Honor, PrizeBudget
from chuangyou.nominations.models import Notice
from chuangyou.nominations.tests.helpers import award_of, campaign_of, funds_line, notice_for, selected
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, World

API = "/api/v1/schools/yizhong"
READ_NOMINATIONS = "您没有权限查看本校的推荐。"
READ_HONORS = "您没有权限查看本校的表彰。"
OUTSIDERS = ("hu", "tian", "xiao", "ming", "ma", "oscar")


def _post(client: Client, url: str, body: dict[str, Any] | None = None, method: str = "post") -> Any:
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def _ended_notice(world: World, prize: str = "0", budget: str | None = None) -> Notice:
    campaign = campaign_of(world)
    line = funds_line(campaign, "100") if budget is not None else None
    award = award_of(world, prize=prize, line=line)
    if line is not None and budget is not None:
        services.set_budget(actor=actor_for(world.wang), line=line, amount=Decimal(budget))
    ding = org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="S009", name="丁同学", gender="M",
        guardians=[("丁家长", "13800000009")],
    )  # fmt: skip
    noms = [selected(world, award, campaign), selected(world, award, campaign, ding)]
    return notice_for(world, campaign, noms, dt.date(2026, 9, 28))  # ended 2026-10-09


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_issue(world: World, persona: str) -> None:
    notice = _ended_notice(world)
    before = AuditEntry.objects.count()
    response = _post(world.client(persona), f"{API}/notices/{notice.pk}/issue")
    if persona in ("alice", "bella"):
        assert response.status_code == 201
        assert [(h["number"], h["name"]) for h in response.json()] == [
            ("2026yizhongGB0001", "肖同学"), ("2026yizhongGB0002", "丁同学")
        ]  # fmt: skip
    else:
        detail = READ_NOMINATIONS if persona in OUTSIDERS else "只有领导小组或学校管理员可以颁发和撤销荣誉。"
        assert (response.status_code, response.json()["detail"]) == (403, detail)
        assert (Honor.objects.count(), AuditEntry.objects.count()) == (0, before)


def test_budget_cannot_be_bypassed_through_the_api(world: World) -> None:
    notice = _ended_notice(world, prize="100", budget="100")
    bella, wang = world.client("bella"), world.client("wang")
    refused = _post(bella, f"{API}/notices/{notice.pk}/issue")
    assert (refused.status_code, refused.json()["detail"]) == (
        409,
        "奖金预算不足：「表彰奖金」预算 100.00 元，已承诺 0 元，本次需 200.00 元，超出 100.00 元。"
        "请领导小组追加预算后再颁发。",
    )
    assert not Honor.objects.exists()
    line_id = PrizeBudget.objects.get().line_id
    raised = _post(wang, f"{API}/prize-budgets/{line_id}", {"amount": "200"}, method="put")
    assert (raised.status_code, raised.json()["detail"]) == (
        409, "奖金预算不能超过方案中该经费项的金额 100.00 元；追加预算须由领导小组决定。"
    )  # fmt: skip
    assert PrizeBudget.objects.get().amount == Decimal(100)
    raised = _post(bella, f"{API}/prize-budgets/{line_id}", {"amount": "200"}, method="put")
    assert raised.json() == {"line_id": line_id, "amount": "200.00"}
    assert AuditEntry.objects.filter(action="prize_budget.raise").count() == 1
    assert _post(bella, f"{API}/notices/{notice.pk}/issue").status_code == 201
    ledger = wang.get(f"{API}/prize-ledger").json()
    assert ledger == [{"line_id": line_id, "name": "表彰奖金", "budget": "200.00", "committed": "200.00",
                       "paid": "0.00", "remaining": "0.00"}]  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_raise_the_budget(world: World, persona: str) -> None:
    line = funds_line(campaign_of(world), "100")
    services.set_budget(actor=SYSTEM, line=line, amount=Decimal(100))
    response = _post(world.client(persona), f"{API}/prize-budgets/{line.pk}", {"amount": "150"}, method="put")
    amount = PrizeBudget.objects.get().amount
    if persona == "bella":
        assert (response.status_code, amount) == (200, Decimal(150))
    else:
        detail = (
            "奖金预算不能超过方案中该经费项的金额 100.00 元；追加预算须由领导小组决定。"
            if persona in ("alice", "wang")
            else "只有工作小组、领导小组或学校管理员可以管理奖金。"
        )
        assert (response.status_code, response.json()["detail"], amount) == (
            403 if persona not in ("alice", "wang") else 409, detail, Decimal(100)
        )  # fmt: skip


def test_certificate_revoke_verify_and_roll(world: World) -> None:
    notice = _ended_notice(world)
    alice = world.client("alice")
    [first, _second] = _post(alice, f"{API}/notices/{notice.pk}/issue").json()
    pdf = alice.get(first["certificate_url"])
    assert pdf["Content-Type"] == "application/pdf"
    assert "2026yizhongGB0001" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert world.client("xiao").get(first["certificate_url"]).status_code == 200  # her own
    assert world.client("ming").get(first["certificate_url"]).json()["detail"] == "您没有权限查看这张证书。"
    token = certificates.sign_number("2026yizhongGB0001")
    anonymous = Client()
    genuine = anonymous.get(f"{API}/certificates/verify", {"c": token}).json()
    assert (genuine["verdict"], genuine["name"], genuine["award"]) == ("genuine", "肖同学", "优秀学生干部")
    forged = anonymous.get(f"{API}/certificates/verify", {"c": "2026yizhongGB0002:" + token.split(":")[1]})
    assert forged.json()["verdict"] == "not_found"
    assert (
        _post(alice, f"{API}/honors/{first['id']}/revoke", {"reason": " "}).json()["detail"]
        == "撤销须写明原因。"
    )
    revoked = _post(alice, f"{API}/honors/{first['id']}/revoke", {"reason": "材料造假"}).json()
    assert revoked["revoked_reason"] == "材料造假"
    after = anonymous.get(f"{API}/certificates/verify", {"c": token}).json()
    assert (after["verdict"], after["revoked_reason"]) == ("revoked", "材料造假")
    roll = anonymous.get(f"{API}/honor-roll/2026").json()
    assert roll == {"school": "示例县第一中学", "year": 2026, "awards": [
        {"award": "优秀学生干部", "honors": [{"name": "丁同学", "unit": "初一（1）班", "citation": "",
                                             "has_photo": False}]},
    ]}  # fmt: skip
