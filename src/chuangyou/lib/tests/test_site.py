"""Addresses a phone can open (issue 11): QR codes and printed links use SITE_URL when it is set, else the
host the page was requested from, so slips printed on the school's LAN open on a phone there."""

from __future__ import annotations

from typing import Any

from django.test import Client

from chuangyou.lib.site import DEVELOPMENT, serving, site_url
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.pdf_support import qr_codes
from chuangyou.testing import PINNED_TODAY, World


def test_outside_a_request_it_is_the_development_address_unless_set(settings: Any) -> None:
    settings.SITE_URL = ""
    assert site_url() == DEVELOPMENT
    with serving("http://192.168.1.20:8000"):
        assert site_url() == "http://192.168.1.20:8000"
    settings.SITE_URL = "https://cy.example.edu.cn"
    with serving("http://192.168.1.20:8000"):
        assert site_url() == "https://cy.example.edu.cn"


def test_a_poster_printed_on_the_lan_points_to_the_lan_address(world: World, settings: Any) -> None:
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["192.168.1.20", "testserver"]
    campaign = campaign_of(world)
    notice = notice_for(world, campaign, [selected(world, award_of(world), campaign)], PINNED_TODAY)
    lan = Client(HTTP_HOST="192.168.1.20:8000")
    poster = lan.get(f"/s/yizhong/nominations/notices/{notice.pk}/poster.pdf")
    assert qr_codes(poster.content) == [
        [f"http://192.168.1.20:8000/s/yizhong/nominations/notices/{notice.pk}/"]
    ]
    settings.SITE_URL = "https://cy.example.edu.cn"
    named = lan.get(f"/s/yizhong/nominations/notices/{notice.pk}/poster.pdf")
    assert qr_codes(named.content) == [
        [f"https://cy.example.edu.cn/s/yizhong/nominations/notices/{notice.pk}/"]
    ]
