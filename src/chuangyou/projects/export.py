"""The proposal list as an .xlsx workbook, for the office to file with the review meeting's minutes."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chuangyou.lib.xlsx import Book
from chuangyou.projects.models import Proposal

HEADERS = (
    gettext_noop("征集"),
    gettext_noop("项目名称"),
    gettext_noop("负责人"),
    gettext_noop("班级"),
    gettext_noop("团队成员"),
    gettext_noop("指导教师"),
    gettext_noop("申请经费（元）"),
    gettext_noop("状态"),
    gettext_noop("评审排名"),
    gettext_noop("评审总分"),
    gettext_noop("资助金额（元）"),
    gettext_noop("提交时间"),
)


def proposals_workbook(proposals: Iterable[Proposal], *, title: str) -> bytes:
    """`proposals` come from `selectors.proposals_visible_to`, with the team prefetched."""
    book = Book()
    widths = (22, 30, 10, 14, 24, 10, 14, 12, 10, 10, 14, 18)
    sheet = book.sheet(_("创新项目"), widths=dict(zip("ABCDEFGHIJKL", widths, strict=True)), freeze="A3")
    sheet.append([title])
    sheet.append([_(h) for h in HEADERS])
    for p in proposals:
        members = "、".join(t.student.name for t in p.team.all() if not t.is_lead)
        submitted = timezone.localtime(p.submitted_at).strftime("%Y-%m-%d %H:%M") if p.submitted_at else ""
        sheet.append(
            [
                str(p.call),
                p.title,
                p.lead.name,
                str(p.lead.school_class),
                members,
                p.advisor.name,
                p.budget_request,
                str(p.get_status_display()),
                p.panel_rank,
                p.panel_total,
                p.amount_granted,
                submitted,
            ]
        )
    return book.to_bytes()
