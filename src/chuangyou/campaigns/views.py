"""The campaign office pages: the plan and its timeline, phases, 分工, resources and the safety plan.

Reads need `can_read_school`; every write goes through `campaigns.services`, which checks
`can_manage_campaign` itself. Edit forms are shown only to those who may write.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.campaigns import selectors, services
from chuangyou.campaigns.forms import (
    AssignmentForm,
    CampaignForm,
    PhaseForm,
    ResourceForm,
    SafetyPlanForm,
)
from chuangyou.campaigns.models import Assignment, Campaign, Phase, ResourceLine
from chuangyou.forms import show_service_error
from chuangyou.lib.errors import NotAllowed, NotFound, ServiceError
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, can_manage_campaign, can_read_school, require
from chuangyou.web import actor_of, paginate, school_by_code


def _office(request: HttpRequest, code: str) -> tuple[School, Actor]:
    school, actor = school_by_code(code), actor_of(request)
    require(can_read_school(actor, school), selectors.READ_MESSAGE)
    return school, actor


def _campaign(request: HttpRequest, code: str, year: int) -> tuple[Campaign, Actor]:
    actor = actor_of(request)
    return selectors.campaign_for(actor, school_by_code(code), year), actor


def _require_manage(actor: Actor, campaign: Campaign) -> None:
    require(can_manage_campaign(actor, campaign.school), services.MANAGE_MESSAGE)


def _context(campaign: Campaign, actor: Actor, tab: str, **extra: Any) -> dict[str, Any]:
    return {
        "school": campaign.school,
        "campaign": campaign,
        "tab": tab,
        "can_manage": can_manage_campaign(actor, campaign.school),
        "today": timezone.localdate(),
        **extra,
    }


def _back(campaign: Campaign, view: str) -> HttpResponse:
    return redirect(f"campaigns:{view}", code=campaign.school.code, year=campaign.year)


# --- the campaign ------------------------------------------------------------------------------


@login_required
def campaign_list(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _office(request, code)
    page = paginate(request, selectors.campaigns_visible_to(actor, school), per_page=20)
    today = timezone.localdate()
    rows = [(c, c.current_phase(today)) for c in page.object_list]
    return render(
        request,
        "campaigns/list.html",
        {
            "school": school,
            "page": page,
            "rows": rows,
            "can_manage": can_manage_campaign(actor, school),
            "groups": selectors.office_groups(school, today=today),
        },
    )


@login_required
def campaign_create(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _office(request, code)
    require(can_manage_campaign(actor, school), services.MANAGE_MESSAGE)
    year = timezone.localdate().year
    title = _("%(school)s%(year)s年创先争优活动实施方案") % {"school": school.name, "year": year}
    form = CampaignForm(request.POST or None, initial={"year": year, "title": title})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.create_campaign(
                actor=actor,
                school=school,
                year=data["year"],
                title=data["title"],
                theme=data["theme"],
                goals=data["goals"],
                principles=data["principles"],
                is_public=data["is_public"],
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("活动方案已创建，已生成默认阶段，请核对各阶段日期。"))
            return _back(campaign, "detail")
    return render(request, "campaigns/campaign_form.html", {"school": school, "form": form})


@login_required
def campaign_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    today = timezone.localdate()
    return render(
        request,
        "campaigns/detail.html",
        _context(
            campaign,
            actor,
            "overview",
            timeline=selectors.timeline_of(campaign, today=today),
            groups=selectors.office_groups(campaign.school, today=today),
            counts=selectors.assignment_counts(campaign, today=today),
            funds_total=selectors.funds_total(campaign),
        ),
    )


@login_required
def campaign_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    _require_manage(actor, campaign)
    initial = {
        "title": campaign.title,
        "theme": campaign.theme,
        "goals": campaign.goals,
        "principles": campaign.principles,
        "is_public": campaign.is_public,
    }
    form = CampaignForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_campaign(actor=actor, campaign=campaign, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("活动方案已保存。"))
            return _back(campaign, "detail")
    return render(request, "campaigns/campaign_form.html", _context(campaign, actor, "overview", form=form))


@login_required
@require_POST
def campaign_delete(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    services.delete_campaign(actor=actor, campaign=campaign)
    messages.success(request, _("%(year)s 年度的活动方案已删除。") % {"year": year})
    return redirect("campaigns:list", code=code)


# --- phases ------------------------------------------------------------------------------------


@login_required
def phases(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The phase table, and the form that adds one (placed by its start date)."""
    campaign, actor = _campaign(request, code, year)
    form = PhaseForm(request.POST or None)
    if request.method == "POST":
        _require_manage(actor, campaign)
        if form.is_valid():
            try:
                services.add_phase(actor=actor, campaign=campaign, **form.cleaned_data)
            except ServiceError as exc:
                show_service_error(form, exc)
            else:
                messages.success(request, _("已添加阶段「%(name)s」。") % {"name": form.cleaned_data["name"]})
                return _back(campaign, "phases")
    today = timezone.localdate()
    return render(
        request,
        "campaigns/phases.html",
        _context(campaign, actor, "phases", form=form, timeline=selectors.timeline_of(campaign, today=today)),
    )


def _phase(campaign: Campaign, phase_id: int) -> Phase:
    return get_object_or_404(
        Phase.objects.select_related("campaign", "school"), pk=phase_id, campaign=campaign
    )


@login_required
def phase_edit(request: HttpRequest, code: str, year: int, phase_id: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    _require_manage(actor, campaign)
    phase = _phase(campaign, phase_id)
    initial = {
        "name": phase.name,
        "starts_on": phase.starts_on,
        "ends_on": phase.ends_on,
        "description": phase.description,
    }
    form = PhaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_phase(actor=actor, phase=phase, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("阶段「%(name)s」已保存。") % {"name": form.cleaned_data["name"]})
            return _back(campaign, "phases")
    return render(
        request, "campaigns/phase_form.html", _context(campaign, actor, "phases", form=form, phase=phase)
    )


@login_required
@require_POST
def phase_move(request: HttpRequest, code: str, year: int, phase_id: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    direction: Literal["up", "down"] = "up" if request.POST.get("direction") == "up" else "down"
    try:
        services.move_phase(actor=actor, phase=_phase(campaign, phase_id), direction=direction)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return _back(campaign, "phases")


@login_required
@require_POST
def phase_delete(request: HttpRequest, code: str, year: int, phase_id: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    phase = _phase(campaign, phase_id)
    try:
        services.delete_phase(actor=actor, phase=phase)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除阶段「%(name)s」。") % {"name": phase.name})
    return _back(campaign, "phases")


# --- 分工 --------------------------------------------------------------------------------------


def _assignment_form(campaign: Campaign, data: Any = None, **kwargs: Any) -> AssignmentForm:
    return AssignmentForm(
        data,
        owners=selectors.owner_choices(campaign.school),
        phases=Phase.objects.filter(campaign=campaign).order_by("order"),
        **kwargs,
    )


@login_required
def assignments(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The task list, filtered by all / open / overdue / done; overdue rows are marked."""
    campaign, actor = _campaign(request, code, year)
    form = _assignment_form(campaign, request.POST or None)
    if request.method == "POST":
        _require_manage(actor, campaign)
        if form.is_valid():
            try:
                services.create_assignment(actor=actor, campaign=campaign, **form.cleaned_data)
            except ServiceError as exc:
                show_service_error(form, exc)
            else:
                messages.success(
                    request, _("已添加任务「%(title)s」。") % {"title": form.cleaned_data["title"]}
                )
                return _back(campaign, "assignments")
    today = timezone.localdate()
    status = selectors.assignment_filter(request.GET.get("status"))
    page = paginate(request, selectors.assignments_of(campaign, status=status, today=today))
    context = _context(
        campaign,
        actor,
        "assignments",
        form=form,
        page=page,
        status=status,
        counts=selectors.assignment_counts(campaign, today=today),
    )
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "campaigns/assignments.html#rows", context)
    return render(request, "campaigns/assignments.html", context)


def _assignment(campaign: Campaign, assignment_id: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("owner", "phase", "school", "campaign"),
        pk=assignment_id,
        campaign=campaign,
    )


@login_required
def assignment_edit(request: HttpRequest, code: str, year: int, assignment_id: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    _require_manage(actor, campaign)
    assignment = _assignment(campaign, assignment_id)
    initial = {
        "title": assignment.title,
        "owner": assignment.owner,
        "deadline": assignment.deadline,
        "phase": assignment.phase,
        "description": assignment.description,
    }
    form = _assignment_form(campaign, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_assignment(actor=actor, assignment=assignment, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("任务已保存。"))
            return _back(campaign, "assignments")
    return render(
        request,
        "campaigns/assignment_form.html",
        _context(campaign, actor, "assignments", form=form, assignment=assignment),
    )


def _toggle(request: HttpRequest, code: str, year: int, assignment_id: int, *, done: bool) -> HttpResponse:
    """Mark done or reopen. From htmx, answer with the updated row; otherwise go back to the list."""
    campaign, actor = _campaign(request, code, year)
    assignment = _assignment(campaign, assignment_id)
    error = ""
    try:
        if done:
            assignment = services.complete_assignment(actor=actor, assignment=assignment)
        else:
            assignment = services.reopen_assignment(actor=actor, assignment=assignment)
    except ServiceError as exc:
        # A refusal stays a 403 page; a lost race (already done) is shown on the row itself.
        if isinstance(exc, NotAllowed) or not request.headers.get("HX-Request"):
            raise
        error = exc.message
    if request.headers.get("HX-Request"):
        assignment = _assignment(campaign, assignment_id)
        context = _context(campaign, actor, "assignments", a=assignment, row_error=error)
        return render(request, "campaigns/assignments.html#row", context)
    return _back(campaign, "assignments")


@login_required
@require_POST
def assignment_done(request: HttpRequest, code: str, year: int, assignment_id: int) -> HttpResponse:
    return _toggle(request, code, year, assignment_id, done=True)


@login_required
@require_POST
def assignment_reopen(request: HttpRequest, code: str, year: int, assignment_id: int) -> HttpResponse:
    return _toggle(request, code, year, assignment_id, done=False)


@login_required
@require_POST
def assignment_delete(request: HttpRequest, code: str, year: int, assignment_id: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    assignment = _assignment(campaign, assignment_id)
    services.delete_assignment(actor=actor, assignment=assignment)
    messages.success(request, _("已删除任务「%(title)s」。") % {"title": assignment.title})
    return _back(campaign, "assignments")


# --- resources and budget ----------------------------------------------------------------------


@login_required
def resources(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    form = ResourceForm(request.POST or None)
    if request.method == "POST":
        _require_manage(actor, campaign)
        if form.is_valid():
            try:
                services.add_resource(actor=actor, campaign=campaign, **form.cleaned_data)
            except ServiceError as exc:
                show_service_error(form, exc)
            else:
                messages.success(request, _("已添加「%(name)s」。") % {"name": form.cleaned_data["name"]})
                return _back(campaign, "resources")
    page = paginate(request, selectors.resources_of(campaign))
    return render(
        request,
        "campaigns/resources.html",
        _context(
            campaign, actor, "resources", form=form, page=page, funds_total=selectors.funds_total(campaign)
        ),
    )


def _resource(campaign: Campaign, line_id: int) -> ResourceLine:
    return get_object_or_404(ResourceLine.objects.select_related("school"), pk=line_id, campaign=campaign)


@login_required
def resource_edit(request: HttpRequest, code: str, year: int, line_id: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    _require_manage(actor, campaign)
    line = _resource(campaign, line_id)
    initial = {
        "kind": line.kind,
        "name": line.name,
        "quantity": line.quantity,
        "amount": line.amount,
        "notes": line.notes,
    }
    form = ResourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_resource(actor=actor, line=line, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("已保存「%(name)s」。") % {"name": form.cleaned_data["name"]})
            return _back(campaign, "resources")
    return render(
        request, "campaigns/resource_form.html", _context(campaign, actor, "resources", form=form, line=line)
    )


@login_required
@require_POST
def resource_delete(request: HttpRequest, code: str, year: int, line_id: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    line = _resource(campaign, line_id)
    services.delete_resource(actor=actor, line=line)
    messages.success(request, _("已删除「%(name)s」。") % {"name": line.name})
    return _back(campaign, "resources")


# --- the safety plan ---------------------------------------------------------------------------


@login_required
def safety(request: HttpRequest, code: str, year: int) -> HttpResponse:
    campaign, actor = _campaign(request, code, year)
    form = SafetyPlanForm(
        request.POST or None, request.FILES or None, initial={"safety_notes": campaign.safety_notes}
    )
    if request.method == "POST":
        _require_manage(actor, campaign)
        if form.is_valid():
            try:
                services.update_safety_plan(
                    actor=actor,
                    campaign=campaign,
                    notes=form.cleaned_data["safety_notes"],
                    upload=form.cleaned_data["safety_plan"],
                    remove_file=form.cleaned_data["remove_file"],
                )
            except ServiceError as exc:
                show_service_error(form, exc)
            else:
                messages.success(request, _("安全预案已保存。"))
                return _back(campaign, "safety")
    file_name = PurePath(campaign.safety_plan.name or "").name
    return render(
        request, "campaigns/safety.html", _context(campaign, actor, "safety", form=form, file_name=file_name)
    )


@login_required
def safety_download(request: HttpRequest, code: str, year: int) -> FileResponse:
    """The attachment, for readers of the school only: it has no public URL."""
    campaign, _actor = _campaign(request, code, year)
    if not campaign.safety_plan:
        raise NotFound(_("这个活动方案还没有上传安全预案。"))
    name = PurePath(campaign.safety_plan.name or "").name
    return FileResponse(campaign.safety_plan.open("rb"), as_attachment=True, filename=name)
