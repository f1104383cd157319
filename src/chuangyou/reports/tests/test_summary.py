"""The 总结 written from the data: every figure checked against the rows, no blank left, and
LibreOffice opens it and prints the same figures to PDF."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.db.models import Sum
from docx import Document as open_docx
from docx.shared import Pt
from pypdf import PdfReader

from chuangyou.activities.models import Activity, Evidence, Registration
from chuangyou.commitments.models import Item
from chuangyou.org.models import Staff, Student
from chuangyou.reports.pdf import docx_to_pdf
from chuangyou.reports.summary import NO_DATA, docx_text
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import World
from chuangyou.volunteering.models import Claim


def expected_sentences(world: World, campaign_id: int) -> list[str]:
    """Each figure counted straight from the tables, not through the facts layer."""
    school = world.school
    published = Activity.objects.filter(campaign_id=campaign_id, status="published")
    held = published.filter(ends_at__lte=published.latest("ends_at").ends_at).exclude(title="数学竞赛")
    places = Registration.objects.filter(activity__in=published, status="confirmed")
    students = Student.objects.filter(school=school)
    taking_part = students.filter(pk__in=places.values("student")).count()
    staff_in = Staff.objects.filter(school=school, pk__in=places.values("staff")).count()
    hours = Claim.objects.filter(school=school, status="approved").aggregate(h=Sum("hours"))["h"]
    items = Item.objects.filter(commitment__campaign_id=campaign_id, commitment__status="published")
    photos = Evidence.objects.filter(activity__campaign_id=campaign_id, exhibition_approved=True).count()
    staff_total = Staff.objects.filter(school=school).count()
    return [
        f"共发布活动{published.count()}项，已举办{held.count()}项",
        f"学生参加活动{taking_part}人，占学生总数的{Decimal(taking_part * 100 / students.count()):.1f}%",
        f"教职工参加活动{staff_in}人，占教职工总数的{Decimal(staff_in * 100 / staff_total):.1f}%",
        f"累计参与{places.count()}人次，获奖1人次",
        "每周一练应交1份，实交1份",
        "按时完成率100.0%",
        f"共{Decimal(hours).normalize():f}小时",
        f"承诺事项{items.count()}条",
        f"已兑现{items.filter(fulfilment='fulfilled').count()}条，兑现率50.0%",
        f"展出活动照片{photos}张",
        f"全校现有学生{students.count()}名、教职工{staff_total}名",
    ]


def test_the_summary_has_every_figure_from_the_data_and_no_blank(world: World, tmp_path: Path) -> None:
    s = build(world)
    out = tmp_path / "总结.docx"
    call_command("write-summary", str(s.campaign.pk), "--out", str(out))
    data = out.read_bytes()
    text = docx_text(data)
    for sentence in expected_sentences(world, s.campaign.pk):
        assert sentence in text
    assert "_" not in text
    assert "{{" not in text
    # Nothing to count yet: said plainly.
    assert f"民主评议参评率{NO_DATA}" in text
    assert "初一（1）班" in text

    doc = open_docx(io.BytesIO(data))
    section = doc.sections[0]
    edges = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    sides = (section.left_margin, section.right_margin)
    assert [round(x.mm) for x in (*edges, *sides)] == [210, 297, 37, 35, 28, 26]  # stored in twips
    title = doc.paragraphs[0]
    assert title.text == f"示例县第一中学{s.campaign.year}年度创先争优活动总结"
    assert title.style.font.size == Pt(22)
    fonts = title.style.element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )
    body = doc.styles["Normal"]
    assert body.font.size == Pt(16)
    assert body.paragraph_format.line_spacing == Pt(28)
    assert body.paragraph_format.first_line_indent == Pt(32)
    headings = [p.text for p in doc.paragraphs if p.style.name == "一级标题"]
    assert headings == [
        "一、基本情况",
        "二、主要做法",
        "三、取得的成效",
        "四、主要经验",
        "五、存在的问题和下一步打算",
    ]
    assert "PAGE" in section.footer._element.xml


def test_libreoffice_prints_the_same_figures(world: World) -> None:
    from chuangyou.reports.documents import summary_docx

    s = build(world)
    pdf = docx_to_pdf(summary_docx(s.campaign))
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert len(reader.pages) >= 2
    for sentence in expected_sentences(world, s.campaign.pk):
        assert sentence in text
    assert "—1—" in text
