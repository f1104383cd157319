"""A campaign's commitments as an .xlsx workbook: one row per item, for the office to print and file."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chuangyou.commitments.models import Commitment
from chuangyou.lib.xlsx import Book

HEADERS = (
    gettext_noop("承诺人"),
    gettext_noop("类型"),
    gettext_noop("状态"),
    gettext_noop("类别"),
    gettext_noop("承诺内容"),
    gettext_noop("具体措施"),
    gettext_noop("完成时限"),
    gettext_noop("修改次数"),
    gettext_noop("践诺结果"),
    gettext_noop("未兑现原因"),
    gettext_noop("最近进展报告"),
    gettext_noop("公开日期"),
)


def commitments_workbook(commitments: Iterable[Commitment], *, title: str) -> bytes:
    """`commitments` come with their items prefetched."""
    book = Book()
    widths = (14, 8, 8, 6, 40, 40, 12, 8, 8, 24, 12, 12)
    sheet = book.sheet(_("公开承诺"), widths=dict(zip("ABCDEFGHIJKL", widths, strict=True)))
    sheet.append([title])
    sheet.append([_(h) for h in HEADERS])
    for commitment in commitments:
        published = timezone.localdate(commitment.published_at).isoformat() if commitment.published_at else ""
        kind = _("党支部") if commitment.is_branch else _("个人")
        for item in commitment.items.all():
            sheet.append(
                [
                    commitment.owner_name,
                    kind,
                    commitment.get_status_display(),
                    item.get_category_display(),
                    item.content,
                    item.measures,
                    item.deadline.isoformat(),
                    item.times_revised,
                    item.get_fulfilment_display(),
                    item.fulfilment_reason,
                    commitment.last_progress_on.isoformat() if commitment.last_progress_on else "",
                    published,
                ]
            )
    return book.to_bytes()
