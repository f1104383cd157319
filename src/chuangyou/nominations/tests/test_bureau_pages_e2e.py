"""In the browser: ju sets a bureau award, both schools send a nominee up, ju ranks, selects within the
bureau quota, publishes the bureau's 公示 and reads its end date."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from chuangyou.e2e_support import login_as
from chuangyou.nominations.models import AwardType, Nomination
from chuangyou.nominations.tests.bureau_helpers import scenario, sent_up
from chuangyou.testing import World


@pytest.mark.e2e
def test_ju_ranks_selects_and_publishes_a_bureau_notice(
    live_world: World, live_server: Any, page: Page
) -> None:
    w, base = live_world, live_server.url
    b = scenario(w)  # the schools' campaigns and erzhong's students (and an award of its own)
    login_as(page, base, w.ju)
    page.goto(f"{base}/bureau/county/")
    page.get_by_test_id("bureau-awards-link").click()
    page.get_by_test_id("award-new").click()
    page.fill("input[name=name]", "县级三好学生")
    page.fill("input[name=code]", "SH")
    page.select_option("select[name=quota_unit]", "bureau")
    page.fill("input[name=quota_value]", "1")
    page.fill("input[name=school_send_quota]", "1")
    page.fill("input[name=shortlist_ratio]", "2")
    page.click("[data-testid=award-form] button[type=submit]")
    expect(page.get_by_test_id("gate-form")).to_be_visible()
    award = AwardType.objects.get(name="县级三好学生")

    # Each school sends its nominee up (their own pages, tested elsewhere).
    sent_up(w, award, b.yz, w.student_xiao)
    sent_up(w, award, b.ez, b.ez_student)

    page.goto(f"{base}/bureau/county/nominations/awards/{award.pk}/ranking/?year=2026")
    rows = page.get_by_test_id("rank-row")
    expect(rows).to_have_count(2)
    ez_row = page.locator("[data-testid=rank-row][data-nominee=王二中]")
    ez_row.locator("input[name=score]").fill("95")
    ez_row.locator("[data-testid=score-form] input[name=reason]").fill("评审打分")
    ez_row.locator("[data-testid=score-form] button").click()
    expect(rows.first.get_by_test_id("rank-name")).to_have_text("王二中")
    expect(rows.first.get_by_test_id("rank-school")).to_have_text("示例县第二中学")
    expect(rows.nth(1).get_by_test_id("rank-school")).to_have_text("示例县第一中学")

    page.locator("[data-testid=rank-row][data-nominee=王二中] [data-testid=select]").click()
    expect(
        page.locator("[data-testid=rank-row][data-nominee=王二中] [data-testid=rank-status]")
    ).to_have_text("已入选")
    page.locator("[data-testid=rank-row][data-nominee=肖同学] [data-testid=select]").click()
    expect(page.get_by_test_id("rank-error")).to_contain_text("入选名额已满：最多 1 名，已有 1 名。")

    page.get_by_test_id("to-notice").click()
    page.fill("input[name=title]", "2026年度县级三好学生公示")
    page.fill("textarea[name=basis]", "《示例县2026年创先争优表彰办法》")
    page.fill("input[name=starts_on]", "2026-11-23")  # a notice starts no earlier than it is published
    page.fill("input[name=office]", "县教育局监督室")
    page.fill("input[name=phone]", "0731-7654321")
    page.fill("input[name=address]", "县教育局三楼")
    page.check("input[name=nominations]")
    page.click("[data-testid=notice-form] button[type=submit]")
    expect(page.get_by_test_id("notice-end")).to_have_text("2026-11-27")
    assert Nomination.objects.get(nominee_name="王二中", award_type=award).notice_id is not None
    page.get_by_test_id("notice-link").click()
    expect(page.locator("body")).to_contain_text("王二中")
