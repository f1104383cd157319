"""Every chart's table as a sheet of one workbook: what the page shows, in a form the office can reuse."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext

from chuangyou.lib.xlsx import BOLD, Book
from chuangyou.reports.selectors import Chart


def charts_workbook(charts: Sequence[Chart]) -> bytes:
    book = Book()
    for chart in charts:
        title = chart.title.replace("（", "(").replace("）", ")").replace("%", "pct")
        sheet = book.sheet(title, widths={"A": 18})
        sheet.append(list(chart.headers), font=BOLD)
        for row in chart.rows:
            sheet.append([row.label, *(v if v is not None else gettext("暂无数据") for v in row.values)])
    return book.to_bytes()
