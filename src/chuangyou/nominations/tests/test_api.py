import datetime as dt
import json
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from chuangyou.audit.models import AuditEntry
from chuangyou.nominations import services
from chuangyou.nominations.models import AwardType, Nomination, Objection
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, World

API = "/api/v1/schools/yizhong"
READ = "您没有权限查看本校的推荐。"


def _post(client: Client, url: str, body: dict[str, Any] | None = None, method: str = "post") -> Any:
    return getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")


def _second_student(world: World) -> Any:
    return org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="S009", name="丁同学", gender="M",
        guardians=[("丁家长", "13800000009")],
    )  # fmt: skip


AWARD = {
    "name": "三好学生", "code": "SH", "level": "school", "for_kind": "student", "quota_kind": "count",
    "quota_value": "1", "quota_unit": "class", "shortlist_ratio": "1",
}  # fmt: skip


def test_bottom_up_through_the_api(world: World) -> None:
    campaign_of(world)
    wang, hu, bella = world.client("wang"), world.client("hu"), world.client("bella")
    created = _post(wang, f"{API}/award-types", AWARD)
    assert created.status_code == 201
    award = created.json()
    assert (award["quota_text"], award["gates"], award["number_pattern"]) == (
        "每班 1 名",
        [],
        "{year}{school}{award}{serial:04d}",
    )
    gate = _post(
        wang, f"{API}/award-types/{award['id']}/gates", {"kind": "not_within_years", "params": {"years": 3}}
    )
    assert (gate.status_code, gate.json()["description"]) == (201, "N 年内未获同一奖项")
    body = {
        "award_type_id": award["id"],
        "year": 2026,
        "student_id": world.student_xiao.pk,
        "story": "热心助人",
    }
    n = _post(hu, f"{API}/nominations", body)
    assert n.status_code == 201
    nid = n.json()["id"]
    assert (n.json()["level"], n.json()["unit"], n.json()["status"]) == ("grade", "初一（1）班", "active")
    advanced = _post(wang, f"{API}/nominations/{nid}/advance", {"reason": "年级推荐"})
    assert advanced.json()["level"] == "school"
    chosen = _post(bella, f"{API}/nominations/{nid}/select", {"reason": "校评审通过"}).json()
    assert chosen["status"] == "selected"
    assert [(d["outcome"], d["by_label"]) for d in chosen["decisions"]] == [
        ("nominated", "胡班（T005）"), ("advanced", "王武（T003）"), ("selected", "白拉（T002）")
    ]  # fmt: skip
    # published on the day it starts, within the seats' term (they begin 30 days before the pinned day)
    with time_machine.travel(dt.datetime(2026, 10, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        notice = _post(wang, f"{API}/notices", {
            "year": 2026, "title": "三好学生公示", "basis": "实施方案", "starts_on": "2026-10-28",
            "office": "监督小组办公室", "phone": "0731-1234567", "address": "行政楼201",
            "nomination_ids": [nid],
        })  # fmt: skip
    assert notice.status_code == 201
    assert (notice.json()["ends_on"], notice.json()["state"]) == ("2026-11-03", "running")
    wang, bella = world.client("wang"), world.client("bella")  # the sessions went idle on the trip back
    assert notice.json()["rows"] == [
        {"nomination_id": nid, "nominee_name": "肖同学", "unit": "初一（1）班", "award_name": "三好学生",
         "status": "selected"}
    ]  # fmt: skip
    frozen = _post(bella, f"{API}/nominations/{nid}", {"story": "改"}, method="patch")
    assert (frozen.status_code, frozen.json()["detail"]) == (
        409,
        "「肖同学」已进入公示，推荐材料和决定不能再修改。",
    )
    assert _post(wang, f"{API}/award-types/{award['id']}", {"prize": "10"}, method="patch").json()[
        "detail"
    ] == ("「三好学生」已有人进入公示，奖项设置不能再修改。")


def test_quota_and_shortlist_hold_through_the_api(world: World) -> None:
    campaign = campaign_of(world)
    award = award_of(world, quota=1)
    services.update_award_type(actor=SYSTEM, award=award, shortlist_ratio=Decimal(1))
    ding = _second_student(world)
    hu = world.client("hu")
    first = _post(hu, f"{API}/nominations", {"award_type_id": award.pk, "year": 2026,
                                              "student_id": world.student_xiao.pk, "story": "x"})  # fmt: skip
    assert first.status_code == 201
    second = _post(hu, f"{API}/nominations", {"award_type_id": award.pk, "year": 2026,
                                               "student_id": ding.pk, "story": "x"})  # fmt: skip
    assert second.status_code == 409
    assert second.json()["detail"] == (
        "「优秀学生干部」在初一（1）班的年级级推荐名额（名额 1 名，差额比例 1:1.00）"
        "已满：最多 1 名，已有 1 名。"
    )
    assert Nomination.objects.count() == 1
    # Advancing beyond the next level's shortlist: ding was nominated while the quota was 2.
    services.update_award_type(actor=SYSTEM, award=award, quota_value=Decimal(2))
    n2 = services.nominate(actor=actor_for(world.hu), award=award, campaign=campaign, student=ding, story="x")
    services.update_award_type(actor=SYSTEM, award=award, quota_value=Decimal(1))
    wang = world.client("wang")
    n1 = Nomination.objects.exclude(pk=n2.pk).get()
    assert _post(wang, f"{API}/nominations/{n1.pk}/advance", {"reason": "ok"}).status_code == 200
    blocked = _post(wang, f"{API}/nominations/{n2.pk}/advance", {"reason": "ok"})
    assert blocked.json()["detail"] == (
        "「优秀学生干部」在初一（1）班的学校级推荐名额（名额 1 名，差额比例 1:1.00）"
        "已满：最多 1 名，已有 1 名。"
    )
    n2.refresh_from_db()
    assert n2.level == "grade"


def test_gate_holds_through_the_api(world: World) -> None:
    campaign_of(world)
    award = award_of(world)
    services.add_gate(actor=SYSTEM, award=award, kind="min_volunteer_hours", params={"hours": 20})
    body = {"award_type_id": award.pk, "year": 2026, "student_id": world.student_xiao.pk, "story": "x"}
    refused = _post(world.client("hu"), f"{API}/nominations", body)
    assert (refused.status_code, refused.json()["detail"]) == (
        422,
        "不符合评选条件：已认证志愿服务 0 小时，要求不少于 20 小时。",
    )
    assert not Nomination.objects.exists()


MANAGE = "只有工作小组、领导小组或学校管理员可以设置奖项。"


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_create_award_types(world: World, persona: str) -> None:
    before = AuditEntry.objects.count()
    response = _post(world.client(persona), f"{API}/award-types", AWARD)
    if persona in ("alice", "bella", "wang"):
        assert response.status_code == 201
        assert AwardType.objects.get().name == "三好学生"
    else:
        assert (response.status_code, response.json()["detail"]) == (403, MANAGE)
        assert (AwardType.objects.count(), AuditEntry.objects.count()) == (0, before)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_install_presets(world: World, persona: str) -> None:
    response = _post(world.client(persona), f"{API}/award-types/presets", {})
    if persona in ("alice", "bella", "wang"):
        assert response.status_code == 201
        assert [a["name"] for a in response.json()][:3] == ["三好学生", "优秀学生干部", "学科第一名"]
        assert AwardType.objects.count() == 14
    else:
        assert (response.status_code, response.json()["detail"]) == (403, MANAGE)
        assert AwardType.objects.count() == 0


ADVANCE_REFUSAL = {
    "tian": READ, "xiao": READ, "ming": READ, "ma": READ, "oscar": READ,
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_advance_at_grade_level(world: World, persona: str) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = services.nominate(
        actor=actor_for(world.hu), award=award, campaign=campaign, student=world.student_xiao, story="x"
    )
    before = AuditEntry.objects.count()
    response = _post(world.client(persona), f"{API}/nominations/{n.pk}/advance", {"reason": "ok"})
    n.refresh_from_db()
    if persona in ("alice", "wang"):
        assert (response.status_code, n.level) == (200, "school")
    else:
        detail = ADVANCE_REFUSAL.get(persona, "您不是这一层级的推荐人，不能对这条推荐作出决定。")
        assert (response.status_code, response.json()["detail"]) == (403, detail)
        assert (n.level, AuditEntry.objects.count()) == ("grade", before)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_publish_a_notice(world: World, persona: str) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    body = {
        "year": 2026, "title": "公示", "basis": "方案", "starts_on": "2026-11-23", "office": "监督小组",
        "phone": "1", "address": "行政楼", "nomination_ids": [n.pk],
    }  # fmt: skip
    response = _post(world.client(persona), f"{API}/notices", body)
    n.refresh_from_db()
    if persona in ("alice", "bella", "wang"):
        assert (response.status_code, response.json()["ends_on"]) == (201, "2026-11-27")
    else:
        detail = READ if persona in ADVANCE_REFUSAL else "只有工作小组、领导小组或学校管理员可以发布公示。"
        assert (response.status_code, response.json()["detail"]) == (403, detail)
        assert n.notice_id is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_supervision_group_handles_objections(world: World, persona: str) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    notice = notice_for(world, campaign, [n], dt.date(2026, 11, 20))
    o, _code = services.file_objection(
        notice=notice, nomination=n, anonymous=False, name="张三", phone="139", grounds="材料不实",
        today=dt.date(2026, 11, 21),
    )  # fmt: skip
    response = _post(world.client(persona), f"{API}/objections/{o.pk}/steps", {"to_status": "accepted"})
    o.refresh_from_db()
    if persona == "su":
        assert (response.status_code, response.json()["status"]) == (200, "accepted")
        assert [s["to_status"] for s in response.json()["steps"]] == ["received", "accepted"]
    else:
        detail = (
            "只有监督小组可以办理异议。"
            if persona in ("bella", "ju")
            else "只有监督小组、领导小组和教育局可以查看异议。"
        )
        assert (response.status_code, response.json()["detail"]) == (403, detail)
        assert (o.status, o.steps.count()) == ("received", 1)


def test_objection_steps_through_the_api(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    notice = notice_for(world, campaign, [n], dt.date(2026, 11, 20))
    o, _code = services.file_objection(
        notice=notice, nomination=n, anonymous=False, name="张三", phone="139", grounds="材料不实",
        today=dt.date(2026, 11, 21),
    )  # fmt: skip
    su, url = world.client("su"), f"{API}/objections/{o.pk}/steps"
    assert _post(su, url, {"to_status": "upheld", "note": "x"}).json()["detail"] == (
        "这件异议现在是「待受理」，不能直接转为「成立」。"
    )
    steps = [
        {"to_status": "accepted"}, {"to_status": "verifying"}, {"to_status": "rejected", "note": "属实"},
        {"to_status": "replied", "reply": "经核实，异议不成立。"}, {"to_status": "archived"},
    ]  # fmt: skip
    for step in steps:
        assert _post(su, url, step).status_code == 200
    got = world.client("su").get(f"{API}/objections/{o.pk}").json()
    assert (got["status"], got["outcome"], got["reply"]) == ("archived", "rejected", "经核实，异议不成立。")
    assert Objection.objects.get().is_closed


def test_the_api_refuses_two_nominees_at_once(world: World) -> None:
    campaign_of(world)
    award = _post(world.client("wang"), f"{API}/award-types", AWARD).json()
    body = {
        "award_type_id": award["id"],
        "year": 2026,
        "student_id": world.student_xiao.pk,
        "staff_id": world.staff_hu.pk,
        "story": "热心助人",
    }
    refused = _post(world.client("alice"), f"{API}/nominations", body)
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "请在学生、教职工、班级中选择一个被推荐对象。",
        "errors": {"nominee": ["必须且只能选一个。"]},
    }
    assert not Nomination.objects.exists()


def test_a_notice_cannot_start_before_the_day_it_is_published(world: World) -> None:
    """Backdated, its working days would have passed unseen: refused on the API and the page."""
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    body = {
        "year": 2026, "title": "公示", "basis": "方案", "starts_on": "2026-11-20", "office": "监督小组",
        "phone": "1", "address": "行政楼", "nomination_ids": [n.pk],
    }  # fmt: skip
    before = AuditEntry.objects.count()
    response = _post(world.client("wang"), f"{API}/notices", body)
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "公示开始日期不能早于发布当天（2026-11-21）。",
    )
    page = world.client("wang").post(
        "/school/yizhong/nominations/notices/",
        {**body, "working_days": 5, "nominations": [n.pk]},
    )
    assert "公示开始日期不能早于发布当天（2026-11-21）。" in page.content.decode()
    assert 'min="2026-11-21"' in page.content.decode()
    n.refresh_from_db()
    assert (n.notice_id, AuditEntry.objects.count()) == (None, before)
    today = _post(world.client("wang"), f"{API}/notices", body | {"starts_on": "2026-11-21"})
    assert (today.status_code, today.json()["ends_on"]) == (201, "2026-11-27")
