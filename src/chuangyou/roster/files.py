"""Roster workbooks in and out: reading .xlsx/.csv, the blank template, the annotated error report.

Reading finds the header row (offices often put a title line above it), tells students from staff by
学号 / 工号, maps the headers the template's way, and keeps every row with its Excel row number.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from chuangyou.lib.errors import Invalid
from chuangyou.lib.roster_text import clean_header
from chuangyou.lib.xlsx import Book, Styled, check_archive
from chuangyou.roster.models import Kind

STUDENT_COLUMNS = ("学号", "姓名", "性别", "年级", "班级", "家长姓名", "家长手机号")
STAFF_COLUMNS = ("工号", "姓名", "性别", "手机号", "任教学科", "是否党员", "职务")
REQUIRED = {
    Kind.STUDENTS: ("学号", "姓名", "性别", "班级", "家长姓名", "家长手机号"),
    Kind.STAFF: ("工号", "姓名", "性别"),
}
# Other ways offices head the same column.
ALIASES = {
    Kind.STUDENTS: {
        "学生姓名": "姓名", "班别": "班级", "所在班级": "班级",
        "家长": "家长姓名", "监护人": "家长姓名", "监护人姓名": "家长姓名",
        "家长手机": "家长手机号", "家长电话": "家长手机号", "联系电话": "家长手机号",
        "家长联系电话": "家长手机号", "监护人手机号": "家长手机号", "监护人电话": "家长手机号",
        "手机号": "家长手机号",
    },
    Kind.STAFF: {
        "教工号": "工号", "职工号": "工号", "教师姓名": "姓名", "手机": "手机号", "联系电话": "手机号",
        "电话": "手机号", "学科": "任教学科", "任教科目": "任教学科", "政治面貌": "是否党员",
        "党员": "是否党员", "职位": "职务",
    },
}  # fmt: skip
KEY_COLUMN = {Kind.STUDENTS: "学号", Kind.STAFF: "工号"}
HEADER_SEARCH_ROWS = 10
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"

Progress = Callable[[int, int], None]


@dataclass
class Sheet:
    """The rows of one roster, as typed: headers mapped, every row kept with its Excel row number."""

    kind: Kind
    header_row: int
    headers: list[str]
    columns: dict[str, int]
    ignored: list[str]
    leading: list[tuple[Any, ...]] = field(default_factory=list)
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)

    def value(self, cells: tuple[Any, ...], column: str) -> Any:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return None
        return cells[index]


def detect_format(name: str, head: bytes) -> str:
    """ "xlsx" or "csv", from the content first (a renamed file is common), then the name."""
    lower = name.lower()
    if head.startswith(XLS_MAGIC) or lower.endswith(".xls"):
        raise Invalid(_("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再上传。"))
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return "csv"
    if lower.endswith(".xlsx"):
        raise Invalid(_("文件不是有效的 .xlsx 表格，可能已损坏。"))
    raise Invalid(_("只能导入 .xlsx 或 .csv 文件。"))


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030: Excel in China saves CSV as GBK, which GB18030 extends."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise Invalid(_("无法识别 CSV 文件的编码，请保存为 UTF-8 或 GBK 编码。")) from exc


def _csv_rows(text: str) -> Iterator[tuple[Any, ...]]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield tuple(row)


def _xlsx_sheets(stream: IO[bytes]) -> tuple[Any, list[Any]]:
    from openpyxl import load_workbook

    check_archive(stream)  # before openpyxl unpacks the shared strings, which it does all at once
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:
        raise Invalid(_("无法读取这个 .xlsx 文件，可能已损坏或设有密码。")) from exc
    return workbook, list(workbook.worksheets)


def _header_kind(cells: Sequence[Any]) -> Kind | None:
    names = {clean_header(c) for c in cells}
    has_student, has_staff = "学号" in names, bool(names & {"工号", "教工号", "职工号"})
    if has_student and has_staff:
        raise Invalid(_("表头同时有“学号”和“工号”，无法判断是学生名单还是教职工名单，请分成两个文件。"))
    if has_student:
        return Kind.STUDENTS
    if has_staff:
        return Kind.STAFF
    return None


def _map_headers(kind: Kind, cells: Sequence[Any]) -> tuple[dict[str, int], list[str], list[str]]:
    known = STUDENT_COLUMNS if kind == Kind.STUDENTS else STAFF_COLUMNS
    aliases = ALIASES[kind]
    columns: dict[str, int] = {}
    ignored: list[str] = []
    headers = [clean_header(c) for c in cells]
    for index, header in enumerate(headers):
        if not header:
            continue
        name = header if header in known else aliases.get(header)
        if name is None or name in columns:
            ignored.append(header)
        else:
            columns[name] = index
    return columns, ignored, headers


def _find_header(
    rows: Iterator[tuple[Any, ...]],
) -> tuple[Kind, int, tuple[Any, ...], list[tuple[Any, ...]]] | None:
    leading: list[tuple[Any, ...]] = []
    for number, cells in enumerate(rows, start=1):
        kind = _header_kind(cells)
        if kind is not None:
            return kind, number, cells, leading
        leading.append(cells)
        if number >= HEADER_SEARCH_ROWS:
            break
    return None


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


@dataclass(frozen=True)
class Limits:
    """What reading one roster may cost (settings ROSTER_MAX_ROWS, ROSTER_MAX_CELLS, ROSTER_CHECK_SECONDS)."""

    rows: int
    cells: int
    seconds: float

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(settings.ROSTER_MAX_ROWS, settings.ROSTER_MAX_CELLS, settings.ROSTER_CHECK_SECONDS)


def _too_many_rows(limit: int) -> Invalid:
    return Invalid(_("名单超过 %(limit)s 行，请分成几个文件上传。") % {"limit": limit})


def _sheet_from(
    rows: Iterator[tuple[Any, ...]], progress: Progress | None, total: int, limits: Limits
) -> Sheet | None:
    deadline = time.monotonic() + limits.seconds
    found = _find_header(rows)
    if found is None:
        return None
    kind, header_row, header_cells, leading = found
    columns, ignored, headers = _map_headers(kind, header_cells)
    sheet = Sheet(kind, header_row, headers, columns, ignored, leading)
    known = list(columns.values())
    cells_read = 0
    for number, cells in enumerate(rows, start=header_row + 1):
        cells_read += len(cells)
        if not _is_blank(cells[i] for i in known if i < len(cells)):
            sheet.rows.append((number, cells))
            if len(sheet.rows) > limits.rows:
                raise _too_many_rows(limits.rows)
        if cells_read > limits.cells:
            raise Invalid(
                _("名单超过 %(limit)s 个单元格，请删去多余的列或分成几个文件上传。") % {"limit": limits.cells}
            )
        if number % 500 == 0:
            if time.monotonic() > deadline:
                raise Invalid(
                    _("名单检查超过 %(seconds)s 秒仍未完成，已停止，请分成几个较小的文件上传。")
                    % {"seconds": int(limits.seconds)}
                )
            if progress is not None and number % 2000 == 0:
                progress(number, total)
    return sheet


def _no_header() -> Invalid:
    return Invalid(_("没有找到表头：前 10 行中应有一行包含“学号”（学生名单）或“工号”（教职工名单）。"))


def read_roster(
    name: str, stream: IO[bytes], progress: Progress | None = None, limits: Limits | None = None
) -> Sheet:
    """Read the first sheet that has a roster header. Raises Invalid with a message for the office."""
    limits = limits or Limits.from_settings()
    head = stream.read(8)
    stream.seek(0)
    if detect_format(name, head) == "csv":
        text = decode_csv(stream.read())
        total = text.count("\n") + 1
        sheet = _sheet_from(_csv_rows(text), progress, total, limits)
    else:
        workbook, worksheets = _xlsx_sheets(stream)
        try:
            sheet = None
            for worksheet in worksheets:
                total = worksheet.max_row or 0
                sheet = _sheet_from(worksheet.iter_rows(values_only=True), progress, total, limits)
                if sheet is not None:
                    break
        finally:
            workbook.close()
    if sheet is None:
        raise _no_header()
    return sheet


def read_header(name: str, stream: IO[bytes]) -> Kind:
    """Only which kind of roster this is, for a quick answer at upload time."""
    head = stream.read(8)
    stream.seek(0)
    try:
        if detect_format(name, head) == "csv":
            kind = next(
                (k for k in map(_header_kind, _limited(_csv_rows(decode_csv(stream.read())))) if k), None
            )
        else:
            workbook, worksheets = _xlsx_sheets(stream)
            try:
                kind = None
                for worksheet in worksheets:
                    rows = worksheet.iter_rows(values_only=True, max_row=HEADER_SEARCH_ROWS)
                    kind = next((k for k in map(_header_kind, rows) if k), None)
                    if kind is not None:
                        break
            finally:
                workbook.close()
    finally:
        stream.seek(0)
    if kind is None:
        raise _no_header()
    return kind


def _limited(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    for number, row in enumerate(rows, start=1):
        yield row
        if number >= HEADER_SEARCH_ROWS:
            return


# --- writing ----------------------------------------------------------------------------------

TEMPLATE_NOTES = {
    Kind.STUDENTS: [
        ("学号", "必填。本校内唯一，作为学生的登录名。请把此列设为“文本”，以免长数字变成科学计数法。"),
        ("姓名", "必填。"),
        ("性别", "必填。男 / 女（也可写 M / F）。"),
        ("年级", "可选。如 初一、七年级、高二；也可以不填，直接在班级里写全称。"),
        ("班级", "必填。如 3、3班，或全称 初一(3)班、初一3班、七年级3班。"),
        ("家长姓名", "必填。"),
        ("家长手机号", "必填。11 位手机号，家长用它登录。"),
    ],
    Kind.STAFF: [
        ("工号", "必填。本校内唯一，作为教职工的登录名。"),
        ("姓名", "必填。"),
        ("性别", "必填。男 / 女（也可写 M / F）。"),
        ("手机号", "可选。11 位手机号，也可用于登录。"),
        ("任教学科", "可选。如 语文。"),
        ("是否党员", "可选。是 / 否（也可写 党员、预备党员、群众、团员）。空白视为否。"),
        ("职务", "可选。写“初一(3)班班主任”会同时设为该班班主任（该班须已存在）。"),
    ],
}
TEMPLATE_SHEET_TITLE = {Kind.STUDENTS: "学生名单", Kind.STAFF: "教职工名单"}
TEXT_COLUMNS = {"学号", "工号", "手机号", "家长手机号"}


def write_template(kind: Kind) -> bytes:
    """A blank roster with the Chinese headers, long-number columns formatted as text, and a notes sheet.

    The data sheet has no example rows: offices forget to delete them, and they would be imported."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Book(write_only=False)
    data = book.sheet(TEMPLATE_SHEET_TITLE[kind])
    sheet = data.raw
    columns = STUDENT_COLUMNS if kind == Kind.STUDENTS else STAFF_COLUMNS
    fill = PatternFill("solid", fgColor="FDE2E1")
    required, other = Font(bold=True, color="B3261E"), Font(bold=True, color="000000")
    data.append([Styled(n, font=required if n in REQUIRED[kind] else other, fill=fill) for n in columns])
    for index, name in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 16 if name in TEXT_COLUMNS or name == "职务" else 12
        if name in TEXT_COLUMNS:
            # The whole column as text, so Excel keeps 20240001 and 13800000001 as typed.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    gender = DataValidation(type="list", formula1='"男,女"', allow_blank=True)
    sheet.add_data_validation(gender)
    gender.add(
        f"{get_column_letter(columns.index('性别') + 1)}2:{get_column_letter(columns.index('性别') + 1)}2000"
    )
    if kind == Kind.STAFF:
        party = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
        sheet.add_data_validation(party)
        letter = get_column_letter(columns.index("是否党员") + 1)
        party.add(f"{letter}2:{letter}2000")
    notes = book.sheet("填写说明", widths={"A": 12, "B": 80})
    notes.append(["列", "说明"])
    for column, note in TEMPLATE_NOTES[kind]:
        notes.append([column, note])
    notes.append(["", "红色表头为必填列。其他多出的列会被忽略，并在导入结果中列出。"])
    return book.to_bytes()


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str


def write_error_report(sheet: Sheet | None, errors: Sequence[CellError]) -> bytes:
    """The original rows, at their original row numbers, with a 错误说明 column and the bad cells in red,
    plus a sheet listing each error. The office can fix the first sheet and upload it again as is."""
    from openpyxl.styles import Font, PatternFill

    book = Book()
    bad_fill = PatternFill("solid", fgColor="F8D7DA")
    red = Font(color="B3261E", bold=True)
    by_row: dict[int, list[CellError]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    if sheet is not None:
        annotated = book.sheet("名单（已标注错误）")
        width = len(sheet.headers)
        for cells in sheet.leading:
            annotated.append(list(cells))
        annotated.append([*sheet.headers, "错误说明"])
        index_of = dict(sheet.columns)
        for number, cells in sheet.rows:
            row_errors = by_row.get(number, [])
            values: list[Any] = list(cells[:width]) + [None] * (width - len(cells[:width]))
            bad = {index_of[e.column] for e in row_errors if e.column in index_of}
            out: list[Any] = [Styled(v, fill=bad_fill) if i in bad else v for i, v in enumerate(values)]
            if row_errors:
                out.append(Styled("；".join(f"{e.column}：{e.message}" for e in row_errors), font=red))
            annotated.append(out)
    listing = book.sheet("错误清单")
    listing.append(["行号", "列", "原因"])
    for error in errors:
        listing.append([error.row or "", error.column, error.message])
    return book.to_bytes()
