from __future__ import annotations

import io
import re
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from chuangyou.reports.briefing import briefing_files
from chuangyou.reports.models import Briefing
from chuangyou.reports.summary import docx_text
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import World


def test_issues_are_numbered_per_year_with_supplements_apart(world: World, tmp_path: Path) -> None:
    build(world)
    today = timezone.localdate()
    args = ["yizhong", "--from", str(today.replace(day=1) - timezone.timedelta(days=40)), "--to", str(today)]
    for extra in ([], [], ["--supplement"]):
        call_command("write-briefing", *args, *extra, "--bao", "县教育局", "--out", str(tmp_path / "b.docx"))
    labels = [b.label for b in Briefing.objects.order_by("pk")]
    year = today.year
    assert labels == [f"{year}年第1期", f"{year}年第2期", f"{year}年增刊第1期"]
    text = docx_text((tmp_path / "b.docx").read_bytes())
    assert "报：县教育局" in text
    assert "红色经典诵读" in text
    assert "展出照片1张" in text
    assert "_" not in text


def test_the_briefing_prints_to_pdf(world: World) -> None:
    build(world)
    today = timezone.localdate()
    call_command(
        "write-briefing",
        "yizhong",
        "--from",
        str(today - timezone.timedelta(days=30)),
        "--to",
        str(today),
        "--fa",
        "各处室",
        "--out",
        "/dev/null",
    )
    _docx, pdf = briefing_files(Briefing.objects.get())
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "创先争优工作简报" in text
    assert f"{today.year}年第1期" in text
    assert "发：各处室" in text
    assert "示例县第一中学" in text


def test_the_briefing_is_laid_out_to_the_standard(world: World) -> None:
    from chuangyou.reports.tests.test_summary import check_gbt9704, check_pdf

    build(world)
    today = timezone.localdate()
    call_command(
        "write-briefing", "yizhong", "--from", str(today - timezone.timedelta(days=30)), "--to", str(today),
        "--bao", "县教育局", "--fa", "各处室", "--out", "/dev/null",
    )  # fmt: skip
    briefing = Briefing.objects.get()
    docx, pdf = briefing_files(briefing)
    check_gbt9704(docx, headings=["一、活动开展情况", "二、成果展示", "三、表彰情况"])
    text = docx_text(docx)
    assert "日期\n活动\n类别\n参加人次\n负责人" in text
    assert "红色经典诵读\n主题教育\n2\n胡班" in text
    imprint = f"{briefing.issuer}{today.year}年{today.month}月{today.day}日印发"
    check_pdf(pdf, signature=["发：各处室", imprint])
