"""荣誉证书 as PDF: landscape A4 in 楷体 (embedded, subset), the seal, the number and a QR code (vector).

The QR opens the public verification page with the number and its HMAC (django.core.signing under
SECRET_KEY), so a forged number or an edited QR is "未找到" without a database lookup.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from django.core import signing
from django.urls import reverse
from PIL import Image, ImageDraw
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from chuangyou.lib import qr
from chuangyou.lib.fonts import KAI, draw_text
from chuangyou.lib.site import site_url

SALT = "chuangyou.honors.certificate"
RED = Color(0.75, 0.08, 0.08)
GOLD = Color(0.72, 0.55, 0.18)
Align = Literal["left", "centre", "right"]


def sign_number(number: str) -> str:
    return signing.Signer(salt=SALT).sign(number)


def unsign_number(token: str) -> str | None:
    try:
        return signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None


def verify_url(school_code: str, number: str) -> str:
    path = reverse("honors_public:verify", kwargs={"code": school_code})
    return f"{site_url()}{path}?c={sign_number(number)}"


@dataclass(frozen=True)
class CertificateData:
    title: str  # the award, e.g. 三好学生
    name: str
    unit: str  # class or unit
    reason: str
    issuer: str
    date_text: str  # 二〇二六年十一月二十一日 style is the issuer's choice; we print yyyy年m月d日
    number: str
    url: str  # what the QR opens


def drawn_seal(text: str, size: int = 400) -> bytes:
    """A red round seal with a star, for the demo and tests; a school uploads its real seal."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red = (200, 20, 20, 230)
    d.ellipse((8, 8, size - 8, size - 8), outline=red, width=size // 25)
    cx = cy = size / 2
    r = size * 0.16
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    d.polygon(points, fill=red)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _text(canvas: Canvas, x: float, y: float, text: str, size: float, align: Align, font: str | None) -> None:
    """In the embedded 楷体 (with the fallback face for a rare character), or in `font` when given."""
    if font is None:
        draw_text(canvas, x, y, text, spec=KAI, size=size, align=align)
        return
    canvas.setFont(font, size)
    {"left": canvas.drawString, "centre": canvas.drawCentredString, "right": canvas.drawRightString}[align](
        x, y, text
    )


def draw(canvas: Canvas, data: CertificateData, seal_png: bytes | None, *, font: str | None = None) -> None:
    """One certificate on the canvas's current page. `font` (a reportlab base font, for the Latin
    benchmark) replaces the embedded 楷体."""
    width, height = landscape(A4)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(4)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    canvas.setLineWidth(1)
    canvas.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)
    canvas.setFillColor(RED)
    _text(
        canvas, width / 2, height - 52 * mm, "荣誉证书" if font is None else "Certificate", 44, "centre", font
    )
    canvas.setFillColor(Color(0, 0, 0))
    _text(canvas, 40 * mm, height - 80 * mm, f"{data.name}（{data.unit}）：", 22, "left", font)
    _text(canvas, 52 * mm, height - 96 * mm, data.reason, 18, "left", font)
    _text(canvas, width / 2, height - 118 * mm, f"「{data.title}」", 26, "centre", font)
    _text(canvas, width - 45 * mm, 52 * mm, data.issuer, 18, "right", font)
    _text(canvas, width - 45 * mm, 42 * mm, data.date_text, 18, "right", font)
    if seal_png:
        canvas.drawImage(_seal(seal_png), width - 95 * mm, 28 * mm, 42 * mm, 42 * mm, mask="auto")
    qr.draw(canvas, data.url, 26 * mm, 24 * mm, 30 * mm)
    number = f"证书编号：{data.number}" if font is None else f"No. {data.number}"
    _text(canvas, 60 * mm, 27 * mm, number, 11, "left", font)
    _text(canvas, 60 * mm, 21 * mm, "扫码验证真伪" if font is None else "Scan to verify", 11, "left", font)


@lru_cache(maxsize=4)
def _seal(seal_png: bytes) -> ImageReader:
    """One reader per seal, so a batch embeds the seal image once rather than once per page."""
    return ImageReader(io.BytesIO(seal_png))


def render(items: list[CertificateData], seal_png: bytes | None, *, font: str | None = None) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=landscape(A4), pageCompression=1)
    canvas.setTitle("荣誉证书")
    for data in items:
        draw(canvas, data, seal_png, font=font)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
