"""Records as .xlsx: one sheet, one row per line, for the class file or a parent's copy."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext, gettext_noop

from chuangyou.lib.xlsx import BOLD, Book
from chuangyou.records.selectors import PersonRecord

HEADERS = (
    gettext_noop("姓名"),
    gettext_noop("班级/职务"),
    gettext_noop("类别"),
    gettext_noop("日期"),
    gettext_noop("内容"),
    gettext_noop("情况"),
    gettext_noop("志愿时长（小时）"),
)


def records_workbook(records: Iterable[PersonRecord], *, title: str) -> bytes:
    book = Book()
    widths = dict(zip("ABCDEFG", (10, 16, 12, 12, 36, 24, 14), strict=True))
    sheet = book.sheet(title, widths=widths)
    sheet.append([gettext(h) for h in HEADERS], font=BOLD)
    for record in records:
        for section, lines in record.sections.items():
            for line in lines:
                sheet.append(
                    (
                        record.name,
                        record.subtitle,
                        gettext(section),
                        line.on.isoformat() if line.on else "",
                        line.title,
                        line.detail,
                        float(line.hours) if line.hours is not None else None,
                    )
                )
    return book.to_bytes()
