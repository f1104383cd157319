"""QR codes drawn as vector squares: a phone's decoder reads back exactly the text, at every size the
app prints, and the page carries no image."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from chuangyou.lib import qr
from chuangyou.pdf_support import qr_codes

TEXTS = [
    "http://127.0.0.1:8000/s/yizhong/evaluations/code/ABCDE23456/",
    "https://cy.example.edu.cn/s/yizhong/honors/verify/?c=2026yizhongSH0001:tNmpDJkrxkToCU-Er2tbW7iu8KGW61f",
    "https://cy.example.edu.cn/s/zhaoling-middle-school/nominations/notices/123456/" + "x" * 120,
]


@pytest.mark.parametrize("size_mm", [30, 36, 80])
def test_every_code_reads_back_exactly(size_mm: int) -> None:
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for text in TEXTS:
        qr.draw(pdf, text, 20 * mm, 20 * mm, size_mm * mm)
        pdf.showPage()
    pdf.save()
    data = out.getvalue()
    assert qr_codes(data) == [[text] for text in TEXTS]
    assert b"/Subtype /Image" not in data  # squares, not a picture


def test_the_mask_is_fixed_and_the_modules_are_segnos() -> None:
    import segno

    rows = qr.modules(TEXTS[0])
    assert rows == segno.make(TEXTS[0], error="m", mask=qr.MASK, micro=False).matrix
    assert len(rows) in {33, 37}  # version 4 or 5 for a ballot address
