"""Results workbooks: reading an import, the blank template, the annotated error report, and exports.

The layout follows the roster import (roster/files.py): find the header row among the first rows,
keep each row with its Excel row number, and report errors per row and column in Chinese.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, TYPE_CHECKING, Any

from django.utils.translation import gettext

from chuangyou.activities.models import Award
from chuangyou.lib.errors import Invalid
from chuangyou.lib.xlsx import BOLD, Book, Styled, check_archive
from chuangyou.org.models import Student

if TYPE_CHECKING:
    from chuangyou.activities.models import Registration

COLUMNS = ("学号/工号", "姓名", "名次", "成绩", "奖项", "备注")
KEY_HEADERS = {"学号/工号", "学号", "工号"}
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 5000
AWARD_BY_LABEL = {str(label): value for value, label in Award.choices}
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Sheet:
    headers: list[str]
    columns: dict[str, int]
    header_row: int
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)

    def value(self, cells: tuple[Any, ...], column: str) -> Any:
        index = self.columns.get(column)
        if index is None or index >= len(cells):
            return None
        return cells[index]


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ResultRow:
    registration: Registration
    rank: int | None
    score: Decimal | None
    award: str
    note: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_name(value: Any) -> str:
    return _text(value).replace(" ", "").replace("\u3000", "")


def read_results(name: str, stream: IO[bytes]) -> Sheet:
    from openpyxl import load_workbook

    head = stream.read(4)
    stream.seek(0)
    if not head.startswith(XLSX_MAGIC):
        raise Invalid(gettext("只能导入 .xlsx 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）。"))
    check_archive(stream)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:
        raise Invalid(gettext("无法读取这个 .xlsx 文件，可能已损坏或设有密码。")) from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        sheet: Sheet | None = None
        for number, cells in enumerate(rows, start=1):
            if sheet is None:
                headers = [_header_name(c) for c in cells]
                if KEY_HEADERS & set(headers):
                    columns = {}
                    for index, header in enumerate(headers):
                        key = "学号/工号" if header in KEY_HEADERS else header
                        if key in COLUMNS and key not in columns:
                            columns[key] = index
                    sheet = Sheet(headers=headers, columns=columns, header_row=number)
                elif number >= HEADER_SEARCH_ROWS:
                    break
                continue
            if all(_text(c) == "" for c in cells):
                continue
            sheet.rows.append((number, tuple(cells)))
            if len(sheet.rows) > MAX_ROWS:
                raise Invalid(gettext("一次最多导入 %(MAX_ROWS)s 行成绩。") % {"MAX_ROWS": MAX_ROWS})
    finally:
        workbook.close()
    if sheet is None:
        raise Invalid(
            gettext("没有找到表头：第一行应包含“学号/工号”“名次”“成绩”“奖项”等列，请使用成绩导入模板。")
        )
    return sheet


def parse_result_rows(
    sheet: Sheet, by_student: dict[str, Registration], by_staff: dict[str, Registration]
) -> tuple[list[ResultRow], list[CellError]]:
    """Check every row; the rows are usable only when the error list is empty."""
    rows: list[ResultRow] = []
    errors: list[CellError] = []
    seen: dict[int, int] = {}
    for number, cells in sheet.rows:
        row_errors: list[CellError] = []
        key = _text(sheet.value(cells, "学号/工号"))
        registration = by_student.get(key) or by_staff.get(key)
        if not key:
            row_errors.append(CellError(number, "学号/工号", gettext("必填。")))
        elif registration is None:
            row_errors.append(
                CellError(number, "学号/工号", gettext("%(key)s 没有报名成功这个活动。") % {"key": key})
            )
        else:
            person_name = _text(sheet.value(cells, "姓名"))
            if person_name and person_name != registration.person_name and not registration.team_name:
                row_errors.append(
                    CellError(
                        number,
                        "姓名",
                        gettext("与学号/工号 %(key)s 的姓名“%(person_name)s”不符。")
                        % {"key": key, "person_name": registration.person_name},
                    )
                )
            if registration.pk in seen:
                row_errors.append(
                    CellError(
                        number,
                        "学号/工号",
                        gettext("与第 %(seen)s 行是同一报名（同一人或同一队）。")
                        % {"seen": seen[registration.pk]},
                    )
                )
            seen.setdefault(registration.pk, number)
        rank: int | None = None
        rank_text = _text(sheet.value(cells, "名次"))
        if rank_text:
            digits = rank_text.removeprefix("第").removesuffix("名")
            if digits.isdigit() and int(digits) >= 1:
                rank = int(digits)
            else:
                row_errors.append(
                    CellError(
                        number, "名次", gettext("“%(rank_text)s”不是正整数名次。") % {"rank_text": rank_text}
                    )
                )
        score: Decimal | None = None
        score_text = _text(sheet.value(cells, "成绩"))
        if score_text:
            try:
                score = Decimal(score_text.removesuffix("分"))
                if not score.is_finite() or abs(score) >= 99999:
                    raise InvalidOperation
                score = score.quantize(Decimal("0.01"))
            except InvalidOperation:
                row_errors.append(
                    CellError(
                        number, "成绩", gettext("“%(score_text)s”不是数字。") % {"score_text": score_text}
                    )
                )
                score = None
        award_text = _text(sheet.value(cells, "奖项"))
        award = AWARD_BY_LABEL.get(award_text, "")
        if award_text and not award:
            row_errors.append(
                CellError(
                    number,
                    "奖项",
                    gettext("“%(award_text)s”不是一等奖、二等奖、三等奖或优秀奖。")
                    % {"award_text": award_text},
                )
            )
        if not (rank_text or score_text or award_text):
            row_errors.append(CellError(number, "奖项", gettext("名次、成绩、奖项至少填一项。")))
        errors.extend(row_errors)
        if not row_errors and registration is not None:
            note = _text(sheet.value(cells, "备注"))[:200]
            rows.append(ResultRow(registration, rank, score, award, note))
    if not sheet.rows:
        errors.append(CellError(sheet.header_row, "学号/工号", gettext("表中没有成绩行。")))
    return rows, errors


def write_template(registrations: Sequence[Registration]) -> bytes:
    """The import template, pre-filled with everyone signed up, so the office only types results."""
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Book(write_only=False)
    sheet = book.sheet("成绩")
    sheet.append(list(COLUMNS), font=BOLD)
    sheet.raw.column_dimensions["A"].number_format = "@"
    for registration in registrations:
        person = registration.person
        number = person.student_no if isinstance(person, Student) else person.staff_no
        sheet.append([number, registration.team_name or person.name])
    awards = DataValidation(type="list", formula1='"' + ",".join(AWARD_BY_LABEL) + '"', allow_blank=True)
    sheet.raw.add_data_validation(awards)
    awards.add("E2:E5000")
    return book.to_bytes()


def write_error_report(sheet: Sheet, errors: Sequence[CellError]) -> bytes:
    """The rows as uploaded, the bad cells in red with a 错误说明 column, and a list of every error."""
    from openpyxl.styles import Font, PatternFill

    book = Book()
    bad_fill = PatternFill("solid", fgColor="F8D7DA")
    red = Font(color="B3261E", bold=True)
    by_row: dict[int, list[CellError]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    annotated = book.sheet("成绩（已标注错误）")
    width = len(sheet.headers)
    annotated.append([*sheet.headers, "错误说明"])
    for number, cells in sheet.rows:
        row_errors = by_row.get(number, [])
        bad = {sheet.columns[e.column] for e in row_errors if e.column in sheet.columns}
        out: list[Any] = []
        for index, value in enumerate(list(cells[:width]) + [None] * (width - len(cells[:width]))):
            out.append(Styled(value, fill=bad_fill) if index in bad else value)
        if row_errors:
            out.append(Styled("；".join(f"{e.column}：{e.message}" for e in row_errors), font=red))
        annotated.append(out)
    listing = book.sheet("错误清单")
    listing.append(["行号", "列", "原因"])
    for error in errors:
        listing.append([error.row, error.column, error.message])
    return book.to_bytes()


def read_error_listing(stream: IO[bytes]) -> list[dict[str, Any]]:
    """The 错误清单 sheet of a report, for the API's answer: row, column and reason of each error."""
    from openpyxl import load_workbook

    workbook = load_workbook(stream, read_only=True)
    try:
        rows = workbook["错误清单"].iter_rows(min_row=2, values_only=True)
        return [{"row": row, "column": column, "message": message} for row, column, message in rows]
    finally:
        workbook.close()


def write_registrations(activity_title: str, registrations: Sequence[Registration]) -> bytes:
    """The sign-up list as an office keeps it: name, number, class, status, waitlist place, result."""
    from openpyxl.styles import Font

    book = Book()
    sheet = book.sheet("报名名单")
    sheet.append([activity_title], font=Font(bold=True, size=14))
    sheet.append(["序号", "姓名", "学号/工号", "班级", "队名", "状态", "候补顺位", "成绩"])
    for index, registration in enumerate(registrations, start=1):
        person = registration.person
        if isinstance(person, Student):
            number, unit = person.student_no, str(person.school_class)
        else:
            number, unit = person.staff_no, "教职工"
        result = getattr(registration, "result", None)
        sheet.append(
            [
                index,
                person.name,
                number,
                unit,
                registration.team_name,
                str(registration.get_status_display()),
                registration.waitlist_position,
                result.summary() if result else "",
            ]
        )
    return book.to_bytes()
