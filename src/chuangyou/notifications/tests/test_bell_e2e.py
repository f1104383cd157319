"""Issue 12's browser test: opening an evaluation puts an unread message in a teacher's bell, on a
phone; clicking it lands on the ballot."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from chuangyou.e2e_support import login_as
from chuangyou.evaluations.tests.conftest import build_teacher_evaluation
from chuangyou.testing import World


@pytest.mark.e2e
def test_the_bell_takes_a_teacher_to_the_ballot(
    live_world: World,
    live_server,  # type: ignore[no-untyped-def]
    page: Page,
    phone_page: Page,
) -> None:
    evaluation = build_teacher_evaluation(live_world)
    login_as(page, live_server.url, live_world.wang)
    page.goto(f"{live_server.url}/school/yizhong/evaluations/{evaluation.pk}/")
    page.get_by_role("button", name="开始投票").click()
    expect(page.get_by_test_id("state")).to_have_text("投票中")

    login_as(phone_page, live_server.url, live_world.tian)
    bell = phone_page.get_by_test_id("bell")
    expect(bell).to_be_visible()  # outside the collapsed menu
    expect(phone_page.get_by_test_id("bell-count")).to_have_text("1")
    bell.click()
    expect(phone_page.get_by_test_id("message")).to_have_count(1)
    expect(phone_page.get_by_test_id("message")).to_contain_text("“师德标兵民主测评”开始投票了")
    if shots := os.environ.get("SCREENSHOTS"):
        phone_page.screenshot(path=str(Path(shots) / "inbox-375.png"), full_page=True)
    # nothing runs off the side of a 375 px screen
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.get_by_test_id("message-go").click()
    expect(phone_page).to_have_url(
        f"{live_server.url}/school/yizhong/evaluations/{evaluation.pk}/vote/{evaluation.groups.get(kind='peers').pk}/"
    )
    expect(phone_page.get_by_test_id("bell-count")).to_have_count(0)
