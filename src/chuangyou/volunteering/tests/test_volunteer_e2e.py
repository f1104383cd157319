import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from chuangyou.accounts.models import User
from chuangyou.e2e_support import login_as
from chuangyou.testing import PASSWORD, World

VOLUNTEERING = "/school/yizhong/volunteering/"


def _phone_login(page: Page, base_url: str, user: User) -> None:
    """login_as waits for the name in the navbar, which a phone folds away behind the menu button."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", user.login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def _logout(page: Page) -> None:
    page.get_by_role("button", name="退出").click()


@pytest.mark.e2e
def test_an_organizer_approves_volunteer_hours(
    live_world: World,
    live_server,  # type: ignore[no-untyped-def]
    page: Page,
    phone_page: Page,
) -> None:
    url = live_server.url + VOLUNTEERING
    # xiao claims 2.5 hours, naming tian as the organizer.
    login_as(page, live_server.url, live_world.xiao)
    page.goto(url)
    expect(page.get_by_test_id("volunteer-total")).to_have_text("0")
    page.get_by_role("link", name="申报时长").click()
    expect(page.get_by_test_id("claim-form")).to_contain_text("不含往返路途时间")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page.get_by_label("服务日期").fill(yesterday.isoformat())
    page.get_by_label("服务项目").fill("敬老院陪伴老人")
    page.get_by_label("组织单位").fill("校团委")
    page.get_by_label("服务内容").fill("陪老人聊天、打扫房间")
    page.get_by_label("服务时长（小时）").fill("2.5")
    page.get_by_label("组织者（由其认证时长）").select_option(label="田师（T006）")
    page.get_by_label("我确认所填时长不含往返路途时间").check()
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_role("alert")).to_contain_text("已提交，等待组织者认证。")
    expect(page.get_by_test_id("consent")).to_have_text("待监护人同意")

    # ma, xiao's parent, consents from a phone.
    _phone_login(phone_page, live_server.url, live_world.ma)
    phone_page.goto(url)
    card = phone_page.get_by_test_id("consent-card")
    expect(card).to_contain_text("肖同学 · 敬老院陪伴老人")
    expect(card).to_contain_text("2.5 小时（不含路途）")
    button = card.get_by_role("button", name="我同意孩子参加这项志愿服务")
    box = button.bounding_box()
    assert box is not None
    assert box["width"] > 300
    button.click()
    expect(phone_page.get_by_role("alert")).to_contain_text("您已同意，等待组织者认证。")
    expect(phone_page.get_by_test_id("consent-card")).to_have_count(0)

    # tian approves from the review queue.
    _logout(page)
    login_as(page, live_server.url, live_world.tian)
    page.goto(url)
    page.get_by_role("link", name="有 1 条时长等待您认证").click()
    row = page.get_by_test_id("claim-row")
    expect(row).to_contain_text("肖同学")
    expect(row.get_by_test_id("consent")).to_contain_text("监护人已同意（家长在线同意）")
    row.get_by_test_id("approve").click()
    expect(row.get_by_test_id("status")).to_have_text("已认证")

    # xiao's total now shows the certified hours.
    _logout(page)
    login_as(page, live_server.url, live_world.xiao)
    page.goto(url)
    expect(page.get_by_test_id("volunteer-total")).to_have_text("2.5")
    expect(page.get_by_test_id("my-claims")).to_contain_text("已认证")
