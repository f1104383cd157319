"""Every workbook the site writes goes through here, and every uploaded one is measured here first.

Writing: every workbook the site writes goes through here, so that text a person typed stays text.

A name, a claim or a comment that starts with `=` is stored by openpyxl as a live formula, and one
that starts with `+`, `-`, `@`, a tab or a carriage return becomes one as soon as someone edits the
cell in Excel or WPS: a student could plant `=HYPERLINK("http://…","点我")` in the supervisors' audit
export through a volunteering claim. Here every string is written with the string cell type, and
text that starts with one of those characters also carries Excel's "quote prefix" (the cell as if
typed with a leading apostrophe), so it stays text after an edit too. The text itself is unchanged,
so an error report can be fixed and uploaded again as is. Numbers, dates and booleans stay what
they are, and `None` leaves the cell empty.

    book = Book()
    sheet = book.sheet("审计日志", widths={"A": 8, "B": 20}, freeze="A3")
    sheet.append(["序号", "时间"], font=BOLD)
    sheet.append([1, Styled(name, fill=BAD_FILL)])
    return book.to_bytes()

A template that needs data validation or column formats builds `Book(write_only=False)` and uses
`sheet.raw`, the openpyxl worksheet, for those; its cells still go in through `Sheet.append`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font, PatternFill

from chuangyou.lib.errors import Invalid

CELL_LIMIT = 32_767  # Excel refuses a longer cell
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
BOLD = Font(bold=True)
_PLAIN = (int, float, Decimal, dt.date, dt.datetime, dt.time, dt.timedelta)


@dataclass(frozen=True)
class Styled:
    """A value with its own font or fill (a bad cell in red, a bold total)."""

    value: object
    font: Font | None = None
    fill: PatternFill | None = None


def text(value: object) -> str:
    """`value` as cell text: no control characters Excel refuses, at most 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:CELL_LIMIT]


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)


class Sheet:
    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def cell(self, value: object, *, font: Font | None = None, fill: PatternFill | None = None) -> Cell:
        if value is not None and not isinstance(value, _PLAIN):
            value = text(value)  # lazy translations, model rows and plain strings alike
        cell = Cell(self.raw, row=1, column=1, value=value)
        if isinstance(value, str):
            # Never a formula and never an error code: always the string type.
            cell.data_type = "s"
            if is_formula_like(value):
                cell.quotePrefix = True
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        return cell

    def append(self, values: Iterable[object], *, font: Font | None = None) -> None:
        """One row; `font` applies to every cell of it (a header row)."""
        row: list[Cell | None] = []
        for value in values:
            if isinstance(value, Styled):
                row.append(self.cell(value.value, font=value.font or font, fill=value.fill))
            elif value is None and font is None:
                row.append(None)
            else:
                row.append(self.cell(value, font=font))
        self.raw.append(row)


class Book:
    def __init__(self, *, write_only: bool = True) -> None:
        self.workbook = Workbook(write_only=write_only)
        if not write_only:
            self.workbook.remove(self.workbook.worksheets[0])

    def sheet(
        self, title: str, *, widths: Mapping[str, float] | None = None, freeze: str | None = None
    ) -> Sheet:
        clean = SHEET_TITLE_FORBIDDEN.sub("", str(title))[:31] or "Sheet"
        raw = self.workbook.create_sheet(clean)
        for column, width in (widths or {}).items():
            raw.column_dimensions[column].width = width
        if freeze is not None:
            raw.freeze_panes = freeze
        return Sheet(raw)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.workbook.save(out)
        return out.getvalue()


# --- reading: what an uploaded workbook may cost -----------------------------------------------

SHARED_STRINGS = "xl/sharedStrings.xml"
SMALL_PART = 1024 * 1024  # a part this small unpacked is never refused for its ratio


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds on an uploaded .xlsx, checked from the zip's directory before anything is unpacked."""

    unpacked_bytes: int
    shared_strings_bytes: int
    ratio: int


def limits_from_settings() -> ArchiveLimits:
    from django.conf import settings

    return ArchiveLimits(
        unpacked_bytes=settings.XLSX_MAX_UNPACKED_BYTES,
        shared_strings_bytes=settings.XLSX_MAX_SHARED_STRINGS_BYTES,
        ratio=settings.XLSX_MAX_COMPRESSION_RATIO,
    )


def _mb(size: int) -> str:
    return f"{size / 1048576:.0f} MB" if size >= 1048576 else f"{size / 1024:.0f} KB"


def check_archive(stream: IO[bytes], limits: ArchiveLimits | None = None) -> None:
    """Refuse a workbook whose parts unpack past the limits (a "zip bomb"), with a message for the
    office. Reads only the zip's central directory; the stream is left at its start."""
    limits = limits or limits_from_settings()
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Invalid(gettext("无法读取这个 .xlsx 文件，可能已损坏或设有密码。")) from exc
    finally:
        stream.seek(0)
    total = sum(e.file_size for e in entries)
    if total > limits.unpacked_bytes:
        raise Invalid(
            gettext("这个表格解压后有 %(size)s，超过上限 %(limit)s，请删去多余的工作表或内容后再上传。")
            % {"size": _mb(total), "limit": _mb(limits.unpacked_bytes)}
        )
    for entry in entries:
        if entry.filename == SHARED_STRINGS and entry.file_size > limits.shared_strings_bytes:
            raise Invalid(
                gettext("这个表格的文字内容解压后有 %(size)s，超过上限 %(limit)s，请只保留名单所需的列。")
                % {"size": _mb(entry.file_size), "limit": _mb(limits.shared_strings_bytes)}
            )
        if entry.file_size > SMALL_PART and entry.file_size > limits.ratio * max(entry.compress_size, 1):
            raise Invalid(
                gettext("这个表格的压缩比异常（%(part)s 压缩了 %(ratio)s 倍），可能是恶意文件，已拒绝。")
                % {"part": entry.filename, "ratio": entry.file_size // max(entry.compress_size, 1)}
            )
