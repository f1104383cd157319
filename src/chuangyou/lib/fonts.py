"""The CJK fonts the PDFs embed, shipped in the package (`lib/data/fonts`), so certificates, posters and
code slips print Chinese on a machine with no font package at all.

reportlab embeds TrueType fonts as subsets, so a PDF carries only the glyphs it uses. The two faces (see
`data/fonts/README.md` for their licences): AR PL KaitiM GB (楷体, simplified forms, GB2312) for
certificates and titles, WenQuanYi Micro Hei (黑体, all of GBK) for small print. `draw_text` prints any
character the Kai face lacks (a rare name outside GB2312) in Micro Hei, rather than as a blank box.
The setting PDF_FONT_DIR names a folder of files with the same names that replaces the shipped ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.utils.translation import gettext
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

SHIPPED_DIR = Path(__file__).resolve().parent / "data" / "fonts"


@dataclass(frozen=True)
class FontSpec:
    name: str  # the name PDFs refer to
    file: str  # the file in the font folder
    subfont: int  # index inside a .ttc collection


KAI = FontSpec("CY-Kai", "gkai00mp.ttf", 0)
HEI = FontSpec("CY-Hei", "wqy-microhei.ttc", 0)
FALLBACK = HEI  # covers all of GBK


class FontMissing(RuntimeError):
    pass


def font_path(spec: FontSpec) -> Path:
    folder = Path(settings.PDF_FONT_DIR) if settings.PDF_FONT_DIR else SHIPPED_DIR
    path = folder / spec.file
    if not path.is_file():
        raise FontMissing(
            gettext("找不到中文字体文件 %(path)s：请检查 PDF_FONT_DIR 设置，或重新安装软件包。")
            % {"path": path}
        )
    return path


@cache
def register(spec: FontSpec) -> str:
    """Register the font with reportlab once per process and return its PDF name."""
    pdfmetrics.registerFont(TTFont(spec.name, str(font_path(spec)), subfontIndex=spec.subfont))
    return spec.name


@cache
def _glyphs(spec: FontSpec) -> frozenset[int]:
    font = pdfmetrics.getFont(register(spec))
    assert isinstance(font, TTFont)
    return frozenset(font.face.charToGlyph)


def runs(text: str, spec: FontSpec) -> list[tuple[str, str]]:
    """The text cut into (font name, piece): each character in `spec` when it has it, else in the
    fallback face. One run for the usual text, so this costs a set lookup per character."""
    have = _glyphs(spec)
    main = register(spec)
    if all(ord(char) in have for char in text):
        return [(main, text)] if text else []
    fallback = register(FALLBACK)
    out: list[tuple[str, str]] = []
    for char in text:
        name = main if ord(char) in have or char.isspace() else fallback
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + char)
        else:
            out.append((name, char))
    return out


def text_width(text: str, spec: FontSpec, size: float) -> float:
    return sum(pdfmetrics.stringWidth(piece, name, size) for name, piece in runs(text, spec))


def draw_text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    *,
    spec: FontSpec,
    size: float,
    align: Literal["left", "centre", "right"] = "left",
) -> None:
    """Draw one line at (x, y), anchored left, centre or right, with the fallback for missing glyphs."""
    pieces = runs(text, spec)
    if align != "left":
        width = sum(pdfmetrics.stringWidth(piece, name, size) for name, piece in pieces)
        x -= width / 2 if align == "centre" else width
    for name, piece in pieces:
        canvas.setFont(name, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, name, size)
