"""Every chart's table as a sheet of one workbook: what the page shows, in a form the office can reuse."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from chuangyou.reports.selectors import Chart


def charts_workbook(charts: Sequence[Chart]) -> bytes:
    book = Workbook()
    book.remove(book.worksheets[0])
    for chart in charts:
        sheet = book.create_sheet(chart.title[:31].replace("（", "(").replace("）", ")").replace("%", "pct"))
        sheet.append(list(chart.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in chart.rows:
            sheet.append([row.label, *(v if v is not None else gettext("暂无数据") for v in row.values)])
        sheet.column_dimensions["A"].width = 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
