"""公示 pages anyone may open: the notice, its QR poster, the objection form and the reply lookup."""

from __future__ import annotations

import io

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from chuangyou.lib import qr
from chuangyou.lib.errors import ServiceError
from chuangyou.lib.fonts import HEI, register
from chuangyou.lib.site import site_url
from chuangyou.lib.strokes import by_strokes
from chuangyou.lib.uploads import clean_upload
from chuangyou.limits import rates
from chuangyou.limits import rules as limit_rules
from chuangyou.nominations import services
from chuangyou.nominations.forms import MAX_FORM_SECONDS, ObjectionForm, ReplyLookupForm
from chuangyou.nominations.models import Nomination, NominationStatus, Notice
from chuangyou.web import client_ip, school_by_code

OBJECTION_TOKEN_SCOPE = "objection-token"  # noqa: S105 - a limiter scope, not a secret


def _notice(code: str, notice_id: int) -> Notice:
    """A notice shown on a school's public pages: the school's own, or its bureau's (a bureau notice has
    no school of its own, so every school of the bureau shows it, with the bureau as issuer)."""
    school = school_by_code(code)
    return get_object_or_404(
        Notice.objects.select_related("school", "bureau").filter(
            Q(school=school) | Q(bureau_id=school.bureau_id)
        ),
        pk=notice_id,
    )


def _listed(notice: Notice) -> list[Nomination]:
    rows = (
        Nomination.objects.filter(notice=notice)
        .exclude(status=NominationStatus.REMOVED)
        .select_related("award_type")
    )
    return by_strokes(rows, lambda n: n.nominee_name)


def notice_page(request: HttpRequest, code: str, notice_id: int) -> HttpResponse:
    notice = _notice(code, notice_id)
    removed = Nomination.objects.filter(notice=notice, status=NominationStatus.REMOVED)
    context = {
        "school": school_by_code(code),
        "notice": notice,
        "rows": _listed(notice),
        "removed": removed,
        "state": notice.state_on(timezone.localdate()),
    }
    return render(request, "nominations/public_notice.html", context)


def poster(request: HttpRequest, code: str, notice_id: int) -> HttpResponse:
    """An A4 poster for the notice board: title, dates, how to object, and a QR code to the notice."""
    notice = _notice(code, notice_id)
    url = site_url() + reverse("nominations_public:notice", kwargs={"code": code, "notice_id": notice.pk})
    face = register(HEI)
    out = io.BytesIO()
    c = Canvas(out, pagesize=A4)
    c.setTitle(notice.title)
    w, h = A4
    c.setFont(face, 22)
    c.drawCentredString(w / 2, h - 35 * mm, notice.title[:28])
    c.setFont(face, 13)
    lines = [
        f"{notice.issuer_name}",
        f"公示期：{notice.starts_on:%Y年%m月%d日} 至 {notice.ends_on:%Y年%m月%d日}"
        f"（{notice.working_days} 个工作日）",
        f"受理部门：{notice.office}  电话：{notice.phone}",
        f"地址：{notice.address}",
        "扫描二维码查看公示名单，或提出异议（可实名或匿名）。",
    ]
    for i, line in enumerate(lines):
        c.drawString(25 * mm, h - (55 + i * 9) * mm, line)
    if notice.workdays_source:  # which holiday schedule counted the days, small, wrapped to the margins
        c.setFont(face, 9)
        source = simpleSplit(f"节假日安排依据：{notice.workdays_source}", face, 9, w - 50 * mm)
        for j, part in enumerate(source):
            c.drawString(25 * mm, h - (55 + len(lines) * 9 + j * 5) * mm, part)
    qr.draw(c, url, w / 2 - 40 * mm, 70 * mm, 80 * mm)
    c.setFont(face, 9)
    c.drawCentredString(w / 2, 62 * mm, url)
    c.showPage()
    c.save()
    response = HttpResponse(out.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response


def object_form(request: HttpRequest, code: str, notice_id: int) -> HttpResponse:
    notice = _notice(code, notice_id)
    candidates = Nomination.objects.filter(notice=notice).exclude(status=NominationStatus.REMOVED)
    form = ObjectionForm(request.POST or None, request.FILES or None, candidates=candidates)
    code_given = None
    status = 200
    if request.method == "POST" and form.is_valid():
        address, token = client_ip(request), form.cleaned_data["token"]
        # The form's token is spent before anything else, atomically: a replay (or thirty parallel
        # copies of one post) files nothing more.
        if not rates.first_use(OBJECTION_TOKEN_SCOPE, token, seconds=MAX_FORM_SECONDS):
            form.add_error(None, _("这份表单已经提交过了。如需再提异议，请刷新页面后重新填写。"))
            status = 409
        elif not rates.hit(limit_rules.objections(), address).allowed:
            form.add_error(None, _("提交次数过多，请一小时后再试，或直接联系受理部门。"))
            status = 429
        else:
            data = form.cleaned_data
            try:
                upload = data.get("evidence")
                evidence = clean_upload(name=upload.name, data=upload, field="evidence") if upload else None
                _objection, code_given = services.file_objection(
                    notice=notice,
                    nomination=data["nomination"],
                    anonymous=data["anonymous"],
                    name=data["name"],
                    phone=data["phone"],
                    organization=data["organization"],
                    grounds=data["grounds"],
                    evidence=evidence,
                )
            except ServiceError as exc:
                # Nothing was filed: the person may correct the form and send the same token again,
                # and the refused try does not count against the address.
                rates.take_back(limit_rules.objections(), address)
                rates.forget_use(OBJECTION_TOKEN_SCOPE, token, seconds=MAX_FORM_SECONDS)
                errors = getattr(exc, "errors", {})
                for field, msgs in errors.items():
                    for msg in msgs:
                        form.add_error(field if field in form.fields else None, msg)
                if not errors:
                    form.add_error(None, exc.message)
    return render(
        request,
        "nominations/public_object.html",
        {
            "school": school_by_code(code),
            "notice": notice,
            "form": form,
            "code": code_given,
            "min_chars": services.ANONYMOUS_MIN_CHARS,
        },
        status=status,
    )


def reply_lookup(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    form = ReplyLookupForm(request.POST or None)
    objection = None
    if request.method == "POST" and form.is_valid():
        if not rates.hit(limit_rules.objection_lookups(), client_ip(request)).allowed:
            messages.error(request, _("查询次数过多，请稍后再试。"))
            return redirect("nominations_public:reply", code=code)
        try:
            objection = services.objection_by_code(school, form.cleaned_data["code"])
        except ServiceError as exc:
            form.add_error("code", exc.message)
    return render(
        request, "nominations/public_reply.html", {"school": school, "form": form, "objection": objection}
    )
