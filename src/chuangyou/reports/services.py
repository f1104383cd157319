"""Writes of the reports app: asking for a document, which a background task then writes."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.campaigns.models import Campaign
from chuangyou.lib.errors import Invalid
from chuangyou.org.models import Bureau, School
from chuangyou.org.rules import SYSTEM, Actor, can_manage_campaign, require
from chuangyou.reports import documents
from chuangyou.reports.models import Briefing, DocKind, DocState, Document
from chuangyou.reports.summary_context import school_year


def summary_title_year(campaign: Campaign) -> str:
    span = campaign.span()
    return school_year(span[0], span[1], campaign.year) if span else f"{campaign.year}年度"


GENERATE_MESSAGE = gettext_lazy("只有本校管理员、领导小组和工作小组可以生成活动总结。")


def request_summary(*, actor: Actor, campaign: Campaign) -> Document:
    """Queue the 总结 of a campaign; the task writes it and the page offers the download."""
    require(can_manage_campaign(actor, campaign.school), GENERATE_MESSAGE)
    with transaction.atomic():
        document = Document.objects.create(
            kind=DocKind.SUMMARY,
            school_id=campaign.school_id,
            campaign=campaign,
            year=campaign.year,
            title=f"{campaign.school.name}{summary_title_year(campaign)}创先争优活动总结",
            requested_by=actor.user,
        )
        record(
            actor,
            change_for("report.request", document, school_id=campaign.school_id, after=snapshot(document)),
        )
        _enqueue(document.pk)
    return document


def _enqueue(document_id: int) -> None:
    from chuangyou.reports.tasks import write_document

    transaction.on_commit(lambda: write_document.enqueue(document_id))


def write_document(*, document_id: int) -> Document:
    """Write a queued document's file. Run by the task; a failure is kept on the row to show."""
    document = Document.objects.select_related("campaign__school", "school", "bureau").get(pk=document_id)
    try:
        docx, pdf = documents.build(document)
    except documents.BuildError as exc:
        Document.objects.filter(pk=document.pk).update(
            state=DocState.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        document.refresh_from_db()
        return document
    with transaction.atomic():
        name = f"{document.kind}-{document.pk}"
        document.docx.save(f"{name}.docx", ContentFile(docx), save=False)
        if pdf is not None:
            document.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        document.state = DocState.DONE
        document.finished_at = timezone.now()
        document.save(update_fields=["docx", "pdf", "state", "finished_at"])
        school_id = document.school_id
        record(
            SYSTEM, change_for("report.write", document, school_id=school_id, after={"state": document.state})
        )
    return document


BUREAU_MESSAGE = gettext_lazy("只有本局管理员可以生成教育局活动总结。")


def request_bureau_summary(*, actor: Actor, bureau: Bureau, year: int) -> Document:
    require(actor.system or bureau.pk in actor.bureau_ids(), BUREAU_MESSAGE)
    with transaction.atomic():
        document = Document.objects.create(
            kind=DocKind.BUREAU_SUMMARY,
            bureau=bureau,
            year=year,
            title=f"{bureau.name}{year}年度创先争优活动总结",
            requested_by=actor.user,
        )
        record(actor, change_for("report.request", document, school_id=None, after=snapshot(document)))
        _enqueue(document.pk)
    return document


BRIEFING_MESSAGE = gettext_lazy("只有本校管理员、领导小组和工作小组可以编发简报。")


def request_briefing(
    *,
    actor: Actor,
    school: School,
    title: str,
    issuer: str,
    period_start: dt.date,
    period_end: dt.date,
    distribution: dict[str, str],
    is_supplement: bool = False,
    issued_on: dt.date | None = None,
) -> Briefing:
    """Number the next issue of the year (增刊 counted apart) and queue its .docx and PDF."""
    require(can_manage_campaign(actor, school), BRIEFING_MESSAGE)
    if period_end < period_start:
        raise Invalid(
            gettext("截止日期不能早于起始日期。"), {"period_end": [gettext("截止日期不能早于起始日期。")]}
        )
    day = issued_on or timezone.localdate()
    with transaction.atomic():
        # Two editors never take the same number: they queue on the school row. FOR NO KEY UPDATE, not
        # FOR UPDATE: every insert that references the school (the audit entry of a writer that already
        # holds the audit head, see docs/developing.md "Lock order") takes FOR KEY SHARE on this row,
        # which FOR UPDATE would block, and the two would deadlock.
        School.objects.select_for_update(no_key=True).filter(pk=school.pk).first()
        last = (
            Briefing.objects.filter(school=school, year=day.year, is_supplement=is_supplement)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        label = "增刊" if is_supplement else ""
        document = Document.objects.create(
            kind=DocKind.BRIEFING,
            school=school,
            year=day.year,
            title=f"{title}{day.year}年{label}第{(last or 0) + 1}期",
            requested_by=actor.user,
        )
        briefing = Briefing.objects.create(
            school=school,
            year=day.year,
            number=(last or 0) + 1,
            is_supplement=is_supplement,
            title=title,
            issuer=issuer,
            issued_on=day,
            period_start=period_start,
            period_end=period_end,
            distribution={k: v for k, v in distribution.items() if k in ("报", "送", "发") and v},
            document=document,
        )
        record(actor, change_for("briefing.create", briefing, school_id=school.pk, after=snapshot(briefing)))
        _enqueue(document.pk)
    return briefing
