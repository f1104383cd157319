"""Files this app produces: the A4 sheets of QR slips and the anonymous ballot table."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from chuangyou.evaluations import counting
from chuangyou.evaluations.models import Ballot, Evaluation, Subject
from chuangyou.lib import qr
from chuangyou.lib.fonts import HEI, register
from chuangyou.lib.site import site_url
from chuangyou.lib.xlsx import BOLD, Book

COLUMNS, ROWS = 2, 5


def ballot_url(evaluation: Evaluation, code: str) -> str:
    """The slip's link: the code page with the code in the fragment, which browsers never send, so it
    reaches no access log (the page's script POSTs it)."""
    path = reverse("evaluations_public:enter_code", kwargs={"code": evaluation.school.code})
    return f"{site_url()}{path}#{code}"


def qr_slips_pdf(evaluation: Evaluation, group_name: str, codes: Sequence[str]) -> bytes:
    """2 × 5 slips per A4 page, dashed cut lines, school, title, a QR code of the ballot link, the code."""
    font = register(HEI)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{evaluation.title} 投票码")
    width, height = A4
    slip_w, slip_h = width / COLUMNS, height / ROWS
    per_page = COLUMNS * ROWS
    for start in range(0, len(codes), per_page):
        pdf.setDash(3, 3)
        pdf.setLineWidth(0.4)
        for c in range(1, COLUMNS):
            pdf.line(c * slip_w, 0, c * slip_w, height)
        for r in range(1, ROWS):
            pdf.line(0, r * slip_h, width, r * slip_h)
        pdf.setDash()
        for i, code in enumerate(codes[start : start + per_page]):
            col, row = i % COLUMNS, i // COLUMNS
            x, top = col * slip_w, height - row * slip_h
            size = 36 * mm
            qr.draw(pdf, ballot_url(evaluation, code), x + 6 * mm, top - 8 * mm - size, size)
            tx = x + 46 * mm
            pdf.setFont(font, 9)
            pdf.drawString(tx, top - 12 * mm, evaluation.school.name[:16])
            pdf.setFont(font, 10)
            title = evaluation.title
            pdf.drawString(tx, top - 18 * mm, title[:14])
            if len(title) > 14:
                pdf.drawString(tx, top - 23 * mm, title[14:28])
            pdf.setFont(font, 8)
            pdf.drawString(tx, top - 29 * mm, f"{group_name} · 扫码投票，无需登录")
            pdf.drawString(tx, top - 34 * mm, "每码限用一次，请妥善保管")
            pdf.setFont("Courier-Bold", 13)
            pdf.drawString(tx, top - 42 * mm, f"{code[:5]} {code[5:]}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def ballot_table_xlsx(
    evaluation: Evaluation, subjects: Iterable[Subject], ballots: Iterable[Ballot]
) -> bytes:
    """One row per ballot (random order), one column per subject × criterion: no voter, no time."""
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    subject_list = list(subjects)
    book = Book()
    sheet = book.sheet(gettext("选票明细"))
    header = [gettext("选票编号"), gettext("评议主体"), gettext("投票日期")] + [
        f"{s.name}·{c.title}" for s in subject_list for c in rubric.criteria
    ]
    sheet.append(header, font=BOLD)
    for ballot in ballots:
        row: list[object] = [str(ballot.id), ballot.group.name, ballot.day]
        for s in subject_list:
            marks = (ballot.content or {}).get(str(s.pk), {})
            row += [marks.get(c.key) or "" for c in rubric.criteria]
        sheet.append(row)
    return book.to_bytes()
