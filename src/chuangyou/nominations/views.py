"""Office pages: nominate, decide level by level, publish a notice, handle objections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.campaigns.models import Campaign
from chuangyou.lib.errors import NotFound, ServiceError
from chuangyou.nominations import selectors, services
from chuangyou.nominations.forms import DecideForm, NominateForm, NoticeForm, StepForm
from chuangyou.nominations.models import NominationStatus
from chuangyou.org.models import Student
from chuangyou.org.rules import can_read_school
from chuangyou.web import actor_of, paginate, school_by_code


def _campaign(school_id: int) -> Campaign:
    campaign = Campaign.objects.filter(school_id=school_id).order_by("-year").first()
    if campaign is None:
        raise NotFound("本校还没有活动方案，请先制定方案。")
    return campaign


@login_required
def nomination_list(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    rows = selectors.nominations_for(actor, school)
    level, status = request.GET.get("level", ""), request.GET.get("status", "")
    if level:
        rows = rows.filter(level=level)
    if status:
        rows = rows.filter(status=status)
    page = paginate(request, rows)
    return render(
        request, "nominations/list.html", {"school": school, "page": page, "level": level, "status": status}
    )


@login_required
def nominate(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    students = Student.objects.filter(school=school).select_related("school_class__grade")
    if not can_read_school(actor, school):
        students = students.filter(school_class_id__in=actor.head_teacher_class_ids())
    form = NominateForm(request.POST or None, awards=selectors.awards_for(school), students=students)
    if request.method == "POST" and form.is_valid():
        try:
            n = services.nominate(
                actor=actor,
                award=form.cleaned_data["award"],
                campaign=_campaign(school.pk),
                student=form.cleaned_data["student"],
                story=form.cleaned_data["story"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已推荐。"))
            return redirect("nominations:detail", code=code, nomination_id=n.pk)
    return render(request, "nominations/nominate.html", {"school": school, "form": form})


@login_required
def detail(request: HttpRequest, code: str, nomination_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    n = get_object_or_404(selectors.nominations_for(actor, school), pk=nomination_id)
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = {"advance": services.advance, "select": services.select, "decline": services.decline}[
            form.cleaned_data["action"]
        ]
        try:
            action(actor=actor, nomination=n, reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("决定已记录。"))
            return redirect("nominations:detail", code=code, nomination_id=n.pk)
    context = {
        "school": school,
        "n": n,
        "form": form,
        "decisions": n.decisions.all(),
        "frozen": n.notice_running(timezone.localdate()),
    }
    return render(request, "nominations/detail.html", context)


@login_required
def notice_create(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    candidates = selectors.nominations_for(actor, school).filter(
        status=NominationStatus.SELECTED, notice__isnull=True
    )
    form = NoticeForm(
        request.POST or None,
        candidates=candidates,
        initial={"office": _("监督小组办公室"), "phone": school.phone, "address": school.address},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.publish_notice(
                actor=actor, campaign=_campaign(school.pk), nominations=list(data.pop("nominations")), **data
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("公示已发布。"))
            return redirect("nominations_public:notice", code=code, notice_id=notice.pk)
    notices = paginate(request, selectors.notices_for(actor, school), per_page=20)
    return render(request, "nominations/notice_form.html", {"school": school, "form": form, "page": notices})


@login_required
def objections(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    rows = selectors.objections_for(actor, school)
    status = request.GET.get("status", "")
    if status:
        rows = rows.filter(status=status)
    return render(request, "nominations/objections.html", {"school": school, "page": paginate(request, rows)})


@login_required
def objection(request: HttpRequest, code: str, objection_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    o = get_object_or_404(selectors.objections_for(actor, school), pk=objection_id)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.handle_objection(actor=actor, objection=o, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已记录办理环节。"))
            return redirect("nominations:objection", code=code, objection_id=o.pk)
    return render(
        request,
        "nominations/objection.html",
        {"school": school, "o": o, "form": form, "steps": o.steps.all()},
    )


__all__ = [
    "detail",
    "nominate",
    "nomination_list",
    "notice_create",
    "objection",
    "objections",
    "require_POST",
]
