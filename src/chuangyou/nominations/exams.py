"""Reading an exam score sheet (.xlsx): one row per student and subject, checked row by row.

Columns (any order, row 1): 学号, 姓名 (checked against the roster when given), 科目, 成绩. The sheet
is taken whole or not at all: every error is reported with its row, its column and why.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from openpyxl import load_workbook

from chuangyou.lib.errors import Invalid
from chuangyou.lib.xlsx import check_archive
from chuangyou.org.models import Student

REQUIRED = ("学号", "科目", "成绩")
OPTIONAL = ("姓名",)
MAX_SCORE = Decimal(150)  # 语数外 are out of 150 in many provinces
MAX_ROWS = 20_000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return gettext("第 %(row)s 行「%(column)s」：%(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ScoreRow:
    row: int
    student: Student
    subject: str
    score: Decimal


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a 学号 typed as a number comes back as 1001.0
    return str(value).strip()


def read(content: bytes, students_by_no: dict[str, Student]) -> tuple[list[ScoreRow], list[RowError]]:
    try:
        check_archive(io.BytesIO(content))
    except Invalid as exc:
        raise Invalid(exc.message, {"file": [exc.message]}) from exc
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise Invalid(
            gettext("无法读取成绩表：请上传 .xlsx 格式的文件。"), {"file": [gettext("无法读取。")]}
        ) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    errors = [RowError(1, name, gettext("缺少这一列")) for name in REQUIRED if name not in header]
    if errors:
        return [], errors
    col = {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}
    out: list[ScoreRow] = []
    seen: dict[tuple[str, str], int] = {}
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            errors.append(
                RowError(number, "学号", gettext("超过 %(MAX_ROWS)s 行，请分批导入") % {"MAX_ROWS": MAX_ROWS})
            )
            break
        cells = {name: _text(values[i]) if i < len(values) else "" for name, i in col.items()}
        if not any(cells.values()):
            continue
        student = students_by_no.get(cells["学号"])
        subject = cells["科目"]
        row_errors = [*_student_errors(number, cells, student), *_subject_errors(number, subject)]
        score, score_errors = _score(number, cells["成绩"])
        row_errors += score_errors
        key = (cells["学号"], subject)
        if cells["学号"] and subject and key in seen:
            row_errors.append(
                RowError(
                    number,
                    "科目",
                    gettext("与第 %(seen_key)s 行重复（同一学生同一科目）") % {"seen_key": seen[key]},
                )
            )
        seen.setdefault(key, number)
        if row_errors:
            errors.extend(row_errors)
        elif student is not None and score is not None:
            out.append(ScoreRow(number, student, subject, score))
    wb.close()
    if not out and not errors:
        errors.append(RowError(2, "学号", gettext("成绩表没有数据")))
    return out, errors


def _student_errors(number: int, cells: dict[str, str], student: Student | None) -> list[RowError]:
    if not cells["学号"]:
        return [RowError(number, "学号", gettext("必填"))]
    if student is None:
        return [
            RowError(number, "学号", gettext("本校没有学号为 %(value)s 的学生") % {"value": cells["学号"]})
        ]
    if cells.get("姓名") and cells["姓名"] != student.name:
        return [
            RowError(
                number,
                "姓名",
                gettext("与学号 %(value)s 的学生「%(student_name)s」不符")
                % {"value": cells["学号"], "student_name": student.name},
            )
        ]
    return []


def _subject_errors(number: int, subject: str) -> list[RowError]:
    if not subject:
        return [RowError(number, "科目", gettext("必填"))]
    if len(subject) > 20:
        return [RowError(number, "科目", gettext("科目名称不能超过 20 个字"))]
    return []


def _score(number: int, text: str) -> tuple[Decimal | None, list[RowError]]:
    try:
        score = Decimal(text) if text else None
    except InvalidOperation:
        return None, [RowError(number, "成绩", gettext("「%(value)s」不是数字") % {"value": text})]
    if score is None:
        return None, [RowError(number, "成绩", gettext("必填"))]
    if not (Decimal(0) <= score <= MAX_SCORE) or score != score.quantize(Decimal("0.1")):
        message = gettext("应在 0 到 %(MAX_SCORE)s 之间，至多一位小数") % {"MAX_SCORE": MAX_SCORE}
        return score, [RowError(number, "成绩", message)]
    return score, []
