"""光荣榜 poster: a landscape A4 PDF for the notice board, from the same roll as the public page.

Title in 楷体, then each award with its winners in 姓氏笔画 order, name and class or unit, and a photo
where one was uploaded. Only issued, not revoked honors: an honor is issued only once it is final.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from chuangyou.honors.models import Honor
from chuangyou.lib.fonts import HEI, KAI, draw_text, register

RED = Color(0.75, 0.08, 0.08)
COLUMNS = 4
ROW = 9 * mm
PHOTO_ROW = 30 * mm


def _photo(h: Honor) -> ImageReader | None:
    if not h.photo:
        return None
    try:
        with h.photo.open("rb") as f:
            return ImageReader(io.BytesIO(f.read()))
    except (OSError, ValueError):
        return None  # a missing or unreadable file leaves the name without a photo, not a broken poster


def render(title: str, awards: list[tuple[str, list[Honor]]]) -> bytes:
    hei = register(HEI)
    width, height = landscape(A4)
    out = io.BytesIO()
    c = Canvas(out, pagesize=landscape(A4), pageCompression=1)
    c.setTitle(title)
    left, col_w = 18 * mm, (width - 36 * mm) / COLUMNS

    def page_head() -> float:
        c.setStrokeColor(RED)
        c.setLineWidth(3)
        c.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
        c.setFillColor(RED)
        draw_text(c, width / 2, height - 32 * mm, title, spec=KAI, size=34, align="centre")
        c.setFillColor(Color(0, 0, 0))
        return height - 46 * mm

    y = page_head()
    if not awards:
        c.setFont(hei, 14)
        c.drawCentredString(width / 2, y, "本年度暂无表彰。")
    for award_name, honors in awards:
        with_photos = any(h.photo for h in honors)
        row_h = PHOTO_ROW if with_photos else ROW
        if y - 12 * mm - row_h < 16 * mm:
            c.showPage()
            y = page_head()
        c.setFillColor(RED)
        draw_text(c, left, y, f"【{award_name}】（{len(honors)} 名）", spec=KAI, size=20)
        c.setFillColor(Color(0, 0, 0))
        y -= 10 * mm
        for i, h in enumerate(honors):
            col = i % COLUMNS
            if col == 0 and i:
                y -= row_h
            if y - row_h < 16 * mm:
                c.showPage()
                y = page_head()
            x = left + col * col_w
            text_x = x
            photo = _photo(h) if with_photos else None
            if photo is not None:
                c.drawImage(photo, x, y - 24 * mm, 18 * mm, 24 * mm, preserveAspectRatio=True, mask="auto")
                text_x = x + 20 * mm
            draw_text(c, text_x, y - 5 * mm, h.name, spec=KAI, size=15)
            c.setFont(hei, 9)
            c.drawString(text_x, y - 10 * mm, h.unit[:16])
        y -= row_h + 6 * mm
    c.showPage()
    c.save()
    return out.getvalue()
