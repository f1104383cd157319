"""简报: red 报头 with the issue number, issuer left and date right, a red rule, the period's
activities and photos, and the 报/送/发 line at the foot. Written as .docx, printed to PDF."""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import Count, Q
from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from chuangyou.activities.models import Activity, Status
from chuangyou.lib import gbt9704
from chuangyou.reports.models import Briefing
from chuangyou.reports.pdf import docx_to_pdf
from chuangyou.reports.summary import day


def briefing_docx(briefing: Briefing) -> bytes:
    doc = new_docx()
    gbt9704.setup(doc)
    head = doc.add_paragraph(style=gbt9704.STYLE_TITLE)
    run = head.add_run(briefing.title)
    run.font.size = Pt(42)
    run.font.color.rgb = gbt9704.RED
    gbt9704.set_fonts(run, gbt9704.TITLE_FONT, gbt9704.TITLE_FALLBACK)
    head.paragraph_format.line_spacing = Pt(60)
    head.paragraph_format.space_after = Pt(6)
    number = doc.add_paragraph(f"（{briefing.label}）", style=gbt9704.STYLE_TITLE)
    number.runs[0].font.size = gbt9704.SIZE_3
    number.paragraph_format.space_after = Pt(0)
    # Issuer left, date right, on one line: a borderless two-cell table keeps them apart.
    line = doc.add_table(rows=1, cols=2)
    line.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = line.rows[0].cells
    left.paragraphs[0].text = briefing.issuer
    left.paragraphs[0].paragraph_format.first_line_indent = Pt(0)
    right.paragraphs[0].text = day(briefing.issued_on)
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    rule = doc.add_paragraph(style=gbt9704.STYLE_BODY)
    gbt9704.red_rule(rule)

    rows = _activities(briefing)
    _activity_section(doc, briefing, rows)
    gbt9704.heading(doc, "二、成果展示")
    photos = sum(a.photos for a in rows)  # type: ignore[attr-defined]
    gbt9704.body(doc, f"本期活动经工作小组审核展出照片{photos}张。" if photos else "本期没有新展出的照片。")
    gbt9704.heading(doc, "三、表彰情况")
    honors = _honors(briefing)
    if honors:
        listed = "、".join(f"{name}{count}人" for name, count in honors)
        gbt9704.body(doc, f"本期共表彰{sum(c for _, c in honors)}人次：{listed}。")
    else:
        gbt9704.body(doc, "本期内没有颁发荣誉。")
    _imprint(doc, briefing)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _activity_section(doc: DocxDocument, briefing: Briefing, rows: list[Activity]) -> None:
    """The period's activities as a table: its header row repeats on every page, no row is split."""
    gbt9704.heading(doc, "一、活动开展情况")
    if not rows:
        gbt9704.body(doc, "本期内没有举办活动。")
        return
    lead = gbt9704.body(
        doc, f"{day(briefing.period_start)}至{day(briefing.period_end)}，共举办活动{len(rows)}项："
    )
    lead.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("日期", "活动", "类别", "参加人次", "负责人"), strict=True):
        cell.paragraphs[0].text = text
    for activity in rows:
        values = (
            f"{activity.starts_at.month}月{activity.starts_at.day}日",
            activity.title,
            activity.get_kind_display(),
            str(activity.taking_part),  # type: ignore[attr-defined]
            activity.person_in_charge.name,
        )
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.paragraphs[0].text = text
    gbt9704.table_layout(table, doc)


def _imprint(doc: DocxDocument, briefing: Briefing) -> None:
    """版记 at the foot: the 报/送/发 lines and who issued it on which day, between two rules."""
    footer = doc.add_paragraph(style=gbt9704.STYLE_BODY)
    footer.paragraph_format.first_line_indent = Pt(0)
    footer.paragraph_format.space_before = Pt(28)
    footer.paragraph_format.keep_with_next = True
    gbt9704.thin_rule(footer, top=True)
    for label in ("报", "送", "发"):
        to = (briefing.distribution or {}).get(label, "")
        if to:
            p = doc.add_paragraph(f"{label}：{to}", style=gbt9704.STYLE_BODY)
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.keep_with_next = True
    issued = doc.add_paragraph(
        f"{briefing.issuer}　　{day(briefing.issued_on)}印发", style=gbt9704.STYLE_BODY
    )
    issued.paragraph_format.first_line_indent = Pt(0)
    gbt9704.thin_rule(issued)


def _activities(briefing: Briefing) -> list[Activity]:
    start = dt.datetime.combine(briefing.period_start, dt.time.min).astimezone()
    end = dt.datetime.combine(briefing.period_end, dt.time.max).astimezone()
    scope = Q(school_id=briefing.school_id) if briefing.school_id else Q(school__bureau_id=briefing.bureau_id)
    return list(
        Activity.objects.filter(scope, status=Status.PUBLISHED, starts_at__range=(start, end))
        .select_related("person_in_charge")
        .annotate(
            taking_part=Count("registrations", filter=Q(registrations__status="confirmed"), distinct=True),
            photos=Count("evidence", filter=_photos(), distinct=True),
        )
        .order_by("starts_at")
    )


def _honors(briefing: Briefing) -> list[tuple[str, int]]:
    """Honors issued in the period and not revoked, per award type."""
    from chuangyou.honors.models import Honor

    scope = Q(school_id=briefing.school_id) if briefing.school_id else Q(school__bureau_id=briefing.bureau_id)
    rows = (
        Honor.objects.filter(
            scope,
            revoked_on__isnull=True,
            issued_on__range=(briefing.period_start, briefing.period_end),
        )
        .values("award_type_id", "award_type__name")
        .annotate(n=Count("pk"))
        .order_by("award_type_id")
    )
    return [(row["award_type__name"], row["n"]) for row in rows]


def _photos() -> Q:
    """The exhibition's rule seen from the activity: photos on show."""
    from chuangyou.exhibition.models import TakedownStatus

    hidden = [TakedownStatus.PENDING, TakedownStatus.REMOVED]
    return Q(evidence__is_image=True, evidence__exhibition_approved=True) & ~Q(
        evidence__takedowns__status__in=hidden
    )


def briefing_files(briefing: Briefing) -> tuple[bytes, bytes]:
    docx = briefing_docx(briefing)
    return docx, docx_to_pdf(docx)
