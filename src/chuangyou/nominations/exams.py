"""Reading an exam score sheet (.xlsx): one row per student and subject, checked row by row.

Columns (any order, row 1): 学号, 姓名 (checked against the roster when given), 科目, 成绩. The sheet
is taken whole or not at all: every error is reported with its row, its column and why.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from openpyxl import load_workbook

from chuangyou.lib.errors import Invalid
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
        return f"第 {self.row} 行「{self.column}」：{self.reason}"


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
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise Invalid("无法读取成绩表：请上传 .xlsx 格式的文件。", {"file": ["无法读取。"]}) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())]
    errors = [RowError(1, name, "缺少这一列") for name in REQUIRED if name not in header]
    if errors:
        return [], errors
    col = {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}
    out: list[ScoreRow] = []
    seen: dict[tuple[str, str], int] = {}
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            errors.append(RowError(number, "学号", f"超过 {MAX_ROWS} 行，请分批导入"))
            break
        cells = {name: _text(values[i]) if i < len(values) else "" for name, i in col.items()}
        if not any(cells.values()):
            continue
        row_errors = []
        student = students_by_no.get(cells["学号"])
        if not cells["学号"]:
            row_errors.append(RowError(number, "学号", "必填"))
        elif student is None:
            row_errors.append(RowError(number, "学号", f"本校没有学号为 {cells['学号']} 的学生"))
        elif cells.get("姓名") and cells["姓名"] != student.name:
            row_errors.append(
                RowError(number, "姓名", f"与学号 {cells['学号']} 的学生「{student.name}」不符")
            )
        subject = cells["科目"]
        if not subject:
            row_errors.append(RowError(number, "科目", "必填"))
        elif len(subject) > 20:
            row_errors.append(RowError(number, "科目", "科目名称不能超过 20 个字"))
        score = None
        try:
            score = Decimal(cells["成绩"]) if cells["成绩"] else None
        except InvalidOperation:
            row_errors.append(RowError(number, "成绩", f"「{cells['成绩']}」不是数字"))
        else:
            if score is None:
                row_errors.append(RowError(number, "成绩", "必填"))
            elif not (Decimal(0) <= score <= MAX_SCORE) or score != score.quantize(Decimal("0.1")):
                row_errors.append(RowError(number, "成绩", f"应在 0 到 {MAX_SCORE} 之间，至多一位小数"))
        key = (cells["学号"], subject)
        if cells["学号"] and subject and key in seen:
            row_errors.append(RowError(number, "科目", f"与第 {seen[key]} 行重复（同一学生同一科目）"))
        seen.setdefault(key, number)
        if row_errors:
            errors.extend(row_errors)
        elif student is not None and score is not None:
            out.append(ScoreRow(number, student, subject, score))
    wb.close()
    if not out and not errors:
        errors.append(RowError(2, "学号", "成绩表没有数据"))
    return out, errors
