"""The CJK fonts PDFs embed. reportlab subsets TrueType fonts, so a PDF carries only the glyphs it uses.

Noto CJK (the usual Linux font) has CFF outlines, which reportlab can't embed; these Debian packages
have TrueType outlines: fonts-wqy-zenhei (黑体, for body text) and fonts-arphic-ukai (楷体, for
certificates). `make test` and `.ci/run` install them; CJK_FONT_DIRS adds places to look.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SEARCH_DIRS = ("/usr/share/fonts/truetype/wqy", "/usr/share/fonts/truetype/arphic", "/usr/share/fonts")


@dataclass(frozen=True)
class FontSpec:
    name: str  # the name PDFs refer to
    file: str  # file name to look for
    subfont: int  # index inside a .ttc collection
    package: str  # the Debian package that provides it


HEI = FontSpec("CY-Hei", "wqy-zenhei.ttc", 0, "fonts-wqy-zenhei")
KAI = FontSpec("CY-Kai", "ukai.ttc", 0, "fonts-arphic-ukai")


class FontMissing(RuntimeError):
    pass


def _find(spec: FontSpec) -> Path:
    extra = [d for d in os.environ.get("CJK_FONT_DIRS", "").split(":") if d]
    for folder in (*extra, *SEARCH_DIRS):
        for path in Path(folder).rglob(spec.file) if Path(folder).is_dir() else ():
            return path
    raise FontMissing(
        gettext("找不到中文字体 %(file)s：请安装 %(package)s（apt-get install %(package)s）。")
        % {"file": spec.file, "package": spec.package}
    )


@cache
def register(spec: FontSpec) -> str:
    """Register the font with reportlab once per process and return its PDF name."""
    pdfmetrics.registerFont(TTFont(spec.name, str(_find(spec)), subfontIndex=spec.subfont))
    return spec.name
