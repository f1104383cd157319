"""Office pages: issue a notice's honors, certificates (rights-checked), revocation, the prize ledger."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from chuangyou.honors import certificates, selectors, services
from chuangyou.honors.models import Honor
from chuangyou.lib.errors import ServiceError
from chuangyou.nominations.models import Notice
from chuangyou.org.rules import can_read_school, can_view_student, require
from chuangyou.web import actor_of, paginate, school_by_code

READ = "您没有权限查看本校的表彰。"


@login_required
def honor_list(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    require(can_read_school(actor, school), READ)
    notices = Notice.objects.filter(school=school).annotate(issued=Count("nominations__honor"))[:20]
    page = paginate(request, Honor.objects.filter(school=school).select_related("award_type").order_by("-pk"))
    return render(request, "honors/list.html", {"school": school, "notices": notices, "page": page})


@login_required
@require_POST
def issue(request: HttpRequest, code: str, notice_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    notice = get_object_or_404(Notice, school=school, pk=notice_id)
    try:
        honors = services.issue_notice(actor=actor, notice=notice)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已颁发 %(n)d 项荣誉。") % {"n": len(honors)})
    return redirect("honors:list", code=code)


@login_required
def certificate(request: HttpRequest, code: str, honor_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    honor = get_object_or_404(
        Honor.objects.select_related("award_type", "school", "student"), school=school, pk=honor_id
    )
    allowed = can_read_school(actor, school) or (
        honor.student is not None and can_view_student(actor, honor.student)
    )
    require(allowed, "您没有权限查看这张证书。")
    pdf = certificates.render([services.certificate_data(honor)], services.seal_png(school))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{honor.number}.pdf"'
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, code: str, honor_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    honor = get_object_or_404(Honor, school=school, pk=honor_id)
    try:
        services.revoke(actor=actor, honor=honor, reason=request.POST.get("reason", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤销。"))
    return redirect("honors:list", code=code)


@login_required
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    rows = selectors.ledger(actor, school)
    if request.GET.get("format") == "xlsx":
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = "奖金台账"
        ws.append(["经费科目", "预算（元）", "已承诺（元）", "已支付（元）", "余额（元）"])
        for r in rows:
            ws.append([r.name, r.budget, r.committed, r.paid, r.remaining])
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="prize-ledger.xlsx"'
        return response
    return render(request, "honors/ledger.html", {"school": school, "rows": rows})
