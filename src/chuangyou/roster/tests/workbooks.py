"""Small roster files for tests, built the way an office's Excel or CSV export would be."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

STUDENT_HEADER = ["学号", "姓名", "性别", "年级", "班级", "家长姓名", "家长手机号"]
STAFF_HEADER = ["工号", "姓名", "性别", "手机号", "任教学科", "是否党员", "职务"]


def xlsx(rows: Sequence[Sequence[Any]], *, title_rows: Sequence[Sequence[Any]] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in [*title_rows, *rows]:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def students(*rows: Sequence[Any]) -> list[list[Any]]:
    return [STUDENT_HEADER, *[list(r) for r in rows]]


def staff(*rows: Sequence[Any]) -> list[list[Any]]:
    return [STAFF_HEADER, *[list(r) for r in rows]]
