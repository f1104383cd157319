"""The school's objection desk (issue 11): the supervision group reaches it by clicking from home, is offered
only the moves allowed now, keeps every reply, and finds the objection read-only once archived."""

from __future__ import annotations

import re

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.nominations import services
from chuangyou.nominations.models import Objection, ObjectionStatus
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.testing import PERSONAS, PINNED_TODAY, World

DESK = "/school/yizhong/nominations/objections/"


def _objection(world: World) -> Objection:
    campaign = campaign_of(world)
    n = selected(world, award_of(world), campaign)
    notice = notice_for(world, campaign, [n], PINNED_TODAY)
    o, _code = services.file_objection(
        notice=notice, nomination=n, anonymous=False, name="张三", phone="13700000000",
        grounds="志愿服务时长与班级记录不符。", today=PINNED_TODAY,
    )  # fmt: skip
    return o


def _offered(html: str) -> list[str]:
    select = html.split('name="to_status"')[1].split("</select>")[0]
    return re.findall(r'<option value="([a-z]+)"', select)


def _href(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*href="([^"]+)"', html)
    assert match, testid
    return match.group(1).replace("&amp;", "&")


def test_the_supervision_leader_clicks_from_home_to_the_objection(world: World) -> None:
    o = _objection(world)
    su = world.client("su")
    home = su.get("/").content.decode()
    desk = su.get(_href(home, "objections-link"))
    assert desk.status_code == 200
    row = desk.content.decode().split('data-testid="objection-row"')[1]
    link = re.search(r'href="([^"]+)"', row)
    assert link is not None
    assert link.group(1) == f"{DESK}{o.pk}/"
    page = su.get(link.group(1)).content.decode()
    assert _offered(page) == ["accepted"]  # from 待受理, only 受理
    # also from the 推荐与公示 page
    nominations = su.get("/school/yizhong/nominations/").content.decode()
    assert _href(nominations, "objections-link") == DESK


def test_only_allowed_moves_are_offered_and_a_wrong_one_says_what_is_possible(world: World) -> None:
    o = _objection(world)
    su, url = world.client("su"), f"{DESK}{o.pk}/"
    refused = su.post(url, {"to_status": "archived"}).content.decode()
    assert "这件异议现在是「待受理」，只能转为：已受理。" in refused
    assert Objection.objects.get(pk=o.pk).status == ObjectionStatus.RECEIVED
    assert su.post(url, {"to_status": "accepted"}).status_code == 302
    assert _offered(su.get(url).content.decode()) == ["verifying"]
    assert su.post(url, {"to_status": "verifying", "note": "调取班级记录"}).status_code == 302
    assert _offered(su.get(url).content.decode()) == ["upheld", "rejected", "deferred"]


def test_a_reply_written_with_the_conclusion_is_kept_and_archived_is_read_only(world: World) -> None:
    o = _objection(world)
    su, url = world.client("su"), f"{DESK}{o.pk}/"
    su.post(url, {"to_status": "accepted"})
    su.post(url, {"to_status": "verifying", "note": "调取记录"})
    answer = "经核实，班级记录为 24 小时，与材料一致，异议不成立。"
    assert su.post(url, {"to_status": "rejected", "note": "记录一致", "reply": answer}).status_code == 302
    o.refresh_from_db()
    assert o.reply == answer
    # 反馈 needs no second typing: the answer written with the conclusion is the one sent
    assert su.post(url, {"to_status": "replied"}).status_code == 302
    assert su.post(url, {"to_status": "archived"}).status_code == 302
    o.refresh_from_db()
    assert (o.status, o.reply) == (ObjectionStatus.ARCHIVED, answer)
    page = su.get(url).content.decode()
    assert 'data-testid="step-form"' not in page
    assert "这件异议已归档，办理结束。" in page
    assert page.count(answer) == 2  # the reply, and the step that gave it
    before = AuditEntry.objects.count()
    again = su.post(url, {"to_status": "accepted"}, follow=True).content.decode()
    assert "这件异议已归档，办理结束，不能再记录办理环节。" in again
    assert AuditEntry.objects.count() == before


def test_the_status_filter_narrows_the_list(world: World) -> None:
    _objection(world)
    su = world.client("su")
    assert 'data-testid="objection-row"' in su.get(DESK, {"status": "received"}).content.decode()
    empty = su.get(DESK, {"status": "archived"}).content.decode()
    assert "没有这个状态的异议。" in empty
    assert 'data-testid="objection-row"' in su.get(DESK, {"status": "open"}).content.decode()
    odd = su.get(DESK, {"status": "<script>"}).content.decode()  # an odd value lists them all
    assert 'data-testid="objection-row"' in odd


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_the_desk_and_who_may_act(world: World, persona: str) -> None:
    o = _objection(world)
    client = world.client(persona)
    home = client.get("/").content.decode()
    page = client.get(f"{DESK}{o.pk}/")
    if persona == "su":
        assert 'data-testid="objections-link"' in home
        assert 'data-testid="step-form"' in page.content.decode()
    elif persona in ("bella", "ju"):  # the leading group and the bureau read, and may not act
        assert page.status_code == 200
        assert 'data-testid="step-form"' not in page.content.decode()
        assert client.post(f"{DESK}{o.pk}/", {"to_status": "accepted"}).status_code == 403
    else:
        assert 'data-testid="objections-link"' not in home
        assert page.status_code in (403, 404)
        assert client.get(DESK).status_code in (403, 404)
    assert Objection.objects.get(pk=o.pk).status == ObjectionStatus.RECEIVED
