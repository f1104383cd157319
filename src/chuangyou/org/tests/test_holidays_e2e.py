"""On a 375 px phone: the bureau admin clicks from the bureau home to 放假安排 and enters 2027; the school
admin finds the page from the home card."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from chuangyou.e2e_support import login_as
from chuangyou.org.models import HolidaySchedule
from chuangyou.testing import World


@pytest.mark.e2e
def test_entering_2027_from_a_phone(live_world: World, live_server: Any, phone_page: Page) -> None:
    w, base, page = live_world, live_server.url, phone_page
    login_as(page, base, w.ju)
    page.goto(f"{base}/bureau/county/")
    page.get_by_test_id("bureau-holidays-link").click()
    expect(page.get_by_test_id("holiday-form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("input[name=year]", "2027")
    page.fill("textarea[name=holidays]", "2027-01-01、2027-01-02、2027-01-03\n2027/2/10")
    page.fill("textarea[name=workdays]", "2027/2/20")
    page.fill("input[name=source_note]", "国办发明电〔2026〕1号")
    page.click("[data-testid=holiday-form] button[type=submit]")
    expect(page.get_by_test_id("holiday-row")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert HolidaySchedule.objects.get().holidays == ["2027-01-01", "2027-01-02", "2027-01-03", "2027-02-10"]

    login_as(page, base, w.alice)
    page.goto(f"{base}/")
    page.get_by_test_id("school-holidays-link").click()
    expect(page.get_by_test_id("holiday-row")).to_have_count(1)  # the bureau's, read-only
    expect(page.get_by_test_id("holiday-edit")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
