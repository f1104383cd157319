"""The 创新项目 pages: calls, the panel, proposals with their attachments, the decision, the print view.

Reads go through `projects.selectors`; every write goes through `projects.services`, which checks the
actor itself. Controls are shown only to those who may use them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.forms import show_service_error
from chuangyou.lib.errors import Conflict, Invalid, ServiceError
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, require
from chuangyou.projects import selectors, services
from chuangyou.projects.export import proposals_workbook
from chuangyou.projects.forms import AttachmentForm, CallForm, DecisionForm, PanelForm, ProposalForm
from chuangyou.projects.models import Attachment, Call, Proposal, Status
from chuangyou.projects.rules import (
    LEAD_MESSAGE,
    MANAGE_MESSAGE,
    PROPOSE_MESSAGE,
    READ_MESSAGE,
    can_manage_projects,
    can_propose,
    can_read_all_projects,
    can_see_calls,
    is_lead_of,
)
from chuangyou.web import actor_of, paginate, school_by_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _school(request: HttpRequest, code: str) -> tuple[School, Actor]:
    school, actor = school_by_code(code), actor_of(request)
    require(can_see_calls(actor, school), READ_MESSAGE)
    return school, actor


def _call(request: HttpRequest, code: str, call_id: int) -> tuple[Call, Actor]:
    actor = actor_of(request)
    return selectors.call_for(actor, school_by_code(code), call_id), actor


def _proposal(request: HttpRequest, code: str, proposal_id: int) -> tuple[Proposal, Actor]:
    actor = actor_of(request)
    return selectors.proposal_for(actor, school_by_code(code), proposal_id), actor


def _base(school: School, actor: Actor, **extra: Any) -> dict[str, Any]:
    return {
        "school": school,
        "can_manage": can_manage_projects(actor, school),
        "can_propose": can_propose(actor, school),
        "reads_all": can_read_all_projects(actor, school),
        "statuses": Status.choices,
        **extra,
    }


# --- calls -------------------------------------------------------------------------------------


@login_required
def calls(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    page = paginate(request, selectors.calls_visible_to(actor, school), per_page=20)
    return render(request, "projects/calls.html", _base(school, actor, page=page, today=timezone.localdate()))


@login_required
def call_create(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    require(can_manage_projects(actor, school), MANAGE_MESSAGE)
    form = CallForm(request.POST or None, initial={"min_panel_size": services.default_min_panel_size()})
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(actor=actor, school=school, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("已发布征集「%(title)s」。") % {"title": call.title})
            return redirect("projects:call", code=code, call_id=call.pk)
    return render(request, "projects/call_form.html", _base(school, actor, form=form))


@login_required
def call_detail(request: HttpRequest, code: str, call_id: int) -> HttpResponse:
    call, actor = _call(request, code, call_id)
    school = call.school
    today = timezone.localdate()
    rows = selectors.proposals_visible_to(actor, school, call_id=call.pk)
    return render(
        request,
        "projects/call_detail.html",
        _base(
            school,
            actor,
            call=call,
            page=paginate(request, rows),
            budget=selectors.budget_of(call),
            panel=list(selectors.panel_of(call)),
            recusals=list(selectors.recusals_of(actor, call)),
            open_for_proposals=call.accepts_proposals(today),
            today=today,
        ),
    )


@login_required
def call_edit(request: HttpRequest, code: str, call_id: int) -> HttpResponse:
    call, actor = _call(request, code, call_id)
    require(can_manage_projects(actor, call.school), MANAGE_MESSAGE)
    fields = (
        "title",
        "semester",
        "opens_on",
        "closes_on",
        "budget",
        "per_project_cap",
        "min_panel_size",
        "rules",
    )
    form = CallForm(request.POST or None, initial={f: getattr(call, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_call(actor=actor, call=call, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("征集已保存。"))
            return redirect("projects:call", code=code, call_id=call.pk)
    return render(request, "projects/call_form.html", _base(call.school, actor, form=form, call=call))


@login_required
def panel(request: HttpRequest, code: str, call_id: int) -> HttpResponse:
    call, actor = _call(request, code, call_id)
    require(can_manage_projects(actor, call.school), MANAGE_MESSAGE)
    current = [p.staff for p in selectors.panel_of(call)]
    form = PanelForm(
        request.POST or None, staff=selectors.panel_choices(call.school), initial={"members": current}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_panel(actor=actor, call=call, members=list(form.cleaned_data["members"]))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("评审组已保存。"))
            return redirect("projects:call", code=code, call_id=call.pk)
    return render(request, "projects/panel.html", _base(call.school, actor, form=form, call=call))


@login_required
@require_POST
def open_review(request: HttpRequest, code: str, call_id: int) -> HttpResponse:
    call, actor = _call(request, code, call_id)
    try:
        moved = services.open_review(actor=actor, call=call)
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("评审已开始：%(n)s 个项目进入评审。") % {"n": len(moved)})
    return redirect("projects:call", code=code, call_id=call.pk)


# --- proposals ---------------------------------------------------------------------------------


def _proposal_form(school: School, data: Any = None, **kwargs: Any) -> ProposalForm:
    return ProposalForm(data, school=school, advisors=selectors.panel_choices(school), **kwargs)


@login_required
def propose(request: HttpRequest, code: str, call_id: int) -> HttpResponse:
    call, actor = _call(request, code, call_id)
    require(can_propose(actor, call.school), PROPOSE_MESSAGE)
    form = _proposal_form(call.school, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.create_proposal(actor=actor, call=call, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("草稿已保存。可以上传附件，确认无误后提交。"))
            return redirect("projects:proposal", code=code, proposal_id=proposal.pk)
    return render(request, "projects/proposal_form.html", _base(call.school, actor, form=form, call=call))


def _filters(request: HttpRequest) -> dict[str, Any]:
    call_id = request.GET.get("call", "")
    return {
        "call_id": int(call_id) if call_id.isdigit() else None,
        "status": request.GET.get("status", ""),
        "query": request.GET.get("q", "")[:60],
    }


@login_required
def proposals(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    filters = _filters(request)
    page = paginate(request, selectors.proposals_visible_to(actor, school, **filters))
    context = _base(
        school,
        actor,
        page=page,
        filters=filters,
        filtered=any(filters.values()),
        calls=list(selectors.calls_visible_to(actor, school).values_list("pk", "semester")),
    )
    if request.headers.get("HX-Request"):
        return render(request, "projects/proposals.html#rows", context)
    return render(request, "projects/proposals.html", context)


@login_required
def export(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    require(can_read_all_projects(actor, school), READ_MESSAGE)
    rows = selectors.proposals_visible_to(actor, school, **_filters(request))
    now = timezone.localtime()
    title = _("%(school)s 创新项目申报一览，导出于 %(time)s") % {
        "school": school.name,
        "time": now.strftime("%Y-%m-%d %H:%M"),
    }
    response = HttpResponse(proposals_workbook(rows, title=title), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="projects-{school.code}-{now:%Y%m%d-%H%M}.xlsx"'
    return response


@login_required
def proposal_detail(request: HttpRequest, code: str, proposal_id: int) -> HttpResponse:
    proposal, actor = _proposal(request, code, proposal_id)
    return render(
        request,
        "projects/proposal_detail.html",
        _base(
            proposal.school,
            actor,
            proposal=proposal,
            call=proposal.call,
            is_lead=is_lead_of(actor, proposal.lead_id),
            on_panel=selectors.is_on_panel(actor, proposal.call),
            attachment_form=AttachmentForm(),
        ),
    )


@login_required
def proposal_print(request: HttpRequest, code: str, proposal_id: int) -> HttpResponse:
    proposal, _actor = _proposal(request, code, proposal_id)
    return render(
        request,
        "projects/proposal_print.html",
        {"school": proposal.school, "proposal": proposal, "call": proposal.call, "now": timezone.localtime()},
    )


@login_required
def proposal_edit(request: HttpRequest, code: str, proposal_id: int) -> HttpResponse:
    proposal, actor = _proposal(request, code, proposal_id)
    require(is_lead_of(actor, proposal.lead_id), LEAD_MESSAGE)
    members = " ".join(t.student.student_no for t in proposal.team.all() if not t.is_lead)
    initial = {
        "title": proposal.title,
        "abstract": proposal.abstract,
        "plan": proposal.plan,
        "budget_request": proposal.budget_request,
        "advisor": proposal.advisor,
        "members": members,
    }
    form = _proposal_form(proposal.school, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(actor=actor, proposal=proposal, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("项目已保存。"))
            return redirect("projects:proposal", code=code, proposal_id=proposal.pk)
    return render(
        request,
        "projects/proposal_form.html",
        _base(proposal.school, actor, form=form, call=proposal.call, proposal=proposal),
    )


def _back(proposal: Proposal) -> HttpResponse:
    return redirect("projects:proposal", code=proposal.school.code, proposal_id=proposal.pk)


@login_required
@require_POST
def proposal_submit(request: HttpRequest, code: str, proposal_id: int) -> HttpResponse:
    proposal, actor = _proposal(request, code, proposal_id)
    try:
        services.submit_proposal(actor=actor, proposal=proposal)
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("项目已提交，内容已冻结，等待评审。"))
    return _back(proposal)


@login_required
@require_POST
def proposal_delete(request: HttpRequest, code: str, proposal_id: int) -> HttpResponse:
    proposal, actor = _proposal(request, code, proposal_id)
    try:
        services.delete_proposal(actor=actor, proposal=proposal)
    except Conflict as exc:
        messages.error(request, exc.message)
        return _back(proposal)
    messages.success(request, _("草稿「%(title)s」已删除。") % {"title": proposal.title})
    return redirect("projects:proposals", code=code)


@login_required
def decide(request: HttpRequest, code: str, proposal_id: int) -> HttpResponse:
    """The manual path: the working group enters the review meeting's outcome from its minutes."""
    proposal, actor = _proposal(request, code, proposal_id)
    require(can_manage_projects(actor, proposal.school), MANAGE_MESSAGE)
    form = DecisionForm(request.POST or None, initial={"amount": proposal.budget_request})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        funded = data["decision"] == Status.FUNDED
        try:
            services.record_decision(
                actor=actor,
                proposal=proposal,
                funded=funded,
                amount=data["amount"] if funded else None,
                reason=data["reason"],
                rank=data["rank"],
                total=data["total"],
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("评审决定已记录。"))
            return _back(proposal)
    return render(
        request,
        "projects/decision_form.html",
        _base(
            proposal.school,
            actor,
            form=form,
            proposal=proposal,
            call=proposal.call,
            budget=selectors.budget_of(proposal.call),
        ),
    )


# --- attachments -------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request: HttpRequest, code: str, proposal_id: int) -> HttpResponse:
    proposal, actor = _proposal(request, code, proposal_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return _back(proposal)
    upload = form.cleaned_data["file"]
    try:
        services.add_attachment(actor=actor, proposal=proposal, name=upload.name or "", data=upload)
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("附件已上传。"))
    return _back(proposal)


def _attachment(proposal: Proposal, attachment_id: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.select_related("proposal__school"), pk=attachment_id, proposal=proposal
    )


@login_required
def attachment_download(
    request: HttpRequest, code: str, proposal_id: int, attachment_id: int
) -> FileResponse:
    """Served only to those who may see the proposal: attachments have no public URL."""
    proposal, _actor = _proposal(request, code, proposal_id)
    attachment = _attachment(proposal, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, code: str, proposal_id: int, attachment_id: int) -> HttpResponse:
    proposal, actor = _proposal(request, code, proposal_id)
    attachment = _attachment(proposal, attachment_id)
    try:
        services.remove_attachment(actor=actor, attachment=attachment)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("附件已删除。"))
    return _back(proposal)
