"""On a 375 px phone a list's rows become cards, each value labelled with its column (issue 11); on a PC
the same list is a table."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from chuangyou.e2e_support import login_as
from chuangyou.nominations.tests.helpers import award_of, campaign_of, selected
from chuangyou.testing import World

LIST = "/school/yizhong/nominations/"


def _shape(page: Page) -> dict[str, object]:
    return page.evaluate(
        """() => {
          const cell = document.querySelector('table.table tbody td');
          return {
            cards: document.querySelector('table.table').classList.contains('table-cards'),
            display: getComputedStyle(cell).display,
            label: getComputedStyle(cell, '::before').content,
            fits: document.documentElement.scrollWidth <= window.innerWidth,
          };
        }"""
    )


@pytest.mark.e2e
def test_a_list_is_cards_on_a_phone_and_a_table_on_a_pc(
    live_world: World, live_server, phone_page: Page, page: Page
) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_of(live_world)
    selected(live_world, award_of(live_world), campaign)
    login_as(phone_page, live_server.url, live_world.wang)
    phone_page.goto(live_server.url + LIST)
    phone = _shape(phone_page)
    assert phone["cards"] is True
    assert phone["display"] == "flex"
    assert phone["label"] == '"被推荐人"'
    assert phone["fits"] is True
    login_as(page, live_server.url, live_world.wang)
    page.goto(live_server.url + LIST)
    pc = _shape(page)
    assert pc["display"] == "table-cell"
    assert pc["label"] in ("none", "normal")
