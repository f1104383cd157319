"""The 总结 as an editable Word document: a docxtpl template filled with the campaign's facts.

The prose is the template's (`summary_template.py`), never invented: a school downloads the default
template, edits the wording and thresholds and uploads it back. The fields come from
`summary_context.py`; this module lays the template out and renders it. A figure with nothing to
count says "暂无数据", so no `_` blank is ever left.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from docx import Document as new_docx
from docxtpl import DocxTemplate

from chuangyou.lib import gbt9704
from chuangyou.reports.summary_template import DEFAULT_TEXT

NO_DATA = "暂无数据"


def num(value: int | Decimal | None) -> str:
    if value is None:
        return NO_DATA
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text
    return str(value)


def pct(value: Decimal | None) -> str:
    return NO_DATA if value is None else f"{value}%"


def money(value: Decimal | None) -> str:
    return NO_DATA if value is None else f"{value:.2f}元"


def yuan(value: Decimal | None) -> str:
    """Money as a person writes it: 1600元, 1600.50元."""
    if value is None:
        return NO_DATA
    return f"{value:.0f}元" if value == value.to_integral_value() else f"{value:.2f}元"


def day(value: dt.date | None) -> str:
    return NO_DATA if value is None else f"{value.year}年{value.month}月{value.day}日"


def default_template() -> bytes:
    """The app's 总结 template (`summary_template.DEFAULT_TEXT`), laid out to GB/T 9704 in code so
    its layout is reviewed like code."""
    doc = new_docx()
    gbt9704.setup(doc)
    for kind, text in DEFAULT_TEXT:
        if kind == "title":
            gbt9704.title(doc, text)
        elif kind in ("h1", "h2"):
            gbt9704.heading(doc, text, 1 if kind == "h1" else 2)
        elif kind == "sign":
            gbt9704.signature(doc, text)
        elif kind == "table":
            _class_table(doc)
        else:
            gbt9704.body(doc, text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _class_table(doc: Any) -> None:
    """The per-class table, only when there are classes: header row repeated on every page, no row
    split across pages."""
    gbt9704.body(doc, "{%p if classes %}")
    lead = gbt9704.body(doc, "各班参与情况如下表（按年级、班级顺序排列，不作排名）：")
    lead.paragraph_format.keep_with_next = True
    headers = ("班级", "学生数", "参与人数", "参与率", "每周一练按时完成率", "志愿服务时长（小时）")
    fields = ("name", "students", "taking_part", "participation", "on_time", "hours")
    table = doc.add_table(rows=3, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].text = text
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for c in classes %}"
    for cell, name in zip(table.rows[2].cells, fields, strict=True):
        cell.paragraphs[0].text = f"{{{{ c.{name} }}}}"
    end = table.add_row()
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"
    gbt9704.table_layout(table, doc)
    gbt9704.body(doc, "{%p endif %}")


def render(template: bytes, context: dict[str, Any]) -> bytes:
    doc = DocxTemplate(io.BytesIO(template))
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """All the text of a .docx, paragraphs and table cells, for checks."""
    doc = new_docx(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
