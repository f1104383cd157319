import pytest
from playwright.sync_api import Page, expect

from chuangyou.audit.models import AuditEntry
from chuangyou.e2e_support import login_as
from chuangyou.testing import World


@pytest.mark.e2e
def test_supervisor_filters_opens_a_diff_and_checks_the_chain(
    live_world: World, live_server, page: Page
) -> None:
    grants = AuditEntry.objects.filter(school=live_world.school, action="role.grant").count()
    login_as(page, live_server.url, live_world.su)
    page.goto(f"{live_server.url}/school/{live_world.school.code}/audit/")
    expect(page.get_by_test_id("audit-count")).to_have_text(
        f"共 {AuditEntry.objects.filter(school=live_world.school).count()} 条记录"
    )

    page.select_option("select[name=action]", label="分配角色")
    expect(page.get_by_test_id("audit-count")).to_have_text(f"共 {grants} 条记录")
    assert "action=role.grant" in page.url

    first = page.locator("[data-testid=audit-rows] tbody > tr").first
    first.locator("summary").click()
    expect(first.locator("details table")).to_contain_text("角色")
    expect(first.locator("details table")).to_contain_text("班主任")  # the newest seat: hu's class

    page.get_by_test_id("verify-chain").click()
    expect(page.get_by_test_id("chain-status")).to_contain_text("日志链完整。")


@pytest.mark.e2e
def test_teacher_is_refused(live_world: World, live_server, page: Page) -> None:
    login_as(page, live_server.url, live_world.tian)
    page.goto(f"{live_server.url}/school/{live_world.school.code}/audit/")
    expect(page.get_by_test_id("forbidden")).to_contain_text(
        "只有监督小组、学校管理员和教育局管理员可以查看审计日志。"
    )
