"""The 总结 analyses what the data shows: three campaigns of one school year — nothing done, a weak one,
a strong one — each praised only where its figures reach the template's thresholds, with the weakest
and strongest classes named, true wording for prize money and turnout, and GB/T 9704 layout that
LibreOffice keeps (header rows repeated, rows unsplit, headings kept with what follows, page numbers
on the outer side, the 落款 on the last page)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest
import time_machine
from django.core.management import call_command
from docx import Document as open_docx
from docx.shared import Pt

from chuangyou.org.rules import actor_for
from chuangyou.reports import services
from chuangyou.reports.documents import summary_docx
from chuangyou.reports.pdf import docx_to_pdf
from chuangyou.reports.summary import docx_text
from chuangyou.reports.tests import campaigns
from chuangyou.testing import World, build_world

PRAISE = ("是参与面广。", "是常规扎实。", "是服务有力。", "是承诺兑现。", "是评议规范。", "是先进涌现。")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def at_summary_day(db: None) -> Iterator[World]:
    """The personas, and the clock stopped on SUMMARY_DAY (inside the plan's last phase)."""
    moment = dt.datetime.combine(campaigns.SUMMARY_DAY, dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        yield build_world(on=dt.date(2025, 8, 1))


def _text(world: World, build: object) -> str:
    campaign = build(world)  # type: ignore[operator]
    return docx_text(summary_docx(campaign))


def _body(text: str) -> str:
    """The prose, without the class table."""
    return text.split("\n班级\n")[0]


def test_nothing_done_praises_nothing_and_says_what_is_missing(at_summary_day: World) -> None:
    text = _body(_text(at_summary_day, campaigns.nothing_done))
    assert text.startswith("示例县第一中学2025—2026学年创先争优活动总结\n")
    for praise in PRAISE:
        assert praise not in text
    assert "各项工作尚未取得可以用数据说明的成效" in text
    assert "经验有待在今后的工作中总结提炼" in text
    assert "一是活动尚未开展。学校还没有发布任何活动。" in text
    assert "教职工参与活动尚为空白，6名教职工无一人参加。" in text
    assert "每周一练尚未开展" in text
    assert "公开承诺尚未开展" in text
    assert "本阶段还没有组织民主评议" in text
    assert "志愿服务尚无经认证的记录" in text
    assert "0人" not in text
    assert "0.0%" not in text
    assert "暂无数据" not in text
    assert "奖金" not in text
    assert "_" not in text
    assert (
        "一是动员部署阶段（2025年9月1日至2025年9月30日）：召开动员大会，学习活动方案，分解任务到人。" in text
    )
    assert "截至2026年6月20日，活动正处于“总结完善”阶段，前3个阶段已经完成。" in text
    assert text.endswith("\n示例县第一中学\n2026年6月20日")


def test_a_weak_campaign_is_not_praised_for_what_it_lacks(at_summary_day: World) -> None:
    text = _body(_text(at_summary_day, campaigns.weak))
    for praise in PRAISE[:5]:
        assert praise not in text
    assert "一是先进涌现。" in text
    assert "学校表彰优秀学生干部1人，共1人次，应发奖金100元，尚未发放。" in text
    assert "参加活动的学生只有2人，占16.7%，低于60%的目标，初一（1）班、初一（2）班参与率最低" not in text
    assert "参加活动的学生只有2人，占16.7%，低于60%的目标。" in text
    assert "按时完成率8.3%" in text
    assert "初一（2）班最低（0.0%）" in text
    assert "1项任务逾期未完成：“制定班级活动计划”（田师负责，2026年5月31日到期）" in text
    assert "1条逾期未兑现：“每月精读一本教育专著”（王武负责，2026年6月10日到期）" in text
    assert "应发奖金100元，已发0元，尚有100元未发放" in text
    assert "0人，占0.0%" not in text


def test_a_strong_campaign_is_praised_with_its_figures_and_names(at_summary_day: World) -> None:
    whole = _text(at_summary_day, campaigns.strong)
    text = _body(whole)
    for praise in PRAISE:
        assert praise in text
    assert "学生参加活动10人，占学生总数的83.3%；教职工参加4人，占66.7%" in text
    assert "各班中参与率最高的是初一（1）班（100.0%），最低的是初一（2）班（66.7%）" in text
    assert "按时完成率91.7%，其中初一（1）班最高（100.0%），初一（2）班最低（83.3%）" in text
    assert "共24小时" in text
    assert "2条承诺事项已兑现2条，兑现率100.0%" in text
    assert "“五星级党支部创评”参评率90.0%" in text
    assert "示例县第一中学党支部被评为五星级党支部" in text
    assert "学生获得数学竞赛一等奖1人次" in text
    assert "学校表彰优秀学生干部1人，共1人次，应发奖金100元，已全部发放。" in text
    assert "《校园雨水回收装置》（2000元）" in text
    assert (
        "与2025年度相比，学生参与率由16.7%提高到83.3%；志愿服务时长从无到有，达到24小时；"
        "表彰从无到有，达到1人次。" in text
    )
    assert "同时也要看到，各班之间还不平衡：初一（2）班的参与率为66.7%" in text
    assert "各项工作均已达到预期" in text
    assert "0人，占0.0%" not in text
    # About 3,000 characters with the class table (two classes here; a school of 25 adds ~600 more).
    assert 2500 <= len(whole.replace("\n", "")) <= 3500


def test_the_docx_keeps_its_layout_and_libreoffice_prints_the_signature_last(
    at_summary_day: World, tmp_path: Path
) -> None:
    campaign = campaigns.strong(at_summary_day)
    out = tmp_path / "总结.docx"
    call_command("write-summary", str(campaign.pk), "--out", str(out))
    data = out.read_bytes()
    _check_gbt9704(data, headings=["一、基本情况", "二、主要做法", "三、取得的成效", "四、主要经验",
                                   "五、存在的问题和下一步打算"])  # fmt: skip
    doc = open_docx(io.BytesIO(data))
    assert doc.paragraphs[0].text == "示例县第一中学2025—2026学年创先争优活动总结"
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["班级", "学生数"]
    assert len(table.rows) == 3  # the header and the two classes
    _check_pdf(docx_to_pdf(data), signature=["示例县第一中学", "2026年6月20日"])


def test_the_document_title_names_the_school_year(at_summary_day: World) -> None:
    campaign = campaigns.nothing_done(at_summary_day)
    document = services.request_summary(actor=actor_for(at_summary_day.wang), campaign=campaign)
    assert document.title == "示例县第一中学2025—2026学年创先争优活动总结"


# --- shared with the bureau 总结 and the 简报 ------------------------------------------------------


def check_gbt9704(data: bytes, *, headings: list[str]) -> None:
    _check_gbt9704(data, headings=headings)


def _check_gbt9704(data: bytes, *, headings: list[str]) -> None:
    """A4 and the standard margins, 2号 title and 3号 body, headings kept with the next paragraph,
    every table's first row repeated and no row allowed to split, odd/even page-number footers."""
    doc = open_docx(io.BytesIO(data))
    section = doc.sections[0]
    edges = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    assert [round(x.mm) for x in (*edges, section.left_margin, section.right_margin)] == [
        210,
        297,
        37,
        35,
        28,
        26,
    ]
    assert doc.styles["公文标题"].font.size == Pt(22)
    assert doc.styles["Normal"].font.size == Pt(16)
    assert [p.text for p in doc.paragraphs if p.style.name == "一级标题"] == headings
    for name in ("公文标题", "一级标题", "二级标题"):
        assert doc.styles[name].paragraph_format.keep_with_next is True
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = z.read("word/styles.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert styles.count("<w:keepNext/>") >= 3
    assert "<w:evenAndOddHeaders/>" in settings
    for table in [t for t in doc.tables if len(t.rows) > 1]:  # a one-row table is layout, not data
        rows = [row._tr for row in table.rows]
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    assert "PAGE" in section.footer._element.xml
    assert "PAGE" in section.even_page_footer._element.xml


def check_pdf(pdf: bytes, *, signature: list[str], min_pages: int = 1) -> None:
    _check_pdf(pdf, signature=signature, min_pages=min_pages)


def _check_pdf(pdf: bytes, *, signature: list[str], min_pages: int = 2) -> None:
    """Page numbers "— n —" at the foot, odd pages on the right and even on the left; the last
    page ends with the signature lines."""
    document = pdfium.PdfDocument(pdf)
    try:
        count = len(document)
        assert count >= min_pages
        for index in range(count):
            page = document[index]
            width = page.get_width()
            text = page.get_textpage()
            left = re.sub(r"\s+", "", text.get_text_bounded(0, 0, width / 2, 90))
            right = re.sub(r"\s+", "", text.get_text_bounded(width / 2, 0, width, 90))
            number = f"—{index + 1}—"
            assert (number in right, number in left) == ((True, False) if index % 2 == 0 else (False, True))
            if index == count - 1:
                lines = [re.sub(r"\s+", "", line) for line in text.get_text_range().splitlines()]
                body = [line for line in lines if line]
                assert body[-3:-1] == signature, body[-4:]
            text.close()
            page.close()
    finally:
        document.close()
