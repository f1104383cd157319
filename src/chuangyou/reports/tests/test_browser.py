from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from chuangyou.campaigns.services import create_campaign
from chuangyou.e2e_support import login_as
from chuangyou.org.rules import SYSTEM
from chuangyou.reports.summary import docx_text
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import World


@pytest.mark.e2e
def test_a_leader_follows_a_figure_to_the_list_behind_it(
    live_world: World, live_server: LiveServer, page: Page
) -> None:
    build(live_world)
    login_as(page, live_server.url, live_world.bella)
    page.goto(f"{live_server.url}/school/yizhong/reports/")
    expect(page.locator("#chart-participation svg")).to_be_visible()
    page.get_by_test_id("table-participation").get_by_role("link", name="初一（1）班").click()
    expect(page).to_have_url(f"{live_server.url}/school/yizhong/records/classes/{live_world.class_1.pk}/")
    expect(page.get_by_role("heading", name="初一（1）班参与档案")).to_be_visible()


@pytest.mark.e2e
def test_a_leader_generates_the_summary_and_downloads_it(
    live_world: World, live_server: LiveServer, page: Page
) -> None:
    build(live_world)
    login_as(page, live_server.url, live_world.bella)
    page.goto(f"{live_server.url}/school/yizhong/reports/")
    page.get_by_test_id("generate-summary").click()
    link = page.get_by_test_id("download-docx")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    text = docx_text(path.read_bytes())
    assert "共发布活动2项，已举办1项" in text
    assert "_" not in text


@pytest.mark.e2e
def test_the_bureau_admin_compares_two_schools(
    live_world: World, live_server: LiveServer, page: Page
) -> None:
    s = build(live_world)
    create_campaign(
        actor=SYSTEM, school=live_world.other_school, year=s.campaign.year, title="二中方案", theme="争优"
    )
    login_as(page, live_server.url, live_world.ju)
    page.goto(f"{live_server.url}/bureau/county/reports/?year={s.campaign.year}")
    page.get_by_label("示例县第一中学").check()
    page.get_by_label("示例县第二中学").check()
    page.get_by_test_id("compare").click()
    table = page.get_by_test_id("comparison")
    expect(table.locator("thead")).to_contain_text("示例县第一中学")
    expect(table.locator("thead")).to_contain_text("示例县第二中学")
    expect(table.get_by_role("row", name="学生参与率（%）")).to_contain_text("50.0")  # ming: a sign-up ahead
    page.get_by_role("link", name="志愿时长").click()
    first = page.get_by_test_id("ranking").locator("tbody tr").first
    expect(first).to_contain_text("示例县第一中学")
