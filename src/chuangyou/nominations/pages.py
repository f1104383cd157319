"""The steps the school's and the bureau's nomination pages share: the award type form, its gates, and
one step of handling an objection. Each view finds its rows through the selectors (which check who may
see them) and says where to go next; the services check who may change them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chuangyou.forms import show_service_error
from chuangyou.lib.errors import ServiceError
from chuangyou.nominations import selectors, services
from chuangyou.nominations.forms import GateForm, StepForm
from chuangyou.nominations.models import AwardType, Gate, Objection
from chuangyou.nominations.rules import can_handle_objection, handle_message
from chuangyou.org.rules import Actor, require


def award_form(
    request: HttpRequest,
    *,
    actor: Actor,
    award: AwardType | None,
    form: forms.Form,
    create: Callable[[dict[str, Any]], AwardType],
    saved_url: Callable[[AwardType], str],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Create (`award` None) or edit an award type, and show its gates."""
    if request.method == "POST" and form.is_valid():
        try:
            if award is None:
                award = create(dict(form.cleaned_data))
            else:
                services.update_award_type(actor=actor, award=award, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc, summary=True)
        else:
            messages.success(request, _("奖项已保存。"))
            return redirect(saved_url(award))
    gates = list(award.gates.all()) if award else []
    return render(
        request, template, {**context, "award": award, "form": form, "gate_form": GateForm(), "gates": gates}
    )


def delete_award(
    request: HttpRequest, *, actor: Actor, award: AwardType, award_url: str, list_url: str
) -> HttpResponse:
    try:
        services.delete_award_type(actor=actor, award=award)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(award_url)
    messages.success(request, _("奖项已删除。"))
    return redirect(list_url)


def add_gate(request: HttpRequest, *, actor: Actor, award: AwardType, award_url: str) -> HttpResponse:
    form = GateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("评选条件填写有误，请检查。"))
    else:
        try:
            services.add_gate(actor=actor, award=award, kind=form.cleaned_data["kind"], params=form.params())
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已添加评选条件。"))
    return redirect(award_url)


def remove_gate(request: HttpRequest, *, actor: Actor, gate: Gate, award_url: str) -> HttpResponse:
    try:
        services.remove_gate(actor=actor, gate=gate)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除评选条件。"))
    return redirect(award_url)


def handle_objection(
    request: HttpRequest,
    *,
    actor: Actor,
    objection: Objection,
    done_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """One handling step (受理, 核实, 结论, 答复, 归档) from the objection's page. Only the moves allowed
    now are offered, to those who handle it; once archived the page is read-only."""
    if request.method == "POST":
        require(can_handle_objection(actor, objection), handle_message(objection))
    allowed = services.next_steps(objection.status) if can_handle_objection(actor, objection) else []
    form = StepForm(request.POST or None, current=objection.status, allowed=allowed) if allowed else None
    if request.method == "POST" and form is None:
        messages.error(request, _("这件异议已归档，办理结束，不能再记录办理环节。"))
        return redirect(done_url)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.handle_objection(actor=actor, objection=objection, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc, summary=True)
        else:
            messages.success(request, _("已记录办理环节。"))
            return redirect(done_url)
    return render(
        request, template, {**context, "o": objection, "form": form, "steps": objection.steps.all()}
    )


def evidence_download(actor: Actor, objection: Objection) -> FileResponse:
    """The objector's evidence, as a download (never shown inline: it is whatever they uploaded), for
    those who handle the objection."""
    evidence = selectors.objection_evidence(actor, objection)
    return FileResponse(
        evidence.open("rb"), as_attachment=True, filename=(evidence.name or "evidence").rsplit("/", 1)[-1]
    )
