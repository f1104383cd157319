"""In the browser: the navigation's 工作台 shows the count of things waiting, on a phone too, and the home
page's entry leads to the work in one click (issue 11)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from chuangyou.e2e_support import login_as
from chuangyou.nominations import services as nominations
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.testing import PINNED_TODAY, World


@pytest.mark.e2e
def test_the_supervision_leader_sees_the_count_and_clicks_through(
    live_world: World, live_server, phone_page: Page
) -> None:  # type: ignore[no-untyped-def]
    w = live_world
    campaign = campaign_of(w)
    n = selected(w, award_of(w), campaign)
    notice = notice_for(w, campaign, [n], PINNED_TODAY)
    nominations.file_objection(
        notice=notice, nomination=n, anonymous=False, name="张三", phone="13700000000",
        grounds="时长不符。", today=PINNED_TODAY,
    )  # fmt: skip
    login_as(phone_page, live_server.url, w.su)
    phone_page.goto(live_server.url + "/")
    expect(phone_page.get_by_test_id("todo-count")).to_have_text("1")  # loaded by htmx after the page
    phone_page.get_by_test_id("todo-link").first.click()
    expect(phone_page.get_by_test_id("objection-status")).to_have_text("待受理")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
