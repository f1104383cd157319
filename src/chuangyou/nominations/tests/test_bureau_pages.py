"""The bureau admin's pages under /bureau/<code>/nominations/: only ju, through the same services as the
bureau API; refusals change nothing; the quota's Chinese message shows on the page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import Client

from chuangyou.audit.models import AuditEntry
from chuangyou.honors.models import Honor
from chuangyou.nominations import services
from chuangyou.nominations.models import AwardType, Gate, Nomination, Notice, Objection
from chuangyou.nominations.tests.bureau_helpers import DURING, bureau_notice, scenario, sent_up
from chuangyou.org.rules import actor_for
from chuangyou.testing import PERSONAS, World

BASE = "/bureau/county/nominations"
AWARD_FORM = {
    "name": "县级优秀教师", "code": "JS", "for_kind": "teacher", "quota_unit": "bureau",
    "quota_kind": "count", "quota_value": "3", "school_send_quota": "1", "shortlist_ratio": "1.5",
    "number_pattern": "{year}{bureau}{award}{serial:04d}", "certificate_reason": "表现突出",
    "is_active": "on",
}  # fmt: skip
NOTICE_FORM = {
    "year": "2026", "title": "县级优秀学生公示", "basis": "表彰办法", "starts_on": "2026-11-23",
    "working_days": "5", "office": "县教育局监督室", "phone": "0731-7654321", "address": "县教育局三楼",
}  # fmt: skip


@dataclass
class Setup:
    award: AwardType
    xiao: Nomination  # yizhong's, sent up, still to decide
    ez: Nomination  # erzhong's, selected and on the notice
    notice: Notice
    objection: Objection


def _setup(world: World) -> Setup:
    b = scenario(world, unit="school", quota=1, ratio="1")
    xiao = sent_up(world, b.award, b.yz, world.student_xiao)
    ez = services.select(
        actor=actor_for(world.ju), nomination=sent_up(world, b.award, b.ez, b.ez_student), reason="排名第一"
    )
    notice = bureau_notice(world, [ez])
    o, _code = services.file_objection(
        notice=notice, nomination=ez, anonymous=False, name="张三", phone="13700000000",
        grounds="有违纪记录。", today=DURING,
    )  # fmt: skip
    o.evidence.save("proof.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    return Setup(b.award, xiao, ez, notice, o)


def _state() -> tuple[Any, ...]:
    return (
        AuditEntry.objects.count(),
        list(AwardType.objects.order_by("pk").values_list("pk", "name", "quota_value")),
        Gate.objects.count(),
        list(Nomination.objects.order_by("pk").values_list("status", "score", "notice_id")),
        Notice.objects.count(),
        list(Objection.objects.values_list("status", "reply")),
        Honor.objects.count(),
    )


def _urls(s: Setup) -> list[str]:
    return [
        f"{BASE}/",
        f"{BASE}/awards/new/",
        f"{BASE}/awards/{s.award.pk}/",
        f"{BASE}/awards/{s.award.pk}/ranking/?year=2026",
        f"{BASE}/notices/",
        f"{BASE}/objections/",
        f"{BASE}/objections/{s.objection.pk}/",
        f"{BASE}/objections/{s.objection.pk}/evidence/",
        f"{BASE}/honors/",
    ]


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_bureau_admin_sees_the_pages(world: World, name: str) -> None:
    s = _setup(world)
    client = world.client(name)
    for url in _urls(s):
        response = client.get(url)
        assert response.status_code == (200 if name == "ju" else 403), url
        if name != "ju":
            assert "只有本局管理员" in response.content.decode() or "本局管理员" in response.content.decode()


def _posts(s: Setup, other_award: AwardType) -> list[tuple[str, dict[str, str]]]:
    ranking = f"{BASE}/awards/{s.award.pk}/ranking/"
    xiao = {"nomination": str(s.xiao.pk), "year": "2026"}
    return [
        (f"{BASE}/awards/new/", AWARD_FORM),
        (f"{BASE}/awards/{other_award.pk}/", {**AWARD_FORM, "name": "县级优秀教师（改）"}),
        (f"{BASE}/awards/{other_award.pk}/gates/", {"kind": "not_within_years", "value": "3"}),
        (f"{BASE}/awards/{other_award.pk}/delete/", {}),
        (ranking, {**xiao, "action": "score", "score": "91", "reason": "材料扎实"}),
        (ranking, {**xiao, "action": "select", "reason": "排名靠前"}),
        (f"{BASE}/notices/", {**NOTICE_FORM, "nominations": str(s.xiao.pk)}),
        (f"{BASE}/objections/{s.objection.pk}/", {"to_status": "accepted"}),
        (f"{BASE}/notices/{s.notice.pk}/issue/", {}),
    ]  # fmt: skip


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_bureau_admin_writes_and_a_refusal_changes_nothing(world: World, name: str) -> None:
    s = _setup(world)
    other = services.create_bureau_award_type(
        actor=actor_for(world.ju), bureau=world.bureau, name="县级优秀班主任", code="BZ", for_kind="teacher",
        quota_value=2, quota_unit="bureau", school_send_quota=1,
    )  # fmt: skip
    client = world.client(name)
    before = _state()
    for url, data in _posts(s, other):
        response = client.post(url, data)
        if name == "ju":
            assert response.status_code == 302, (url, response.content.decode()[:2000])
        else:
            assert response.status_code == 403, url
    if name != "ju":
        assert _state() == before
        return
    s.xiao.refresh_from_db()
    s.objection.refresh_from_db()
    assert (s.xiao.status, s.xiao.score, s.objection.status) == ("selected", 91, "accepted")
    assert list(AwardType.objects.order_by("pk").values_list("name", flat=True)) == [
        "县级优秀学生",
        "县级优秀教师",
    ]
    assert Notice.objects.count() == 2
    assert Honor.objects.count() == 0  # the objection to 王二中 is still open: nothing final to issue


def _two_sent_up(world: World) -> tuple[AwardType, Nomination, Nomination]:
    b = scenario(world, quota=1, send=1, ratio="2")
    return (
        b.award,
        sent_up(world, b.award, b.yz, world.student_xiao),
        sent_up(world, b.award, b.ez, b.ez_student),
    )


def test_the_ranking_shows_the_quota_message_when_the_bureau_quota_is_full(world: World) -> None:
    award, xiao, ez = _two_sent_up(world)
    ju = world.client("ju")
    url = f"{BASE}/awards/{award.pk}/ranking/"
    for n, score in ((ez, "95"), (xiao, "88")):
        ju.post(
            url, {"nomination": n.pk, "year": 2026, "action": "score", "score": score, "reason": "评审打分"}
        )
    page = ju.get(f"{url}?year=2026").content.decode()
    assert page.index("王二中") < page.index("肖同学")  # ranked by score across the schools
    assert "95 分：评审打分" in page
    assert "局管理员（ju）" in page
    ok = ju.post(url, {"nomination": ez.pk, "year": 2026, "action": "select", "reason": "排名第一"})
    assert ok.status_code == 302
    before = _state()
    full = ju.post(url, {"nomination": xiao.pk, "year": 2026, "action": "select", "reason": "也入选"})
    assert full.status_code == 409
    assert "「县级优秀学生」在全局的入选名额已满：最多 1 名，已有 1 名。" in full.content.decode()
    assert _state() == before
    declined = ju.post(url, {"nomination": xiao.pk, "year": 2026, "action": "decline", "reason": ""})
    assert "不予推荐须写明理由。" in declined.content.decode()
    assert _state() == before


def test_the_award_form_shows_the_services_message(world: World) -> None:
    ju = world.client("ju")
    response = ju.post(f"{BASE}/awards/new/", {**AWARD_FORM, "school_send_quota": ""})
    assert response.status_code == 200
    assert "按全局名额评选时，须设定每校报送名额（至少 1 名）。" in response.content.decode()
    assert AwardType.objects.count() == 0
    created = ju.post(f"{BASE}/awards/new/", AWARD_FORM)
    award = AwardType.objects.get()
    assert created["Location"] == f"{BASE}/awards/{award.pk}/"
    assert (award.level, award.bureau_id, award.quota_text) == ("bureau", world.bureau.pk, "全局 3 名")
    assert "县级优秀教师" in ju.get(f"{BASE}/").content.decode()


def test_publish_then_handle_an_objection_and_issue(world: World) -> None:
    award, _xiao, ez = _two_sent_up(world)
    ju = world.client("ju")
    ju.post(f"{BASE}/awards/{award.pk}/ranking/", {"nomination": ez.pk, "year": 2026, "action": "select"})
    # published on 28 October (a notice starts no earlier than the day it is published), so that it
    # has ended by the pinned day and its honors can be issued
    with time_machine.travel(dt.datetime(2026, 10, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        form = {**NOTICE_FORM, "starts_on": "2026-10-28", "nominations": str(ez.pk)}
        published = ju.post(f"{BASE}/notices/", form, follow=True)
    ju = world.client("ju")  # the session went idle on the trip back
    notice = Notice.objects.get()
    page = published.content.decode()
    assert "截止 2026-11-03" in page
    assert f'href="/s/yizhong/nominations/notices/{notice.pk}/"' in page
    assert world.client("oscar").get(f"/s/erzhong/nominations/notices/{notice.pk}/").status_code == 200
    o, _code = services.file_objection(
        notice=notice, nomination=ez, anonymous=False, name="张三", phone="13700000000",
        grounds="有违纪记录。", today=dt.date(2026, 10, 30),
    )  # fmt: skip
    o.evidence.save("proof.pdf", ContentFile(b"%PDF-1.4 evidence"), save=True)
    assert "王二中" in ju.get(f"{BASE}/objections/").content.decode()
    evidence = ju.get(f"{BASE}/objections/{o.pk}/evidence/")
    assert b"".join(evidence.streaming_content) == b"%PDF-1.4 evidence"  # type: ignore[attr-defined]
    url = f"{BASE}/objections/{o.pk}/"
    refused = ju.post(url, {"to_status": "rejected", "note": ""})
    assert "这件异议现在是「待受理」，只能转为：已受理。" in refused.content.decode()
    for step in (
        {"to_status": "accepted"},
        {"to_status": "verifying", "note": "调取记录"},
        {"to_status": "rejected", "note": "经核实无违纪记录"},
        {"to_status": "replied", "reply": "经核实，异议不成立。"},
        {"to_status": "archived"},
    ):
        assert ju.post(url, step).status_code == 302, step
    o.refresh_from_db()
    assert (o.status, o.reply) == ("archived", "经核实，异议不成立。")
    issued = ju.post(f"{BASE}/notices/{notice.pk}/issue/", follow=True)
    honor = Honor.objects.get()
    assert "已颁发 1 项荣誉。" in issued.content.decode()
    assert f"/school/erzhong/honors/{honor.pk}/certificate.pdf" in issued.content.decode()
    assert ju.get(f"/school/erzhong/honors/{honor.pk}/certificate.pdf")["Content-Type"] == "application/pdf"
    again = ju.post(f"{BASE}/notices/{notice.pk}/issue/", follow=True)
    assert "没有可以颁发的荣誉" in again.content.decode()
    assert Honor.objects.count() == 1


def test_the_bureau_home_links_to_the_pages(world: World) -> None:
    page = world.client("ju").get("/bureau/county/").content.decode()
    for url in (
        f"{BASE}/",
        f"{BASE}/notices/",
        f"{BASE}/objections/",
        f"{BASE}/honors/",
        "/bureau/county/reports/",
    ):
        assert f'href="{url}"' in page
    assert world.client("alice").get("/bureau/county/").status_code == 403


def test_empty_states(world: World) -> None:
    ju: Client = world.client("ju")
    assert "还没有教育局级奖项。" in ju.get(f"{BASE}/").content.decode()
    assert "没有待公示的入选名单" in ju.get(f"{BASE}/notices/").content.decode()
    assert "没有异议。" in ju.get(f"{BASE}/objections/").content.decode()
    assert "还没有颁发教育局级荣誉。" in ju.get(f"{BASE}/honors/").content.decode()
