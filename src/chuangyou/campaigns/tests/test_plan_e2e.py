import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from chuangyou.campaigns.models import Campaign
from chuangyou.e2e_support import login_as
from chuangyou.testing import World

CY_RED = "rgb(179, 38, 30)"


@pytest.mark.e2e
def test_a_leader_writes_a_plan_with_phases_and_sees_the_timeline(
    live_world: World,
    live_server,  # type: ignore[no-untyped-def]
    page: Page,
) -> None:
    year = timezone.localdate().year
    login_as(page, live_server.url, live_world.bella)
    page.goto(f"{live_server.url}/school/yizhong/campaigns/")
    expect(page.get_by_text("还没有活动方案。")).to_be_visible()
    page.get_by_role("link", name="新建活动方案").click()
    page.get_by_role("textbox", name="主题", exact=True).fill("筑堡垒、讲党性、树先锋")
    page.get_by_label("目标").fill("推进教育全面发展，办好人民满意的教育")
    page.get_by_role("button", name="创建").click()

    expect(page.get_by_test_id("campaign-theme")).to_have_text("筑堡垒、讲党性、树先锋")
    phases = page.get_by_test_id("timeline-phase")
    expect(phases).to_have_count(4)
    expect(phases.nth(0)).to_contain_text("动员部署")
    expect(phases.nth(3)).to_contain_text("总结完善")

    # Re-date the first phase: an overlap is refused in Chinese, then a valid range is saved.
    page.get_by_role("link", name="阶段", exact=True).click()
    page.get_by_test_id("phase-row").nth(0).get_by_role("link", name="编辑").click()
    page.get_by_label("主要工作").fill("召开专题动员大会，安排部署，搞好宣传发动")
    page.get_by_label("结束日期").fill(f"{year}-12-31")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("「全面争创」须在「动员部署」结束")
    page.get_by_label("开始日期").fill(f"{year}-01-05")
    page.get_by_label("结束日期").fill(f"{year}-01-31")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("阶段「动员部署」已保存。")
    expect(page.get_by_test_id("phase-row").nth(0)).to_contain_text(f"{year}-01-05")

    page.get_by_role("link", name="概览与时间轴").click()
    first = page.get_by_test_id("timeline-phase").nth(0)
    expect(first).to_contain_text(f"{year}-01-05 — {year}-01-31")
    expect(first).to_contain_text("召开专题动员大会")
    expect(page.get_by_test_id("today")).to_contain_text(f"今天：{timezone.localdate():%Y-%m-%d}")

    campaign = Campaign.objects.prefetch_related("phases").get(year=year)
    current = campaign.current_phase(timezone.localdate())
    assert current is not None
    highlighted = page.locator("[data-testid=timeline-phase].current")
    expect(highlighted).to_have_count(1)
    expect(highlighted).to_contain_text(current.name)
    expect(highlighted.get_by_test_id("current-badge")).to_have_text("当前阶段")
    expect(highlighted).to_have_css("border-top-color", CY_RED)
    expect(highlighted.locator(".phase-name")).to_have_css("color", CY_RED)
    # On a desktop the phases run as a row.
    expect(page.get_by_test_id("timeline")).to_have_css("flex-direction", "row")
