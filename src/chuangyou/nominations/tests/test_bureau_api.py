"""The bureau's API (/api/v1/bureaus/{code}/...) and the evidence download: the services' checks, through
HTTP; quotas hold through the school API too."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from chuangyou.audit.models import AuditEntry
from chuangyou.honors.models import Honor
from chuangyou.nominations import services
from chuangyou.nominations.models import AwardType, Nomination, Notice, Objection
from chuangyou.nominations.tests.bureau_helpers import DURING, bureau_notice, scenario, sent_up
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.org.rules import actor_for
from chuangyou.testing import PERSONAS, World

API = "/api/v1/bureaus/county"
AWARD = {
    "name": "县级优秀学生", "code": "XJ", "quota_value": "1", "quota_unit": "bureau", "school_send_quota": 1,
    "shortlist_ratio": "2",
}  # fmt: skip


def _post(client: Client, url: str, body: dict[str, Any] | None = None, method: str = "post") -> Any:
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


@pytest.mark.parametrize("name", PERSONAS)
def test_bureau_award_types_through_the_api(world: World, name: str) -> None:
    client = world.client(name)
    before = AuditEntry.objects.count()
    created = _post(client, f"{API}/award-types", AWARD)
    listing = client.get(f"{API}/award-types")
    if name != "ju":
        assert (created.status_code, listing.status_code) == (403, 403)
        assert created.json() == {"detail": "只有本局管理员可以设置教育局级奖项。"}
        assert (AwardType.objects.count(), AuditEntry.objects.count()) == (0, before)
        return
    assert created.status_code == 201
    body = created.json()
    assert (body["level"], body["quota_text"], body["school_send_quota"], body["is_bureau_award"]) == (
        "bureau", "全局 1 名", 1, True
    )  # fmt: skip
    assert [a["name"] for a in listing.json()] == ["县级优秀学生"]
    patched = _post(client, f"{API}/award-types/{body['id']}", {"quota_value": "2"}, "patch")
    assert (patched.status_code, patched.json()["quota_text"]) == (200, "全局 2 名")
    bad = _post(client, f"{API}/award-types", {**AWARD, "name": "另一个", "school_send_quota": None})
    assert (bad.status_code, bad.json()["detail"]) == (
        422, "按全局名额评选时，须设定每校报送名额（至少 1 名）。"
    )  # fmt: skip


def test_quotas_hold_through_the_apis(world: World) -> None:
    b = scenario(world, quota=1, send=1, ratio="2")
    xiao = sent_up(world, b.award, b.yz, world.student_xiao)
    ez = sent_up(world, b.award, b.ez, b.ez_student)
    ming = services.advance(
        actor=actor_for(world.wang),
        nomination=services.nominate(
            actor=actor_for(world.wang),
            award=b.award,
            campaign=b.yz,
            student=world.student_ming,
            story="事迹",
        ),
        reason="年级推荐",
    )
    # The school's leader can't send a second one up: yizhong's send-up quota is 1.
    sent = _post(
        world.client("bella"), f"/api/v1/schools/yizhong/nominations/{ming.pk}/advance", {"reason": "报送"}
    )
    assert sent.status_code == 409
    assert sent.json()["detail"].endswith("已满：最多 1 名，已有 1 名。")
    ju = world.client("ju")
    ok = _post(ju, f"/api/v1/schools/erzhong/nominations/{ez.pk}/select", {"reason": "排名第一"})
    assert (ok.status_code, ok.json()["status"]) == (200, "selected")
    full = _post(ju, f"/api/v1/schools/yizhong/nominations/{xiao.pk}/select", {"reason": "也入选"})
    assert (full.status_code, full.json()["detail"]) == (
        409, "「县级优秀学生」在全局的入选名额已满：最多 1 名，已有 1 名。"
    )  # fmt: skip
    assert list(Nomination.objects.order_by("pk").values_list("level", "status")) == [
        ("bureau", "active"), ("bureau", "selected"), ("school", "active")
    ]  # fmt: skip
    ranking = ju.get(f"{API}/award-types/{b.award.pk}/ranking?year=2026")
    assert [(r["rank"], r["nominee_name"], r["school_code"], r["status"]) for r in ranking.json()] == [
        (1, "王二中", "erzhong", "selected"),
        (2, "肖同学", "yizhong", "active"),
    ]
    assert ranking.json()[0]["decided_by"] == "局管理员（ju）"
    assert world.client("alice").get(f"{API}/award-types/{b.award.pk}/ranking?year=2026").status_code == 403


@pytest.mark.parametrize("name", PERSONAS)
def test_bureau_notice_objections_and_issuing_through_the_api(world: World, name: str) -> None:
    b = scenario(world, unit="school", quota=1, ratio="1")
    ju = actor_for(world.ju)
    noms = [
        services.select(actor=ju, nomination=sent_up(world, b.award, c, s), reason="入选")
        for c, s in ((b.yz, world.student_xiao), (b.ez, b.ez_student))
    ]
    client = world.client(name)
    before = AuditEntry.objects.count()
    body = {
        "year": 2026, "title": "县级优秀学生公示", "basis": "表彰办法", "starts_on": "2026-10-28",
        "office": "县教育局监督室", "phone": "0731-7654321", "address": "县教育局三楼",
        "nomination_ids": [n.pk for n in noms],
    }  # fmt: skip
    # published the day it starts, in October, so that it has ended by the pinned day
    with time_machine.travel(dt.datetime(2026, 10, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        published = _post(client, f"{API}/notices", body)
    client = world.client(name)  # the session went idle on the trip back
    if name != "ju":
        assert published.status_code == 403
        assert (Notice.objects.count(), AuditEntry.objects.count()) == (0, before)
        return
    assert published.status_code == 201
    out = published.json()
    assert (out["ends_on"], out["campaign_year"], [r["nominee_name"] for r in out["rows"]]) == (
        "2026-11-03", 2026, ["肖同学", "王二中"]
    )  # fmt: skip
    notice = Notice.objects.get()
    o, _code = services.file_objection(
        notice=notice, nomination=noms[0], anonymous=False, name="张三", phone="13700000000",
        grounds="有违纪记录。", today=dt.date(2026, 10, 30),
    )  # fmt: skip
    steps = _post(client, f"{API}/objections/{o.pk}/steps", {"to_status": "accepted"})
    assert (steps.status_code, steps.json()["status"], steps.json()["school_code"]) == (
        200,
        "accepted",
        "yizhong",
    )
    listed = client.get(f"{API}/objections")
    assert [x["id"] for x in listed.json()["items"]] == [o.pk]
    # The notice has ended (it ran in 2026); xiao's objection is still open, so only 王二中 is issued.
    issued = _post(client, f"{API}/notices/{notice.pk}/issue")
    year = timezone.localdate().year
    assert (issued.status_code, issued.json()) == (
        201, [{"id": Honor.objects.get().pk, "number": f"{year}countyXJ0001", "name": "王二中",
               "unit": "初一（1）班", "school_code": "erzhong"}],
    )  # fmt: skip


def _objection_with_evidence(world: World, *, bureau: bool) -> Objection:
    if bureau:
        b = scenario(world, unit="school", quota=1, ratio="1")
        n = services.select(
            actor=actor_for(world.ju),
            nomination=sent_up(world, b.award, b.yz, world.student_xiao),
            reason="入选",
        )
        notice = bureau_notice(world, [n])
    else:
        campaign = campaign_of(world)
        n = selected(world, award_of(world), campaign)
        notice = notice_for(world, campaign, [n], DURING)
    o, _code = services.file_objection(
        notice=notice, nomination=n, anonymous=False, name="张三", phone="13700000000",
        grounds="有违纪记录。", today=DURING,
    )  # fmt: skip
    o.evidence.save("proof.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    return o


@pytest.mark.parametrize("name", PERSONAS)
def test_the_supervision_group_downloads_an_objections_evidence(world: World, name: str) -> None:
    o = _objection_with_evidence(world, bureau=False)
    client = world.client(name)
    page = client.get(f"/school/yizhong/nominations/objections/{o.pk}/evidence/")
    api = client.get(f"/api/v1/schools/yizhong/objections/{o.pk}/evidence")
    if name == "su":
        for response in (page, api):
            assert response.status_code == 200
            assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
            assert response["Content-Disposition"].startswith("attachment;")
    else:
        assert page.status_code in (403, 404)
        assert api.status_code in (403, 404)


@pytest.mark.parametrize("name", PERSONAS)
def test_the_bureau_admin_downloads_a_bureau_objections_evidence(world: World, name: str) -> None:
    o = _objection_with_evidence(world, bureau=True)
    client = world.client(name)
    api = client.get(f"{API}/objections/{o.pk}/evidence")
    school_api = client.get(f"/api/v1/schools/yizhong/objections/{o.pk}/evidence")
    assert school_api.status_code in (403, 404)  # not through the school, whose nominee it concerns
    if name == "ju":
        assert api.status_code == 200
        assert b"".join(api.streaming_content) == b"%PDF-1.4 evidence"
    else:
        assert api.status_code == 403
