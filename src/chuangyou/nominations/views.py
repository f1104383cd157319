"""Office pages: nominate, decide level by level, publish a notice, handle objections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.campaigns.models import Campaign, ResourceLine
from chuangyou.forms import show_service_error
from chuangyou.lib.errors import NotFound, ServiceError
from chuangyou.nominations import pages, selectors, services
from chuangyou.nominations.forms import (
    AwardTypeForm,
    DecideForm,
    ExamImportForm,
    NominateForm,
    NoticeForm,
)
from chuangyou.nominations.models import NominationStatus, ObjectionStatus
from chuangyou.nominations.rules import can_manage_awards, can_read_nominations, can_read_objections
from chuangyou.org.models import Student
from chuangyou.org.rules import can_read_school, require
from chuangyou.web import actor_of, paginate, school_by_code


def _campaign(school_id: int) -> Campaign:
    campaign = Campaign.objects.filter(school_id=school_id).order_by("-year").first()
    if campaign is None:
        raise NotFound(gettext("本校还没有活动方案，请先制定方案。"))
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
    context = {"school": school, "page": page, "level": level, "status": status}
    context["objections"] = can_read_objections(actor, school)
    return render(request, "nominations/list.html", context)


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
    n = selectors.get_nomination(actor, school, nomination_id)
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
    if status == "open":
        rows = rows.exclude(status=ObjectionStatus.ARCHIVED)
    elif status in ObjectionStatus.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "nominations/objections.html",
        {
            "school": school,
            "page": paginate(request, rows),
            "status": status,
            "statuses": ObjectionStatus.choices,
        },
    )


@login_required
def objection(request: HttpRequest, code: str, objection_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    o = selectors.get_objection(actor, school, objection_id)
    return pages.handle_objection(
        request,
        actor=actor,
        objection=o,
        done_url=reverse("nominations:objection", args=[code, o.pk]),
        template="nominations/objection.html",
        context={"school": school},
    )


@login_required
def objection_evidence(request: HttpRequest, code: str, objection_id: int) -> FileResponse:
    school, actor = school_by_code(code), actor_of(request)
    return pages.evidence_download(actor, selectors.get_objection(actor, school, objection_id))


# --- award types ----------------------------------------------------------------------------------


def _funds_lines(school_id: int) -> QuerySet[ResourceLine]:
    return ResourceLine.objects.filter(school_id=school_id, kind="funds").select_related("campaign")


@login_required
def award_list(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    require(can_read_nominations(actor, school), selectors.READ_MESSAGE)
    awards = selectors.awards_for(school, active_only=False).select_related("budget_line")
    context = {
        "school": school,
        "page": paginate(request, awards.prefetch_related("gates")),
        "can_manage": can_manage_awards(actor, school),
        "lines": _funds_lines(school.pk),
    }
    return render(request, "nominations/awards.html", context)


@login_required
@require_POST
def award_presets(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    line_id = request.POST.get("budget_line") or None
    line = get_object_or_404(_funds_lines(school.pk), pk=line_id) if line_id else None
    made = services.install_presets(actor=actor, school=school, budget_line=line)
    messages.success(request, _("已添加 %(n)d 个现成奖项。") % {"n": len(made)})
    return redirect("nominations:awards", code=code)


@login_required
def award_edit(request: HttpRequest, code: str, award_id: int | None = None) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    require(can_manage_awards(actor, school), services.MANAGE_MESSAGE)
    award = selectors.get_own_award(school, award_id) if award_id is not None else None
    initial = {f: getattr(award, f) for f in services.AWARD_FIELDS} if award else None
    return pages.award_form(
        request,
        actor=actor,
        award=award,
        form=AwardTypeForm(request.POST or None, initial=initial, lines=_funds_lines(school.pk)),
        create=lambda data: services.create_award_type(actor=actor, school=school, **data),
        saved_url=lambda saved: reverse("nominations:award", args=[code, saved.pk]),
        template="nominations/award_form.html",
        context={"school": school},
    )


@login_required
@require_POST
def award_delete(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    award = selectors.get_own_award(school, award_id)
    return pages.delete_award(
        request,
        actor=actor,
        award=award,
        award_url=reverse("nominations:award", args=[code, award.pk]),
        list_url=reverse("nominations:awards", args=[code]),
    )


@login_required
@require_POST
def gate_add(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    award = selectors.get_own_award(school, award_id)
    return pages.add_gate(
        request, actor=actor, award=award, award_url=reverse("nominations:award", args=[code, award.pk])
    )


@login_required
@require_POST
def gate_remove(request: HttpRequest, code: str, award_id: int, gate_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    gate = selectors.get_gate(selectors.get_own_award(school, award_id), gate_id)
    return pages.remove_gate(
        request, actor=actor, gate=gate, award_url=reverse("nominations:award", args=[code, award_id])
    )


# --- proposed from the data, and the exam scores they use --------------------------------------------


@login_required
def proposal_list(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    require(can_read_nominations(actor, school), selectors.READ_MESSAGE)
    campaign = _campaign(school.pk)
    awards = selectors.awards_for(school).exclude(proposal_source="")
    chosen = awards.filter(pk=request.GET.get("award") or 0).first() or awards.first()
    found = selectors.proposals_for(actor, school, campaign, chosen) if chosen else []
    context = {"school": school, "campaign": campaign, "awards": awards, "award": chosen, "proposals": found}
    return render(request, "nominations/proposals.html", context)


@login_required
@require_POST
def proposal_confirm(request: HttpRequest, code: str, award_id: int, student_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    award = get_object_or_404(selectors.awards_for(school), pk=award_id)
    student = get_object_or_404(Student, school=school, pk=student_id)
    try:
        n = services.nominate_from_proposal(
            actor=actor, award=award, campaign=_campaign(school.pk), student=student
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("nominations:proposals", args=[code]) + f"?award={award.pk}")
    messages.success(request, _("已按系统提名推荐。"))
    return redirect("nominations:detail", code=code, nomination_id=n.pk)


@login_required
def exam_import(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    exams = selectors.exams_for(actor, school)
    form = ExamImportForm(
        request.POST or None, request.FILES or None, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            exam = services.import_exam_scores(
                actor=actor, school=school, year=data["year"], term=data["term"], kind=data["kind"],
                name=upload.name, data=upload,
            )  # fmt: skip
        except ServiceError as exc:
            show_service_error(form, exc, summary=True)
        else:
            messages.success(request, _("已导入 %(exam)s 的成绩。") % {"exam": exam})
            return redirect("nominations:exams", code=code)
    context = {"school": school, "form": form, "page": paginate(request, exams, per_page=20)}
    return render(request, "nominations/exams.html", context)


__all__ = [
    "award_delete",
    "award_edit",
    "award_list",
    "award_presets",
    "detail",
    "exam_import",
    "gate_add",
    "gate_remove",
    "nominate",
    "nomination_list",
    "notice_create",
    "objection",
    "objection_evidence",
    "objections",
    "proposal_confirm",
    "proposal_list",
]
