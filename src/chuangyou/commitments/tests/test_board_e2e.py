import pytest
from playwright.sync_api import Page, expect

from chuangyou.commitments.tests.helpers import make_campaign
from chuangyou.e2e_support import login_as
from chuangyou.testing import World


@pytest.mark.e2e
def test_a_member_declares_commitments_and_the_public_board_shows_them(
    live_world: World,
    live_server,  # type: ignore[no-untyped-def]
    page: Page,
    phone_page: Page,
) -> None:
    make_campaign(live_world)
    base = live_server.url
    login_as(page, base, live_world.wang)
    page.goto(f"{base}/school/yizhong/commitments/")
    page.get_by_test_id("declare-self").click()
    for category, content, measures in (
        ("学习", "每月精读一本教育专著", "写读书笔记并在教研组分享"),
        ("服务", "结对帮扶两名学困生", "每周谈心一次"),
    ):
        form = page.get_by_test_id("item-form")
        form.locator("select[name=category]").select_option(label=category)
        form.locator("textarea[name=content]").fill(content)
        form.locator("textarea[name=measures]").fill(measures)
        form.locator("input[name=deadline]").fill("2099-12-31")
        form.locator("button[type=submit]").click()
        expect(page.get_by_test_id("items")).to_contain_text(content)
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("status")).to_have_text("待审核")

    # The board shows nothing yet: the commitment is only submitted.
    phone_page.goto(f"{base}/s/yizhong/commitments/")
    expect(phone_page.get_by_test_id("board-empty")).to_be_visible()

    secretary = page.context.browser.new_context(locale="zh-CN").new_page()  # type: ignore[union-attr]
    login_as(secretary, base, live_world.bella)
    secretary.goto(f"{base}/school/yizhong/commitments/")
    secretary.get_by_test_id("review-queue").get_by_role("link", name="王武").click()
    secretary.get_by_test_id("publish").click()
    expect(secretary.get_by_test_id("status")).to_have_text("已公开")
    secretary.context.close()

    phone_page.goto(f"{base}/s/yizhong/commitments/")
    owner = phone_page.get_by_test_id("board-owner")
    expect(owner).to_have_count(1)
    expect(owner).to_contain_text("王武")
    expect(owner.get_by_test_id("board-item")).to_have_count(2)
    expect(owner).to_contain_text("每月精读一本教育专著")
    expect(owner).to_contain_text("结对帮扶两名学困生")
    expect(owner).to_contain_text("尚未报告进展")
    expect(phone_page.get_by_test_id("whoami")).to_have_count(0)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
