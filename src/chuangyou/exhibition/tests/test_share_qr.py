"""The share code on the exhibition pages (an inline SVG) reads back, in a browser, as the address."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page

from chuangyou.exhibition.selectors import share_qr
from chuangyou.lib.site import site_url


@pytest.mark.e2e
def test_the_share_code_reads_back_as_the_page_address(page: Page) -> None:
    path = "/s/yizhong/exhibition/?activity=12&page=2"
    page.set_content(f'<div style="width:180px;padding:12px;background:#fff">{share_qr(path)}</div>')
    shot = page.locator("svg").screenshot()
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert [code.text for code in codes] == [site_url() + path]  # no request: the development address
