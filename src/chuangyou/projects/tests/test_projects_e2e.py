import pytest
from playwright.sync_api import Page, expect

from chuangyou.e2e_support import login_as
from chuangyou.projects.models import Proposal
from chuangyou.projects.tests.conftest import make_call
from chuangyou.testing import World


def _logout(page: Page) -> None:
    page.get_by_role("button", name="退出").click()


@pytest.mark.e2e
def test_a_student_proposes_and_the_working_group_funds_it(
    live_world: World,
    live_server,  # type: ignore[no-untyped-def]
    page: Page,
) -> None:
    call = make_call(live_world)
    page.on("dialog", lambda dialog: dialog.accept())

    # xiao proposes with tian as advisor and ming on the team, then submits.
    login_as(page, live_server.url, live_world.xiao)
    page.goto(f"{live_server.url}/school/yizhong/projects/")
    page.get_by_role("link", name="创新项目征集").click()
    page.get_by_role("link", name="申报项目").click()
    page.get_by_label("项目名称").fill("校园雨水回收装置")
    page.get_by_label("项目简介").fill("收集屋顶雨水浇灌花坛。")
    page.get_by_label("实施计划").fill("九月调研，十月制作，十一月安装。")
    page.get_by_label("申请经费（元）").fill("2000")
    page.get_by_label("指导教师").select_option(label="田师（T006）")
    page.get_by_label("团队成员学号").fill("S002")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_test_id("status")).to_have_text("草稿")
    expect(page.get_by_test_id("team")).to_contain_text("明同学")
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_role("alert").first).to_contain_text("项目已提交，内容已冻结，等待评审。")
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    expect(page.get_by_role("link", name="修改", exact=True)).to_have_count(0)
    _logout(page)

    # wang names the panel, opens the review and records the meeting's decision.
    login_as(page, live_server.url, live_world.wang)
    page.goto(f"{live_server.url}/school/yizhong/projects/calls/{call.pk}/")
    page.get_by_role("link", name="指定评审组").click()
    for name in ("胡班（T005）", "苏监（T004）", "白拉（T002）"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="保存评审组").click()
    expect(page.get_by_test_id("panel")).to_contain_text("胡班")
    page.get_by_role("button", name="开始评审").click()
    expect(page.get_by_role("alert").first).to_contain_text("评审已开始：1 个项目进入评审。")
    page.get_by_role("link", name="校园雨水回收装置").click()
    page.get_by_role("link", name="记录评审决定").click()
    page.get_by_label("评审决定").select_option("funded")
    page.get_by_label("资助金额（元）").fill("1800")
    page.get_by_label("评审排名").fill("1")
    page.get_by_label("评审总分").fill("91.5")
    page.get_by_label("决定依据").fill("2026 秋季学期评审会纪要")
    page.get_by_role("button", name="记录决定").click()
    expect(page.get_by_test_id("outcome")).to_contain_text("已立项资助：¥1,800.00")
    _logout(page)

    # xiao sees the outcome.
    login_as(page, live_server.url, live_world.xiao)
    page.goto(f"{live_server.url}/school/yizhong/projects/proposals/")
    expect(page.get_by_test_id("proposal-row")).to_have_count(1)
    expect(page.get_by_test_id("proposal-row")).to_contain_text("已立项资助")
    page.get_by_role("link", name="校园雨水回收装置").click()
    expect(page.get_by_test_id("outcome")).to_contain_text(
        "已立项资助：¥1,800.00 · 评审排名第 1 · 总分 91.50"
    )
    expect(page.get_by_test_id("history")).to_contain_text("2026 秋季学期评审会纪要")
    assert Proposal.objects.get().amount_granted == 1800
