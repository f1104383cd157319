import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from chuangyou.honors import certificates, services
from chuangyou.nominations import services as nom
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import World

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.e2e
def test_public_pages_fit_a_375px_phone(live_world: World, live_server, phone_page: Page) -> None:  # type: ignore[no-untyped-def]
    w, base = live_world, live_server.url
    campaign = campaign_of(w)
    award = award_of(w, quota=3)
    ended = notice_for(w, campaign, [selected(w, award, campaign)], dt.date(2026, 9, 28))
    [honor] = services.issue_notice(actor=actor_for(w.bella), notice=ended, today=dt.date(2026, 11, 21))
    services.set_citation(
        actor=actor_for(w.bella), honor=honor,
        citation="担任班长三年，组织班级志愿服务累计一百二十小时，带动全班同学参与社区读书角建设与维护。",
    )  # fmt: skip
    ding = org_services.create_student(
        actor=SYSTEM, school_class=w.class_1, student_no="S009", name="欧阳丁丁", gender="M",
        guardians=[("丁家长", "13800000009")],
    )  # fmt: skip
    running = nom.publish_notice(
        actor=actor_for(w.wang), campaign=campaign,
        title="示例县第一中学2026年度创先争优活动优秀学生干部评选结果公示（第二批）",
        basis="《示例县第一中学2026年创先争优活动实施方案》及《优秀学生干部评选办法（2026年修订）》",
        starts_on=dt.date.today(), office="学校监督小组办公室（行政楼二楼东侧）", phone="0731-12345678",
        address="示例县人民路一百二十八号示例县第一中学行政楼201室",
        nominations=[selected(w, award, campaign, ding)],
    )  # fmt: skip
    pages = {
        "notice": f"{base}/s/yizhong/nominations/notices/{running.pk}/",
        "objection form": f"{base}/s/yizhong/nominations/notices/{running.pk}/object/",
        "roll": f"{base}/s/yizhong/honors/roll/2026/",
        "verification": certificates.verify_url("yizhong", honor.number).replace(
            "http://127.0.0.1:8000", base
        ),
    }
    for name, url in pages.items():
        phone_page.goto(url)
        assert phone_page.evaluate(NO_OVERFLOW), name
    expect(phone_page.get_by_test_id("verdict")).to_have_text("真实有效")
    phone_page.goto(pages["roll"])
    expect(phone_page.get_by_test_id("roll-name")).to_have_count(1)
