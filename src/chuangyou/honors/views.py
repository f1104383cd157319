"""Office pages: issue a notice's honors, certificates (rights-checked), revocation, the prize ledger."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.campaigns.models import ResourceLine
from chuangyou.honors import certificates, selectors, services
from chuangyou.honors.forms import BatchForm, BudgetForm, LongTermRuleForm, SealForm
from chuangyou.honors.models import CertificateBatch, Honor, LongTermRecognition, LongTermRule, Seal
from chuangyou.lib.errors import ServiceError
from chuangyou.lib.xlsx import Book
from chuangyou.nominations.models import AwardType, Notice
from chuangyou.org.models import School, Staff, Student
from chuangyou.org.rules import can_read_school, is_school_admin, require
from chuangyou.web import actor_of, paginate, school_by_code

READ = gettext_lazy("您没有权限查看本校的表彰。")
SEAL_MESSAGE = gettext_lazy("只有学校管理员可以管理公章图片。")


@login_required
def honor_list(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    require(can_read_school(actor, school), READ)
    notices = Notice.objects.filter(school=school).annotate(issued=Count("nominations__honor"))[:20]
    page = paginate(request, Honor.objects.filter(school=school).select_related("award_type").order_by("-pk"))
    context = {"school": school, "notices": notices, "page": page, "batch_form": BatchForm()}
    return render(request, "honors/list.html", context)


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
    honor = selectors.certificate_honor(actor, school, honor_id)
    pdf = certificates.render([services.certificate_data(honor)], services.seal_for(honor))
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
    budgeted = {r.line_id for r in rows}
    if request.GET.get("format") == "xlsx":
        book = Book()
        ws = book.sheet(gettext("奖金台账"))
        ws.append(
            [
                gettext("经费科目"),
                gettext("预算（元）"),
                gettext("已承诺（元）"),
                gettext("已支付（元）"),
                gettext("余额（元）"),
            ]
        )
        for r in rows:
            ws.append([r.name, r.budget, r.committed, r.paid, r.remaining])
        response = HttpResponse(
            book.to_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="prize-ledger.xlsx"'
        return response
    unbudgeted = ResourceLine.objects.filter(school=school, kind="funds").exclude(pk__in=budgeted)
    context = {
        "school": school,
        "rows": rows,
        "unbudgeted": unbudgeted,
        "form": BudgetForm(),
        "can_raise": services.can_raise_budget(actor, school),
    }
    return render(request, "honors/ledger.html", context)


@login_required
@require_POST
def set_budget(request: HttpRequest, code: str, line_id: int) -> HttpResponse:
    """Set a line's prize budget; above the plan's amount only the leading group may go (audited)."""
    school, actor = school_by_code(code), actor_of(request)
    line = get_object_or_404(ResourceLine.objects.select_related("school"), school=school, pk=line_id)
    form = BudgetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写正确的金额。"))
        return redirect("honors:ledger", code=code)
    try:
        services.set_budget(actor=actor, line=line, amount=form.cleaned_data["amount"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("奖金预算已更新。"))
    return redirect("honors:ledger", code=code)


@login_required
def seal(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    require(is_school_admin(actor, school), SEAL_MESSAGE)
    form = SealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            services.upload_seal(actor=actor, school=school, name=upload.name, data=upload)
        except ServiceError as exc:
            form.add_error("image", exc.message)
        else:
            messages.success(request, _("公章图片已更新，新颁发的证书将使用它。"))
            return redirect("honors:seal", code=code)
    current = Seal.objects.filter(school=school).first()
    return render(request, "honors/seal.html", {"school": school, "form": form, "seal": current})


@login_required
def seal_image(request: HttpRequest, code: str) -> HttpResponse:
    """The seal is private: only the school's admin sees it outside a certificate."""
    school, actor = school_by_code(code), actor_of(request)
    require(is_school_admin(actor, school), SEAL_MESSAGE)
    return HttpResponse(services.seal_png(school), content_type="image/png")


# --- batch certificates -------------------------------------------------------------------------


@login_required
@require_POST
def batch_request(request: HttpRequest, code: str, notice_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    notice = get_object_or_404(Notice.objects.select_related("school"), school=school, pk=notice_id)
    form = BatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择生成方式。"))
        return redirect("honors:list", code=code)
    try:
        batch = services.request_batch(actor=actor, notice=notice, as_zip=form.cleaned_data["as_zip"])
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("honors:list", code=code)
    return redirect("honors:batch", code=code, batch_id=batch.pk)


def _batch(request: HttpRequest, code: str, batch_id: int) -> tuple[School, CertificateBatch]:
    school, actor = school_by_code(code), actor_of(request)
    require(services.can_issue(actor, school), services.ISSUE_MESSAGE)
    batch = get_object_or_404(CertificateBatch.objects.select_related("notice"), school=school, pk=batch_id)
    return school, batch


@login_required
def batch(request: HttpRequest, code: str, batch_id: int) -> HttpResponse:
    """The batch's progress; htmx polls the #progress partial until the file is ready."""
    school, found = _batch(request, code, batch_id)
    template = "honors/batch.html#progress" if request.headers.get("HX-Request") else "honors/batch.html"
    return render(request, template, {"school": school, "batch": found})


@login_required
def batch_file(request: HttpRequest, code: str, batch_id: int) -> FileResponse:
    _school, found = _batch(request, code, batch_id)
    if not found.file:
        raise Http404
    kind = "application/zip" if found.as_zip else "application/pdf"
    name = found.file.name.rsplit("/", 1)[-1]
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=name, content_type=kind)


# --- a person's honors across years, and the long-term rule ------------------------------------------


@login_required
def student_record(request: HttpRequest, code: str, student_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    student = get_object_or_404(
        Student.objects.select_related("school", "school_class__grade"), school=school, pk=student_id
    )
    honors, recognitions = selectors.student_honors(actor, student)
    context = {
        "school": school,
        "name": student.name,
        "subtitle": str(student.school_class),
        "honors": honors,
        "recognitions": recognitions,
    }
    return render(request, "honors/person.html", context)


@login_required
def staff_record(request: HttpRequest, code: str, staff_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    staff = get_object_or_404(Staff.objects.select_related("school"), school=school, pk=staff_id)
    honors = selectors.staff_honors(actor, staff)
    context = {"school": school, "name": staff.name, "subtitle": staff.subject, "honors": honors}
    return render(request, "honors/person.html", context)


@login_required
def long_term(request: HttpRequest, code: str) -> HttpResponse:
    """The rules, and the candidates the honors history proposes; a leader confirms each one."""
    school, actor = school_by_code(code), actor_of(request)
    candidates = selectors.long_term_candidates(actor, school)
    awards = AwardType.objects.filter(school=school)
    form = LongTermRuleForm(request.POST or None, awards=awards)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_long_term_rule(actor=actor, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("长期荣誉规则已添加。"))
            return redirect("honors:long_term", code=code)
    context = {
        "school": school,
        "form": form,
        "rules": LongTermRule.objects.filter(school=school).select_related("award_type"),
        "candidates": candidates,
        "recognitions": LongTermRecognition.objects.filter(school=school).select_related("rule", "student"),
    }
    return render(request, "honors/long_term.html", context)


@login_required
@require_POST
def long_term_confirm(request: HttpRequest, code: str, rule_id: int, student_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    rule = get_object_or_404(
        LongTermRule.objects.select_related("school", "award_type"), school=school, pk=rule_id
    )
    student = get_object_or_404(Student, school=school, pk=student_id)
    try:
        services.confirm_long_term(actor=actor, rule=rule, student=student)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认。"))
    return redirect("honors:long_term", code=code)
