from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from chuangyou.exhibition.models import Takedown, TakedownStatus
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import World

LOADED_WIDTH = """img => img.complete && img.naturalWidth ? img.naturalWidth : new Promise(
    (done, failed) => {
        img.addEventListener("load", () => done(img.naturalWidth), {once: true});
        img.addEventListener("error", () => failed(new Error("thumbnail failed")), {once: true});
    })"""


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """The takedown limit counts per address in the cache, and every test's browser is 127.0.0.1: in
    one test process the local-memory cache lives across tests, so another test's requests must not
    spend this one's allowance."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.e2e
def test_a_visitor_on_a_phone_views_the_gallery_and_asks_for_a_photo_to_come_down(
    live_world: World, live_server: LiveServer, phone_page: Page
) -> None:
    s = build(live_world)
    gallery = f"{live_server.url}/s/yizhong/exhibition/"
    phone_page.goto(gallery)
    photo = phone_page.get_by_test_id(f"photo-{s.photo.pk}")
    image = photo.get_by_role("img", name="诵读现场")
    expect(image).to_be_visible()
    expect(image).to_have_attribute("loading", "lazy")
    # Visible is not loaded: the box is laid out before the thumbnail (made on this first showing)
    # arrives, and naturalWidth is 0 until then. Wait for the image's own load event.
    assert image.evaluate(LOADED_WIDTH) == 480  # the thumbnail, not the original
    expect(phone_page.get_by_test_id("share").locator("svg")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

    with phone_page.context.expect_page() as opened:
        image.click()
    full = opened.value
    full.wait_for_load_state()
    assert full.evaluate("document.images[0].naturalWidth") == 800  # the full photo
    full.close()

    photo.get_by_role("link", name="申请撤下").click()
    # click() returns once the navigation starts: measure the form's page, not the gallery's.
    expect(phone_page.get_by_label("您的姓名")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    phone_page.get_by_label("您的姓名").fill("马家长")
    phone_page.get_by_label("联系方式").fill("13800000001")
    phone_page.get_by_label("撤下理由").fill("照片里是我家孩子的正脸，请撤下。")
    phone_page.get_by_role("button", name="提交申请").click()
    expect(phone_page.get_by_test_id("takedown-done")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

    phone_page.goto(gallery)
    expect(phone_page.get_by_test_id("no-photos")).to_be_visible()
    assert list(Takedown.objects.values_list("name", "status")) == [("马家长", TakedownStatus.PENDING)]
