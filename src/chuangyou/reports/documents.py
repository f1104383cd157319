"""Building each kind of document from the data: the school's 总结, the bureau's 总结, the 简报."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy

from chuangyou.campaigns.models import Campaign
from chuangyou.org.rules import Actor, can_read_school, require
from chuangyou.reports import summary
from chuangyou.reports.details import details_for
from chuangyou.reports.facts import facts_for
from chuangyou.reports.models import DocKind, Document, SummaryTemplate
from chuangyou.reports.pdf import ConversionFailed
from chuangyou.reports.summary_context import summary_context

READ_MESSAGE = gettext_lazy("只有本校管理员、三个小组成员和主管教育局可以查看活动总结。")


class BuildError(RuntimeError):
    pass


def template_for(school_id: int) -> bytes:
    own = SummaryTemplate.objects.filter(school_id=school_id).first()
    if own is not None:
        with own.file.open("rb") as handle:
            return handle.read()
    return summary.default_template()


def summary_docx(campaign: Campaign, *, as_of: dt.datetime | None = None) -> bytes:
    """The 总结 of one campaign, with the school's template or the default one."""
    now = as_of or timezone.now()
    loaded = Campaign.objects.select_related("school").prefetch_related("phases").get(pk=campaign.pk)
    facts = facts_for([loaded], as_of=now, with_classes=True)[loaded.school_id]
    details = details_for(loaded, today=timezone.localdate(now), as_of=now)
    context = summary_context(
        facts, theme=loaded.theme, goals=loaded.goals, principles=loaded.principles, details=details
    )
    return summary.render(template_for(loaded.school_id), context)


def summary_for(actor: Actor, campaign: Campaign) -> bytes:
    require(can_read_school(actor, campaign.school), READ_MESSAGE)
    return summary_docx(campaign)


def build(document: Document) -> tuple[bytes, bytes | None]:
    """The .docx of a document and, for a 简报, its PDF too."""
    try:
        if document.kind == DocKind.SUMMARY:
            assert document.campaign is not None
            return summary_docx(document.campaign), None
        if document.kind == DocKind.BUREAU_SUMMARY:
            from chuangyou.reports.bureau import bureau_summary_docx

            assert document.bureau is not None
            return bureau_summary_docx(document.bureau, document.year), None
        from chuangyou.reports.briefing import briefing_files

        return briefing_files(document.briefing)
    except (ConversionFailed, ValueError) as exc:
        raise BuildError(str(exc)) from exc
