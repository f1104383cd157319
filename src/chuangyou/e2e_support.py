"""Fixtures for browser tests: Playwright drives the machine's Chromium against a live server.

A browser test is marked `@pytest.mark.e2e`, takes `page` (a fresh context per test) and `live_server`,
and signs in with `login_as(page, live_server.url, world.alice)`. Screenshots of failures go to
test-results/. Chromium must be at CHROMIUM_PATH (default /usr/bin/chromium): `make test` installs it;
a missing browser is an error, never a silent skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

    from chuangyou.accounts.models import User

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
]
PHONE: ViewportSize = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` as root, or apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; Django's guard against ORM calls
    # from async code would otherwise refuse the test's own database work.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        out = Path("test-results")
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: Any) -> Iterator[Any]:
    outcome: Any = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]


def login_as(page: Page, base_url: str, user: User, password: str | None = None) -> None:
    """Sign in through the real login form, as the person would."""
    from chuangyou.testing import PASSWORD

    page.goto(f"{base_url}/accounts/login/")
    if not user.username.startswith("m:"):
        # The unit code is the part of the account key before the colon: a school's or a bureau's.
        page.select_option("select[name=school]", user.username.split(":", 1)[0])
    page.fill("input[name=login]", user.login)
    page.fill("input[name=password]", password or PASSWORD)
    page.click("button[type=submit]")
    # "attached", not visible: on a phone the name sits inside the collapsed menu.
    page.wait_for_selector("[data-testid=whoami]", state="attached")
