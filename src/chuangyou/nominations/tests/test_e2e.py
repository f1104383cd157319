import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from chuangyou.e2e_support import login_as
from chuangyou.nominations import services
from chuangyou.nominations.models import Nomination, Objection
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.testing import World


@pytest.mark.e2e
def test_nominate_advance_publish_issue_verify(live_world: World, live_server, page: Page, browser) -> None:  # type: ignore[no-untyped-def]
    w, base = live_world, live_server.url
    campaign_of(w)
    award_of(w)
    login_as(page, base, w.hu)
    page.goto(f"{base}/school/yizhong/nominations/new/")
    page.select_option("select[name=award]", label="优秀学生干部")
    page.select_option("select[name=student]", label=str(w.student_xiao))
    page.fill("textarea[name=story]", "担任班长，组织班级志愿服务。")
    page.click("[data-testid=nominate-form] button[type=submit]")
    expect(page.get_by_test_id("nomination-level")).to_have_text("年级")
    n = Nomination.objects.get()
    for persona, action, level in ((w.wang, "advance", "学校"), (w.bella, "select", "学校")):
        page.context.clear_cookies()
        login_as(page, base, persona)
        page.goto(f"{base}/school/yizhong/nominations/{n.pk}/")
        page.select_option("select[name=action]", action)
        page.fill("input[name=reason]", "符合条件")
        page.click("[data-testid=decide-form] button[type=submit]")
        expect(page.get_by_test_id("nomination-level")).to_have_text(level)
    expect(page.get_by_test_id("nomination-status")).to_have_text("已入选")

    # published on 28 October, the day it starts (never backdated), so it has ended by the pinned day
    # and its honors can be issued; the live server runs in this process, so it travels too
    with time_machine.travel(dt.datetime(2026, 10, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai"))):
        page.goto(f"{base}/school/yizhong/nominations/notices/")
        page.fill("input[name=title]", "2026年度优秀学生干部公示")
        page.fill("textarea[name=basis]", "2026年创先争优活动实施方案")
        page.fill("input[name=starts_on]", "2026-10-28")
        page.fill("input[name=office]", "监督小组办公室")
        page.fill("input[name=phone]", "0731-1234567")
        page.fill("input[name=address]", "行政楼201")
        page.check("input[name=nominations]")
        page.click("[data-testid=notice-form] button[type=submit]")
        expect(page.get_by_test_id("notice-end")).to_have_text("2026-11-03")
    page.context.clear_cookies()  # the session went idle on the trip back
    login_as(page, base, w.bella)

    page.goto(f"{base}/school/yizhong/honors/")
    page.click("[data-testid=issue-form] button")
    link = page.get_by_test_id("certificate-link")
    response = page.request.get(base + link.get_attribute("href"))  # type: ignore[operator]
    assert response.headers["content-type"] == "application/pdf"
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(response.body()))
    assert "荣誉证书" in pdf.pages[0].extract_text()
    from chuangyou.honors.certificates import verify_url
    from chuangyou.honors.models import Honor

    honor = Honor.objects.get()
    page.goto(verify_url("yizhong", honor.number).replace("http://127.0.0.1:8000", base))
    expect(page.get_by_test_id("verdict")).to_have_text("真实有效")
    page.goto(f"{base}/school/yizhong/honors/")
    page.fill("input[name=reason]", "材料造假")
    page.click("text=撤销 >> nth=-1")
    page.goto(verify_url("yizhong", honor.number).replace("http://127.0.0.1:8000", base))
    expect(page.get_by_test_id("verdict")).to_have_text("已撤销")
    page.goto(f"{base}/s/yizhong/honors/verify/?c={honor.number}:forged")
    expect(page.get_by_test_id("verdict")).to_have_text("未找到")


@pytest.mark.e2e
def test_anonymous_objection_from_a_phone(
    live_world: World, live_server, phone_page: Page, page: Page
) -> None:  # type: ignore[no-untyped-def]
    w, base = live_world, live_server.url
    campaign = campaign_of(w)
    n = selected(w, award_of(w), campaign)
    notice = notice_for(w, campaign, [n], dt.date.today())  # today is the pinned day
    phone_page.goto(f"{base}/s/yizhong/nominations/notices/{notice.pk}/")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.get_by_test_id("object-link").click()
    phone_page.select_option("select[name=nomination]", index=1)
    phone_page.check("input[name=anonymous]")
    phone_page.fill(
        "textarea[name=grounds]",
        "肖同学在2026年10月的班干部述职中所列的志愿服务时长与班级记录不符，班级记录显示只有4小时，请核实其材料的真实性。",
    )
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.wait_for_timeout(3200)  # the form refuses a post faster than a person types
    phone_page.click("[data-testid=objection-form] button[type=submit]")
    code = phone_page.get_by_test_id("objection-code").inner_text()
    o = Objection.objects.get()
    login_as(page, base, w.su)
    for step, note in (
        ("accepted", "受理"),
        ("verifying", "调取志愿记录"),
        ("rejected", "记录齐全，时长属实"),
    ):
        page.goto(f"{base}/school/yizhong/nominations/objections/{o.pk}/")
        page.select_option("select[name=to_status]", step)
        page.fill("textarea[name=note]", note)
        page.click("[data-testid=step-form] button[type=submit]")
    page.select_option("select[name=to_status]", "replied")
    page.fill("textarea[name=reply]", "经核实，志愿服务时长属实，异议不成立。")
    page.click("[data-testid=step-form] button[type=submit]")
    expect(page.get_by_test_id("objection-status")).to_have_text("已反馈")
    phone_page.goto(f"{base}/s/yizhong/nominations/reply/")
    phone_page.fill("input[name=code]", code)
    phone_page.click("button.btn-cy")
    expect(phone_page.get_by_test_id("reply-status")).to_have_text("已反馈")
    assert services.objection_by_code(w.school, code).pk == o.pk
