"""The fonts the PDFs embed: shipped in the package, subset into each PDF, simplified (mainland) glyph
forms for 楷体, and a fallback face for a character the Kai font lacks."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.test import override_settings
from PIL import Image, ImageFilter
from reportlab.pdfgen import canvas

from chuangyou.lib import fonts
from chuangyou.lib.fonts import HEI, KAI, FontMissing, draw_text, register, runs
from chuangyou.pdf_support import pdf_text


def test_cjk_fonts_embed_as_subsets() -> None:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for spec in (HEI, KAI):
        pdf.setFont(register(spec), 20)
        pdf.drawString(50, 700 if spec is HEI else 650, "荣誉证书 昭陵中学")
    pdf.save()
    data = out.getvalue()
    assert b"/FontFile2" in data  # the TrueType program is embedded...
    assert len(data) < 200_000  # ...as a subset: the two fonts are 9.8 MB
    assert pdf_text(data) == "荣誉证书昭陵中学荣誉证书昭陵中学"


def test_the_fonts_are_the_ones_shipped_in_the_package() -> None:
    assert fonts.font_path(KAI) == fonts.SHIPPED_DIR / "gkai00mp.ttf"
    assert fonts.font_path(HEI) == fonts.SHIPPED_DIR / "wqy-microhei.ttc"
    licences = {p.name for p in fonts.SHIPPED_DIR.glob("LICENSE-*")}
    assert licences == {"LICENSE-ARPHIC.txt", "LICENSE-wqy-microhei.txt"}


def test_a_missing_font_folder_says_so(tmp_path: Path) -> None:
    with override_settings(PDF_FONT_DIR=str(tmp_path)), pytest.raises(FontMissing) as caught:
        fonts.font_path(KAI)
    assert str(tmp_path / "gkai00mp.ttf") in str(caught.value)


def test_a_character_outside_the_kai_font_is_printed_in_the_fallback_face() -> None:
    # 喆 and 堃 are in GBK but not GB2312, which AR PL KaitiM GB covers: common in given names.
    assert runs("王喆", KAI) == [("CY-Kai", "王"), ("CY-Hei", "喆")]
    assert runs("李堃同学", KAI) == [("CY-Kai", "李"), ("CY-Hei", "堃"), ("CY-Kai", "同学")]
    assert runs("荣誉证书 2026", KAI) == [("CY-Kai", "荣誉证书 2026")]
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    draw_text(pdf, 300, 700, "王喆（初一（1）班）", spec=KAI, size=20, align="centre")
    pdf.save()
    assert pdf_text(out.getvalue()) == "王喆（初一（1）班）"


# --- simplified glyph forms -----------------------------------------------------------------------

# Each character with the traditional or Taiwan form a wrong Kai font prints for it. AR PL UKai, used
# before, drew 真 as 眞: run with it, the first case fails.
FORMS = [("真", "眞"), ("说", "說"), ("为", "爲"), ("国", "國")]
CELL = 120  # points: one glyph at 100 pt per cell


def _page_of_glyphs() -> Image.Image:
    """Row 0: the characters in the certificate's Kai face; row 1: the simplified forms in Micro Hei
    (a mainland font); row 2: the traditional forms in Micro Hei. Rendered through a PDF, as printed."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(CELL * len(FORMS), CELL * 3))
    for col, (simplified, traditional) in enumerate(FORMS):
        for row, (text, spec) in enumerate(((simplified, KAI), (simplified, HEI), (traditional, HEI))):
            pdf.setFont(register(spec), 100)
            pdf.drawString(col * CELL + 10, CELL * (2 - row) + 20, text)
    pdf.save()
    document = pdfium.PdfDocument(out.getvalue())
    try:
        page = document[0]
        image = page.render(scale=2, grayscale=True).to_pil().convert("L")
        page.close()
        return image
    finally:
        document.close()


def _shape(page: Image.Image, row: int, col: int) -> list[float]:
    """The glyph cut to its ink, scaled to a square and blurred: its shape, not the face's style."""
    cell = page.crop((col * CELL * 2, row * CELL * 2, (col + 1) * CELL * 2, (row + 1) * CELL * 2))
    ink = Image.eval(cell, lambda v: 255 - v)
    box = ink.getbbox()
    assert box is not None, f"nothing printed in row {row}, column {col}"
    square = ink.crop(box).resize((64, 64), Image.Resampling.BOX).filter(ImageFilter.GaussianBlur(2))
    return [float(v) for v in square.resize((16, 16), Image.Resampling.BOX).tobytes()]


def _correlation(a: list[float], b: list[float]) -> float:
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b, strict=True))
    spread = math.sqrt(sum((x - mean_a) ** 2 for x in a) * sum((y - mean_b) ** 2 for y in b))
    return cov / spread


@pytest.mark.parametrize(("column", "form"), list(enumerate(FORMS)), ids=[s for s, _t in FORMS])
def test_the_kai_face_draws_the_simplified_form(column: int, form: tuple[str, str]) -> None:
    page = _page_of_glyphs()
    kai, simplified, traditional = (_shape(page, row, column) for row in range(3))
    to_simplified, to_traditional = _correlation(kai, simplified), _correlation(kai, traditional)
    assert to_simplified > to_traditional + 0.05, (form, round(to_simplified, 3), round(to_traditional, 3))
