"""Records as .xlsx: one sheet, one row per line, for the class file or a parent's copy."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font

from chuangyou.records.selectors import PersonRecord

HEADERS = ("姓名", "班级/职务", "类别", "日期", "内容", "情况", "志愿时长（小时）")


def records_workbook(records: Iterable[PersonRecord], *, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        for section, lines in record.sections.items():
            for line in lines:
                sheet.append(
                    (
                        record.name,
                        record.subtitle,
                        section,
                        line.on.isoformat() if line.on else "",
                        line.title,
                        line.detail,
                        float(line.hours) if line.hours is not None else None,
                    )
                )
    for column, width in zip("ABCDEFG", (10, 16, 12, 12, 36, 24, 14), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
