"""The public school page is the door for everyone without an account (issue 11): what is on notice now
with 提出异议, code voting, the reply lookup, the exhibition, and certificate verification by typing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client, override_settings

from chuangyou.honors import services as honors
from chuangyou.honors.models import Honor
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PINNED_TODAY, World

PUBLIC = "/s/yizhong/"


def _href(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}"[^>]*href="([^"]+)"', html)
    assert match, testid
    return match.group(1)


def _honor(world: World) -> Honor:
    campaign = campaign_of(world)
    award = award_of(world, quota=3)
    ended = notice_for(world, campaign, [selected(world, award, campaign)], dt.date(2026, 10, 26))
    [honor] = honors.issue_notice(actor=actor_for(world.bella), notice=ended, today=PINNED_TODAY)
    return honor


def test_the_page_links_every_public_door(world: World) -> None:
    html = Client().get(PUBLIC).content.decode()
    for testid, url in (
        ("code-vote-link", "/s/yizhong/evaluations/v/"),
        ("reply-lookup-link", "/s/yizhong/nominations/reply/"),
        ("verify-link", "/s/yizhong/honors/verify/"),
        ("gallery-link", "/s/yizhong/exhibition/"),
    ):
        assert _href(html, testid) == url
        assert Client().get(url).status_code == 200, url
    assert "目前没有正在进行的公示。" in html


def test_a_running_notice_is_listed_with_its_objection_form_and_an_ended_one_is_not(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world, quota=3)
    running = notice_for(world, campaign, [selected(world, award, campaign)], PINNED_TODAY)
    classmate = org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="S009", name="丁同学", gender="M",
        guardians=[("丁家长", "13800000009")],
    )  # fmt: skip
    notice_for(world, campaign, [selected(world, award, campaign, classmate)], dt.date(2026, 10, 26))
    html = Client().get(PUBLIC).content.decode()
    assert html.count('data-testid="public-notice"') == 1
    assert running.title in html
    form = Client().get(_href(html, "public-object-link"))
    assert form.status_code == 200
    assert 'name="grounds"' in form.content.decode()


def test_the_verification_page_says_nothing_before_it_is_asked(world: World) -> None:
    page = Client().get("/s/yizhong/honors/verify/").content.decode()
    assert 'data-testid="verdict"' not in page
    assert "伪造" not in page
    assert 'name="number"' in page
    assert 'name="name"' in page


def test_anyone_verifies_a_certificate_by_typing_its_number_and_name(world: World) -> None:
    honor = _honor(world)
    client = Client()
    url = _href(client.get(PUBLIC).content.decode(), "verify-link")
    right = client.post(url, {"number": f" {honor.number} ", "name": honor.name}).content.decode()
    assert re.search(r'data-testid="verdict">真实有效<', right)
    assert honor.award_type.name in right
    # the number alone does not tell who holds it
    wrong = client.post(url, {"number": honor.number, "name": "张冒名"}).content.decode()
    assert re.search(r'data-testid="verdict">未找到<', wrong)
    assert honor.name not in wrong.split('data-testid="verify-form"')[0]
    empty = client.post(url, {"number": "", "name": ""}).content.decode()
    assert 'data-testid="verdict"' not in empty
    assert "这个字段是必填项" in empty or "必填" in empty
    honors.revoke(actor=actor_for(world.bella), honor=honor, reason="材料造假")
    revoked = client.post(url, {"number": honor.number, "name": honor.name}).content.decode()
    assert re.search(r'data-testid="verdict">已撤销<', revoked)


@override_settings(CERTIFICATE_LOOKUPS_PER_HOUR=2)
@pytest.mark.django_db
def test_typed_lookups_are_rate_limited_per_address(world: World) -> None:
    honor = _honor(world)
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        ok = client.post("/s/yizhong/honors/verify/", {"number": honor.number, "name": honor.name})
        assert "真实有效" in ok.content.decode()
    refused = client.post(
        "/s/yizhong/honors/verify/", {"number": honor.number, "name": honor.name}, follow=True
    ).content.decode()
    assert "查询次数过多，请稍后再试。" in refused
    assert "真实有效" not in refused
