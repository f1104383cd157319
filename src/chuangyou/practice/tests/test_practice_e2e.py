import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from chuangyou.accounts.models import User
from chuangyou.e2e_support import login_as
from chuangyou.practice.models import Submission
from chuangyou.testing import PASSWORD, World

SAVED = re.compile(r"已保存 \d\d:\d\d:\d\d")


def _login_on_phone(page: Page, base_url: str, user: User) -> None:
    """login_as, except that at 375 px the name sits in the collapsed menu: wait for it to exist."""
    page.goto(f"{base_url}/accounts/login/")
    page.select_option("select[name=school]", user.username.split(":", 1)[0])
    page.fill("input[name=login]", user.login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]", state="attached")


def _add_question(page: Page, kind: str, prompt: str, points: str, **fields: str) -> None:
    form = page.get_by_test_id("question-form")
    form.get_by_label("题型").select_option(label=kind)
    form.locator("textarea[name=prompt]").fill(prompt)
    form.get_by_label("分值").fill(points)
    if "choices" in fields:
        form.get_by_label("选项（选择题，每行一个）").fill(fields["choices"])
        form.get_by_label("正确选项（选择题，如 B 或 AC）").fill(fields["correct"])
    if "accepted" in fields:
        form.get_by_label("标准答案（填空题，每行一个可接受的答案）").fill(fields["accepted"])
        form.get_by_label("填空题不区分大小写").check()
    form.get_by_role("button", name="添加题目").click()
    expect(page.get_by_role("alert")).to_contain_text("题目已添加。")


@pytest.mark.e2e
def test_a_teacher_publishes_a_weekly_set_and_a_student_answers_it(
    live_world: World,
    live_server,  # type: ignore[no-untyped-def]
    page: Page,
    phone_page: Page,
) -> None:
    base = live_server.url
    login_as(page, base, live_world.tian)
    page.goto(f"{base}/school/yizhong/practice/")
    expect(page.get_by_text("还没有练习。")).to_be_visible()
    page.get_by_role("link", name="布置新练习").click()
    page.get_by_label("标题").fill("一元一次方程")
    page.get_by_label("学科").fill("数学")
    deadline = timezone.localtime() + dt.timedelta(days=2)
    page.get_by_label("截止时间").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("布置班级").select_option(label="初一（1）班")
    page.get_by_role("button", name="创建草稿").click()
    expect(page.get_by_role("alert")).to_contain_text("练习已创建为草稿")

    _add_question(page, "单选题", "1+1=?", "2", choices="1\n2\n3", correct="B")
    _add_question(page, "多选题", "哪些是偶数？", "3", choices="2\n3\n4", correct="AC")
    _add_question(page, "填空题", "x+1=3，则 ?", "2", accepted="x=2\n2")
    _add_question(page, "主观题", "说说你的解题思路。", "5")
    expect(page.get_by_test_id("question-row")).to_have_count(4)
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("set-status")).to_have_text("已发布")
    expect(page.get_by_text("添加题目")).to_have_count(0)

    # xiao answers on a phone: each change is saved as she goes.
    phone = phone_page
    _login_on_phone(phone, base, live_world.xiao)
    phone.goto(f"{base}/school/yizhong/practice/")
    phone.get_by_role("link", name="去作答").click()
    cards = phone.get_by_test_id("answer-question")
    expect(cards).to_have_count(4)
    phone.get_by_label("B. 2").check()
    expect(cards.nth(0).get_by_test_id("saved")).to_have_text(SAVED)
    cards.nth(1).get_by_label("A. 2").check()
    cards.nth(1).get_by_label("C. 4").check()
    expect(cards.nth(1).get_by_test_id("saved")).to_have_text(SAVED)
    cards.nth(2).get_by_role("textbox").fill("Ｘ＝２")
    cards.nth(2).get_by_role("textbox").blur()
    expect(cards.nth(2).get_by_test_id("saved")).to_have_text(SAVED)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # A reload (a dropped connection, a closed tab) restores what was saved.
    phone.reload()
    expect(cards.nth(0).get_by_label("B. 2")).to_be_checked()
    expect(cards.nth(1).get_by_label("A. 2")).to_be_checked()
    expect(cards.nth(1).get_by_label("B. 3")).not_to_be_checked()
    expect(cards.nth(1).get_by_label("C. 4")).to_be_checked()
    expect(cards.nth(2).get_by_role("textbox")).to_have_value("Ｘ＝２")
    cards.nth(3).get_by_role("textbox").fill("移项，再合并同类项。")
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_role("alert")).to_contain_text("已按时提交。")
    expect(phone.get_by_test_id("total")).to_have_text("已得 7.0 分，1 题待批改")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    # tian grades the open question from the queue.
    page.goto(f"{base}/school/yizhong/practice/")
    page.get_by_role("link", name="一元一次方程").click()
    page.get_by_test_id("grading-link").click()
    card = page.get_by_test_id("grading-card")
    expect(card).to_contain_text("移项，再合并同类项。")
    card.get_by_label("得分").fill("4")
    card.get_by_label("评语（可选）").fill("思路清楚")
    card.get_by_test_id("grade").click()
    expect(page.get_by_test_id("graded")).to_have_text("已批改：4.0 / 5.0 分 · 思路清楚")

    # The class report: xiao handed in on time with 11 of 12 points.
    page.get_by_role("link", name="数学 · 一元一次方程").click()
    page.get_by_role("link", name="完成情况").click()
    row = page.locator("[data-testid=report-row][data-student=S001]")
    expect(row.get_by_test_id("completion")).to_have_text("按时")
    expect(row.get_by_test_id("score")).to_have_text("11.0")
    submission = Submission.objects.get()
    assert (submission.score, submission.is_late, submission.ungraded) == (11, False, 0)
