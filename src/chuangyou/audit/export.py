"""The filtered log as an .xlsx workbook, for the supervision group to print and file."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from chuangyou.audit.display import changes_as_text, describe
from chuangyou.audit.models import AuditEntry

EXCEL_CELL_LIMIT = 32_767


def _cell(text: str) -> str:
    # Excel refuses control characters and cells over 32,767 characters.
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:EXCEL_CELL_LIMIT]


def audit_workbook(entries: Iterable[AuditEntry], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("审计日志"))
    widths = {"A": 8, "B": 20, "C": 18, "D": 14, "E": 12, "F": 10, "G": 28, "H": 60, "I": 18}
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    sheet.append([_cell(title)])
    headers = [
        gettext_noop("序号"),
        gettext_noop("时间"),
        gettext_noop("操作人"),
        gettext_noop("操作"),
        gettext_noop("对象类型"),
        gettext_noop("对象编号"),
        gettext_noop("对象"),
        gettext_noop("变更内容"),
        gettext_noop("哈希"),
    ]
    sheet.append([_(h) for h in headers])
    for entry in entries:
        view = describe(entry)
        sheet.append(
            [
                entry.seq,
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                _cell(entry.actor_label),
                _cell(view.action_label),
                _cell(view.object_type_label),
                _cell(entry.object_id),
                _cell(entry.object_repr),
                _cell(changes_as_text(view)),
                entry.entry_hash or _("尚未封存"),
            ]
        )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
