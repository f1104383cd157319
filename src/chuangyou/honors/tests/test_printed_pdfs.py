"""Every PDF the app draws with reportlab — certificates (one and a batch), the 光荣榜 poster, the 公示
poster, the voting-code slips — prints Chinese with no system font installed, and every QR code on them
reads back as exactly the address it should open."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics

from chuangyou.evaluations.documents import ballot_url
from chuangyou.evaluations.models import Evaluation
from chuangyou.evaluations.tests.conftest import build_teacher_evaluation
from chuangyou.honors import certificates, services
from chuangyou.honors.models import Honor
from chuangyou.lib import fonts
from chuangyou.lib.site import serving
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.pdf_support import pdf_text, qr_codes
from chuangyou.testing import World

SYSTEM_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", str(Path.home() / ".fonts"))


# QR codes use the host a page was requested from when SITE_URL is unset (chuangyou.lib.site)
TESTSERVER = "http://testserver"


@pytest.fixture
def no_system_fonts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """Any read under a system font folder fails, reportlab searches nowhere and fontconfig knows no
    font; the fonts are registered afresh. Yields the files opened, to check where the fonts came from."""
    opened: list[str] = []
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        name = str(file)
        if name.startswith(SYSTEM_FONT_DIRS):
            raise FileNotFoundError(name)
        opened.append(name)
        return real_open(file, *args, **kwargs)

    (tmp_path / "fonts.conf").write_text("<?xml version='1.0'?><fontconfig></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(tmp_path / "fonts.conf"))
    monkeypatch.setattr(rl_config, "TTFSearchPath", [])
    monkeypatch.setattr(builtins, "open", guarded_open)
    fonts.register.cache_clear()
    fonts._glyphs.cache_clear()
    for spec in (fonts.KAI, fonts.HEI):
        pdfmetrics._fonts.pop(spec.name, None)  # type: ignore[attr-defined]
    yield opened
    fonts.register.cache_clear()
    fonts._glyphs.cache_clear()


def _issued(world: World) -> list[Honor]:
    campaign = campaign_of(world)
    award = award_of(world, quota=2)
    zhe = org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="Z01", name="王喆", gender="M",
        guardians=[("王家长", "13900000077")],
    )  # fmt: skip
    noms = [selected(world, award, campaign), selected(world, award, campaign, zhe)]
    notice = notice_for(world, campaign, noms, dt.date(2026, 9, 28))
    return services.issue_notice(actor=actor_for(world.bella), notice=notice, today=dt.date(2026, 11, 21))


def test_certificates_and_the_roll_poster_need_no_system_font(
    world: World, no_system_fonts: list[str]
) -> None:
    honors = _issued(world)
    client = world.client("alice")
    one = client.get(f"/school/yizhong/honors/{honors[1].pk}/certificate.pdf")
    assert one.status_code == 200
    assert "王喆（初一（1）班）：" in pdf_text(one.content)  # 喆, outside the Kai font, from the fallback
    assert "荣誉证书" in pdf_text(one.content)
    url = f"{TESTSERVER}/s/yizhong/honors/verify/?c={certificates.sign_number(honors[1].number)}"
    assert qr_codes(one.content) == [[url]]

    batch = certificates.render(
        [services.certificate_data(h) for h in honors], services.seal_png(world.school)
    )
    assert qr_codes(batch) == [[certificates.verify_url("yizhong", h.number)] for h in honors]

    poster = world.client("xiao").get("/s/yizhong/honors/roll/2026/poster.pdf")
    assert "示例县第一中学2026年度创先争优光荣榜" in pdf_text(poster.content)
    assert "王喆" in pdf_text(poster.content)
    shipped = str(fonts.SHIPPED_DIR)
    assert {p for p in no_system_fonts if p.endswith((".ttf", ".ttc"))} == {
        f"{shipped}/gkai00mp.ttf",
        f"{shipped}/wqy-microhei.ttc",
    }


def test_the_notice_poster_needs_no_system_font(world: World, no_system_fonts: list[str]) -> None:
    honors = _issued(world)
    notice = honors[0].nomination.notice
    assert notice is not None
    response = world.client("ma").get(f"/s/yizhong/nominations/notices/{notice.pk}/poster.pdf")
    assert response.status_code == 200
    assert "扫描二维码查看公示名单" in pdf_text(response.content)
    assert qr_codes(response.content) == [[f"{TESTSERVER}/s/yizhong/nominations/notices/{notice.pk}/"]]


def test_code_slips_need_no_system_font_and_each_code_opens_its_ballot(
    world: World, no_system_fonts: list[str]
) -> None:
    evaluation = build_teacher_evaluation(world)
    group = evaluation.groups.get(name="家长")
    response = world.client("wang").post(
        f"/school/yizhong/evaluations/{evaluation.pk}/groups/{group.pk}/codes.pdf", {"count": "12"}
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert text.count("扫码投票，无需登录") == 12
    pages = qr_codes(response.content)
    assert [len(page) for page in pages] == [10, 2]
    printed = _printed_codes(text)
    with serving(TESTSERVER):  # the slips were printed from a page at the test client's host
        expected = [ballot_url(evaluation, code) for code in printed]
    assert [url for page in pages for url in page] == expected
    assert _entitled(evaluation, printed) == 12


def _printed_codes(text: str) -> list[str]:
    """The codes as printed under each QR ("ABCDE 23456"), in the slips' order."""
    import re

    return [a + b for a, b in re.findall(r"请妥善保管([0-9A-Z]{5})([0-9A-Z]{5})", text)]


def _entitled(evaluation: Evaluation, codes: list[str]) -> int:
    from chuangyou.evaluations.services import code_digest

    return evaluation.entitlements.filter(code_hash__in=[code_digest(c) for c in codes]).count()
