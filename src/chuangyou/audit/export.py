"""The filtered log as an .xlsx workbook, for the supervision group to print and file."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chuangyou.audit.display import changes_as_text, describe
from chuangyou.audit.models import AuditEntry
from chuangyou.lib.xlsx import Book


def audit_workbook(entries: Iterable[AuditEntry], *, title: str) -> bytes:
    book = Book()
    widths = {"A": 8, "B": 20, "C": 18, "D": 14, "E": 12, "F": 10, "G": 28, "H": 60, "I": 18}
    sheet = book.sheet(_("审计日志"), widths=widths, freeze="A3")
    sheet.append([title])
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
                entry.actor_label,
                view.action_label,
                view.object_type_label,
                entry.object_id,
                entry.object_repr,
                changes_as_text(view),
                entry.entry_hash or _("尚未封存"),
            ]
        )
    return book.to_bytes()
