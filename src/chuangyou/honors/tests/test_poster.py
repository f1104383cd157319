"""The printable 光荣榜: exactly the final, not revoked honors of the school and year, in 姓氏笔画 order."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from pypdf import PdfReader

from chuangyou.honors import services
from chuangyou.nominations import services as nominations
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import World

AFTER = dt.date(2026, 11, 21)


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_poster_lists_exactly_the_final_not_revoked_honors(world: World) -> None:
    campaign = campaign_of(world)
    award = award_of(world, quota=3)
    ding = org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="S010", name="丁同学", gender="M",
        guardians=[("丁家长", "13800000010")],
    )  # fmt: skip
    zhao = org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="S011", name="赵同学", gender="M",
        guardians=[("赵家长", "13800000011")],
    )  # fmt: skip
    issued = [selected(world, award, campaign, s) for s in (world.student_xiao, ding, zhao)]
    notice = notice_for(world, campaign, issued, dt.date(2026, 9, 28))
    honors = services.issue_notice(actor=actor_for(world.bella), notice=notice, today=AFTER)
    services.revoke(actor=actor_for(world.bella), honor=honors[2], reason="经复核撤销")  # 赵同学
    # Selected but never noticed: not final, so not on the roll.
    pending = nominations.create_award_type(
        actor=SYSTEM, school=world.school, name="三好学生", code="SH", level="school", for_kind="student",
        quota_kind="count", quota_value=Decimal(2), quota_unit="class", shortlist_ratio=Decimal(1),
    )  # fmt: skip
    selected(world, pending, campaign, ding)

    response = world.client("xiao").get("/s/yizhong/honors/roll/2026/poster.pdf")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = _text(response.content)
    assert "示例县第一中学2026年度创先争优光荣榜" in text
    assert "【优秀学生干部】（2 名）" in text
    assert "丁同学" in text
    assert "肖同学" in text
    assert text.index("丁同学") < text.index("肖同学")  # 丁 (2 strokes) before 肖 (7)
    assert text.count("初一（1）班") == 2
    for absent in ("赵同学", "三好学生"):
        assert absent not in text
    page = world.client("xiao").get("/s/yizhong/honors/roll/2026/")
    assert 'href="/s/yizhong/honors/roll/2026/poster.pdf"' in page.content.decode()


def test_an_empty_year_prints_an_empty_poster(world: World) -> None:
    response = world.client("ma").get("/s/yizhong/honors/roll/2025/poster.pdf")
    assert response.status_code == 200
    assert "本年度暂无表彰。" in _text(response.content)
