import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from chuangyou.e2e_support import login_as
from chuangyou.evaluations import services
from chuangyou.evaluations.models import Ballot, Evaluation, State
from chuangyou.org.rules import actor_for
from chuangyou.testing import World


@pytest.mark.e2e
def test_build_print_vote_publish_and_recount(
    live_world: World,
    live_server,  # type: ignore[no-untyped-def]
    page: Page,
    phone_page: Page,
) -> None:
    base = f"{live_server.url}/school/yizhong/evaluations"
    # wang builds a 师德标兵 evaluation from the 五个模范 rubric
    login_as(page, live_server.url, live_world.wang)
    page.goto(f"{base}/")
    expect(page.get_by_text("还没有评议。")).to_be_visible()
    page.get_by_role("link", name="新建评议").click()
    page.get_by_label("评议名称").fill("师德标兵民主测评")
    page.get_by_label("评议对象").select_option("teacher")
    page.get_by_label("评价标准模板").select_option("five_models")
    start = timezone.localtime() - dt.timedelta(hours=1)
    page.get_by_label("投票开始").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="创建").click()
    expect(page.get_by_test_id("evaluation-title")).to_have_text("师德标兵民主测评")
    expect(page.get_by_test_id("rules")).to_contain_text("去掉一个最高分和一个最低分")
    # choose them from the roster: narrow, tick all, add
    page.get_by_role("link", name="从名册选择评议对象").click()
    expect(page.get_by_test_id("candidate")).to_have_count(6)
    page.get_by_label("全选 / 全不选").check()
    page.get_by_role("button", name="添加所选").first.click()
    expect(page.get_by_test_id("subjects")).to_contain_text("王武、田师、白拉、艾丽、苏监、胡班")
    for kind, name, source, role in (
        ("peers", "教师互评", "role", "teacher"),
        ("parents", "家长", "codes", ""),
    ):
        page.get_by_text("添加评议主体").first.click()
        page.locator("select[name=kind]").select_option(kind)
        page.locator("#id_name").fill(name)
        page.locator("select[name=source]").select_option(source)
        page.locator("select[name=role]").select_option(role)
        page.get_by_role("button", name="添加评议主体").click()
    expect(page.get_by_test_id("group-row")).to_have_count(2)
    # print the QR slips: a PDF download
    with page.expect_download() as download:
        page.get_by_role("button", name="生成并打印投票码").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.get_by_role("button", name="开始投票").click()
    expect(page.get_by_test_id("state")).to_have_text("投票中")

    evaluation = Evaluation.objects.get()
    parents = evaluation.groups.get(name="家长")
    # one more slip, whose code the test can read (the printed ones exist only in the PDF)
    code = services.issue_codes(actor=actor_for(live_world.wang), group=parents, count=1)[0]

    # a parent votes from the code on a phone, no login: the slip's link holds the code in its fragment,
    # which the page's script posts and takes out of the address bar
    phone_page.goto(f"{live_server.url}/s/yizhong/evaluations/v/#{code}")
    expect(phone_page.get_by_test_id("ballot-subject")).to_have_count(6)
    assert code not in phone_page.url
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert phone_page.evaluate("typeof window.echarts") == "undefined"
    for subject in phone_page.get_by_test_id("ballot-subject").all():
        for group in subject.get_by_role("radiogroup").all():
            group.get_by_text("较好", exact=True).click()
    # one mark differs: a ballot with the same marks for everyone would be void, and the page would ask
    phone_page.get_by_role("radiogroup").first.get_by_text("好", exact=True).click()
    phone_page.get_by_role("button", name="提交选票").click()
    receipt = phone_page.get_by_test_id("receipt").inner_text()
    phone_page.goto(f"{live_server.url}/s/yizhong/evaluations/{evaluation.pk}/receipt/?receipt={receipt}")
    expect(phone_page.get_by_test_id("receipt-result")).to_contain_text("已计入")
    phone_page.goto(f"{live_server.url}/s/yizhong/evaluations/v/#{code}")
    expect(phone_page.get_by_test_id("ballot-error")).to_contain_text("已经投过票")

    # a teacher votes from an account
    tian = page.context.browser.new_context(locale="zh-CN")  # type: ignore[union-attr]
    teacher = tian.new_page()
    login_as(teacher, live_server.url, live_world.tian)
    teacher.goto(f"{base}/mine/")
    teacher.get_by_role("link", name="去投票").click()
    expect(teacher.get_by_test_id("ballot-subject")).to_have_count(5)  # not herself
    for subject in teacher.get_by_test_id("ballot-subject").all():
        for group in subject.get_by_role("radiogroup").all():
            group.get_by_text("好", exact=True).click()
    teacher.get_by_role("radiogroup").first.get_by_text("较好", exact=True).click()
    teacher.get_by_role("button", name="提交选票").click()
    expect(teacher.get_by_test_id("receipt")).to_be_visible()
    tian.close()
    assert Ballot.objects.count() == 2

    # wang sees turnout only, closes and publishes
    page.reload()
    expect(page.get_by_test_id("turnout")).to_contain_text("教师互评")
    page.get_by_role("button", name="截止投票").click()
    page.get_by_role("button", name="计票并公布").click()
    expect(page.get_by_test_id("state")).to_have_text("已公布")
    assert Evaluation.objects.get().state == State.PUBLISHED
    page.get_by_role("link", name="评议结果").click()
    expect(page.get_by_test_id("result-row")).to_have_count(6)

    # su, the supervision group, recounts and downloads the ballot table
    su = page.context.browser.new_context(locale="zh-CN")  # type: ignore[union-attr]
    checker = su.new_page()
    login_as(checker, live_server.url, live_world.su)
    checker.goto(f"{base}/{evaluation.pk}/supervise/")
    checker.get_by_role("button", name="从原始选票重新计票").click()
    expect(checker.get_by_test_id("recount")).to_contain_text("重新计票结果与公布结果一致")
    with checker.expect_download() as table:
        checker.get_by_role("link", name="下载选票明细（匿名）").click()
    assert table.value.suggested_filename.endswith(".xlsx")
    su.close()
