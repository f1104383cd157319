"""The office's pages: the list, building an evaluation (rubric, visibility, subjects, groups, codes)
and moving it through opening, closing and publishing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chuangyou.evaluations import counting, documents, rubrics, selectors, services
from chuangyou.evaluations.forms import (
    CloseVotingForm,
    CodesForm,
    CriterionFormSet,
    EvaluationForm,
    GroupForm,
    OpenVotingForm,
    VisibilityForm,
)
from chuangyou.evaluations.models import (
    Evaluation,
    RaterGroup,
    Visibility,
    allowed_visibilities,
)
from chuangyou.evaluations.rules import (
    can_enter_paper,
    can_manage_evaluation,
    can_supervise,
)
from chuangyou.evaluations.views.common import (
    _back,
    _evaluation,
    _file,
)
from chuangyou.forms import show_service_error
from chuangyou.lib.errors import Invalid, NotAllowed, NotFound, ServiceError
from chuangyou.org.models import Grade, PartyBranch, SchoolClass
from chuangyou.org.rules import require
from chuangyou.web import actor_of, paginate, school_by_code

# --- the office ---------------------------------------------------------------------------------


@login_required
def evaluation_list(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    page = paginate(request, selectors.evaluations_visible_to(actor, school), per_page=20)
    return render(
        request,
        "evaluations/list.html",
        {"school": school, "page": page, "can_manage": can_manage_evaluation(actor, school)},
    )


@login_required
def evaluation_create(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    require(can_manage_evaluation(actor, school), services.MANAGE_MESSAGE)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = EvaluationForm(
        request.POST or None,
        initial={"opens_at": now, "closes_at": now + dt.timedelta(days=3), "preset": "five_models"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.create_evaluation(actor=actor, school=school, **data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("评议已创建。请添加评议对象和评议主体，核对计票规则后开始投票。"))
            return _back(evaluation)
    return render(request, "evaluations/form.html", {"school": school, "form": form})


def _group_form(evaluation: Evaluation, data: Any = None) -> GroupForm:
    form = GroupForm(data)
    classes = SchoolClass.objects.filter(school=evaluation.school).select_related("grade")
    branches = PartyBranch.objects.filter(school=evaluation.school)
    form.fields["school_class"].choices = [("", "—"), *((c.pk, str(c)) for c in classes)]  # type: ignore[attr-defined]
    form.fields["party_branch"].choices = [("", "—"), *((b.pk, b.name) for b in branches)]  # type: ignore[attr-defined]
    return form


@login_required
def evaluation_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    return render(
        request,
        "evaluations/detail.html",
        {
            "school": evaluation.school,
            "evaluation": evaluation,
            "rubric": rubric,
            "rules": counting.rules_from_json(evaluation.rules),
            "subjects": evaluation.subjects.all(),
            "groups": evaluation.groups.select_related("school_class__grade", "party_branch"),
            "turnout": selectors.turnout(evaluation),
            "paper": services.paper_status(evaluation),
            "group_form": _group_form(evaluation),
            "codes_form": CodesForm(),
            "open_form": OpenVotingForm(),
            "can_manage": can_manage_evaluation(actor, evaluation.school),
            "can_supervise": can_supervise(actor, evaluation.school),
            "can_enter_paper": can_enter_paper(actor, evaluation.school),
            "visibility_choices": [
                (value, label)
                for value, label in Visibility.choices
                if value in allowed_visibilities(evaluation.subject_type)
            ],
        },
    )


@login_required
@require_POST
def set_visibility(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    form = VisibilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择结果查阅范围。"))
        return _back(evaluation)
    try:
        services.set_visibility(
            actor=actor, evaluation=evaluation, visibility=form.cleaned_data["visibility"]
        )
    except NotAllowed:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("结果查阅范围已保存。"))
    return _back(evaluation)


def _criterion_initial(rubric: counting.Rubric) -> list[dict[str, Any]]:
    names = {tuple(levels): key for key, (_label, levels) in rubrics.LEVEL_SCALES.items()}
    return [
        {
            "title": c.title,
            "description": c.description,
            "weight": str(c.weight),
            "scale": "points" if c.scale.kind == "points" else names.get(c.scale.levels, "good"),
            "low": c.scale.low,
            "high": c.scale.high,
        }
        for c in rubric.criteria
    ]


def _rubric_from_forms(name: str, forms: Any) -> dict[str, Any]:
    criteria: list[dict[str, Any]] = []
    for form in forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        if data["scale"] == "points":
            low, high = data["low"] or 0, data["high"] if data["high"] is not None else 100
            scale = rubrics.points(low, high)
        else:
            scale = rubrics.levels(data["scale"])
        criteria.append(
            {
                "key": f"c{len(criteria) + 1}",
                "title": data["title"],
                "description": data["description"],
                "weight": data["weight"],
                "scale": scale,
            }
        )
    return {"name": name, "criteria": criteria}


@login_required
def rubric_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Criteria, weights and scales of a draft; refused by the service once voting has opened."""
    evaluation, actor = _evaluation(request, code, pk)
    require(can_manage_evaluation(actor, evaluation.school), services.MANAGE_MESSAGE)
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    formset = CriterionFormSet(request.POST or None, initial=_criterion_initial(rubric))
    error = None
    if request.method == "POST" and formset.is_valid():
        try:
            services.update_rubric(
                actor=actor, evaluation=evaluation, rubric=_rubric_from_forms(rubric.name, formset.forms)
            )
        except NotAllowed:
            raise
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("评价标准已保存。"))
            return _back(evaluation)
    return render(
        request,
        "evaluations/rubric.html",
        {"school": evaluation.school, "evaluation": evaluation, "formset": formset, "error": error},
    )


def _remove(
    request: HttpRequest, evaluation: Evaluation, found: Any, missing: str, remove: Any
) -> HttpResponse:
    """Remove one subject or group of the evaluation; a refusal other than a missing right is shown."""
    if found is None:
        raise NotFound(missing)
    try:
        remove(found)
    except NotAllowed:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    return _back(evaluation)


@login_required
@require_POST
def subject_remove(request: HttpRequest, code: str, pk: int, subject_id: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    return _remove(
        request,
        evaluation,
        evaluation.subjects.filter(pk=subject_id).first(),
        _("没有这个评议对象。"),
        lambda subject: services.remove_subject(actor=actor, subject=subject),
    )


@login_required
@require_POST
def group_remove(request: HttpRequest, code: str, pk: int, group_id: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    return _remove(
        request,
        evaluation,
        evaluation.groups.filter(pk=group_id).first(),
        _("没有这个评议主体。"),
        lambda group: services.remove_group(actor=actor, group=group),
    )


@login_required
def turnout(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation, _actor = _evaluation(request, code, pk)
    return render(
        request,
        "evaluations/detail.html#turnout",
        {"evaluation": evaluation, "turnout": selectors.turnout(evaluation), "school": evaluation.school},
    )


@login_required
@require_POST
def subjects_from_roster(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    try:
        added = services.add_subjects(
            actor=actor, evaluation=evaluation, specs=services.roster_subjects(evaluation)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已从名册添加 %(n)d 个评议对象。") % {"n": len(added)})
    return _back(evaluation)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@login_required
def subjects_pick(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """选择评议对象: the roster narrowed by filters, with a box per row; the chosen are added at once."""
    evaluation, actor = _evaluation(request, code, pk)
    require(can_manage_evaluation(actor, evaluation.school), services.MANAGE_MESSAGE)
    if request.method == "POST":
        chosen = {i for i in (_int_or_none(v) for v in request.POST.getlist("object_ids")) if i is not None}
        specs = [spec for spec in services.roster_subjects(evaluation) if spec.object_id in chosen]
        if not specs:
            messages.error(request, _("请先勾选要添加的评议对象。"))
            return redirect(request.get_full_path())
        try:
            added = services.add_subjects(actor=actor, evaluation=evaluation, specs=specs)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已添加 %(n)d 个评议对象。") % {"n": len(added)})
        return _back(evaluation)
    g = request.GET
    f = selectors.CandidateFilter(
        q=g.get("q", "").strip()[:60],
        subject=g.get("subject", "")[:30],
        position=g.get("position", "").strip()[:60],
        party_only=bool(g.get("party")),
        grade_id=_int_or_none(g.get("grade")),
        class_id=_int_or_none(g.get("class")),
    )
    school = evaluation.school
    return render(
        request,
        "evaluations/subjects_pick.html",
        {
            "school": school,
            "evaluation": evaluation,
            "f": f,
            "candidates": selectors.roster_candidates(evaluation, f),
            "taught": selectors.taught_subjects(school),
            "grades": Grade.objects.filter(school=school).order_by("level"),
            "classes": SchoolClass.objects.filter(school=school).select_related("grade"),
        },
    )


@login_required
@require_POST
def subjects_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """移除所选: the ticked subjects go in one step."""
    evaluation, actor = _evaluation(request, code, pk)
    ids = [i for i in (_int_or_none(v) for v in request.POST.getlist("subject_ids")) if i is not None]
    try:
        removed = services.remove_subjects(actor=actor, evaluation=evaluation, subject_ids=ids)
    except NotAllowed:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已移除 %(n)d 个评议对象。") % {"n": removed})
    return _back(evaluation)


@login_required
@require_POST
def subject_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    spec = services.SubjectSpec(
        kind=evaluation.subject_type,
        object_id=None,
        name=request.POST.get("name", ""),
        has_project=bool(request.POST.get("has_project")),
    )
    try:
        services.add_subjects(actor=actor, evaluation=evaluation, specs=[spec])
    except ServiceError as exc:
        messages.error(request, exc.message)
    return _back(evaluation)


@login_required
@require_POST
def group_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    form = _group_form(evaluation, request.POST)
    if not form.is_valid():
        messages.error(request, _("请检查评议主体的填写。"))
        return _back(evaluation)
    data = form.cleaned_data
    try:
        services.add_group(
            actor=actor,
            evaluation=evaluation,
            kind=data["kind"],
            name=data["name"],
            source=data["source"],
            weight=data["weight"] if data["weight"] is not None else Decimal(1),
            role=data["role"] or "",
            school_class=SchoolClass.objects.filter(
                pk=data["school_class"], school=evaluation.school
            ).first(),
            party_branch=PartyBranch.objects.filter(
                pk=data["party_branch"], school=evaluation.school
            ).first(),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    return _back(evaluation)


@login_required
@require_POST
def codes_pdf(request: HttpRequest, code: str, pk: int, group_id: int) -> HttpResponse:
    """Make codes and hand back their slips at once: the plain codes exist only in this PDF."""
    evaluation, actor = _evaluation(request, code, pk)
    group = RaterGroup.objects.filter(pk=group_id, evaluation=evaluation).first()
    if group is None:
        raise NotFound(_("没有这个评议主体。"))
    form = CodesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("投票码数量须在 1–2000 之间。"))
        return _back(evaluation)
    try:
        codes = services.issue_codes(actor=actor, group=group, count=form.cleaned_data["count"])
    except (Invalid, NotAllowed, ServiceError) as exc:
        if isinstance(exc, NotAllowed):
            raise
        messages.error(request, exc.message)
        return _back(evaluation)
    pdf = documents.qr_slips_pdf(evaluation, group.name, codes)
    return _file(pdf, f"{evaluation.title}-{group.name}-投票码.pdf", "application/pdf")


def _transition(request: HttpRequest, code: str, pk: int, action: str, done: str) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    try:
        getattr(services, action)(actor=actor, evaluation=evaluation)
    except NotAllowed:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(evaluation)


def _on_form(form: Any, exc: ServiceError) -> bool:
    """Whether a refusal is about this form's fields (so the form is shown again with it)."""
    return isinstance(exc, Invalid) and bool(set(exc.errors) & set(form.fields))


@login_required
@require_http_methods(["GET", "POST"])
def open_voting(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """开始投票. With the supervision group's passphrase, the answer is the recovery code, shown once
    on a page of its own (never stored, never put in a message or the session)."""
    evaluation, actor = _evaluation(request, code, pk)
    require(can_manage_evaluation(actor, evaluation.school), services.MANAGE_MESSAGE)
    form = OpenVotingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        passphrase = form.cleaned_data["passphrase"]
        try:
            if passphrase:
                opening = services.open_voting_with_passphrase(
                    actor=actor, evaluation=evaluation, passphrase=passphrase
                )
            else:
                services.open_voting(actor=actor, evaluation=evaluation)
        except NotAllowed:
            raise
        except ServiceError as exc:
            if not _on_form(form, exc):
                messages.error(request, exc.message)
                return _back(evaluation)
            show_service_error(form, exc)
        else:
            if passphrase:
                return _recovery_code_page(request, opening)
            messages.success(request, _("已开始投票：评价标准和计票规则已冻结，投票名单已生成。"))
            return _back(evaluation)
    status = 422 if form.errors else 200
    context = {"school": evaluation.school, "evaluation": evaluation, "form": form}
    return render(request, "evaluations/open.html", context, status=status)


def _recovery_code_page(request: HttpRequest, opening: services.LockedOpening) -> HttpResponse:
    evaluation = opening.evaluation
    response = render(
        request,
        "evaluations/recovery_code.html",
        {
            "school": evaluation.school,
            "evaluation": evaluation,
            "recovery_code": opening.recovery_code,
            "opened_by": request.user,
            "opened_at": timezone.localtime(),
        },
    )
    add_never_cache_headers(response)  # no copy in the browser's cache or a proxy's
    return response


@login_required
@require_http_methods(["GET", "POST"])
def close_voting(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """截止投票; a vote locked with a passphrase asks for it, or for the recovery code."""
    evaluation, actor = _evaluation(request, code, pk)
    require(can_manage_evaluation(actor, evaluation.school), services.MANAGE_MESSAGE)
    form = CloseVotingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_voting(actor=actor, evaluation=evaluation, **form.cleaned_data)
        except NotAllowed:
            raise
        except ServiceError as exc:
            if not _on_form(form, exc):
                messages.error(request, exc.message)
                return _back(evaluation)
            show_service_error(form, exc)
        else:
            messages.success(request, _("投票已截止。"))
            return _back(evaluation)
    status = 422 if form.errors else 200
    context = {"school": evaluation.school, "evaluation": evaluation, "form": form}
    return render(request, "evaluations/close.html", context, status=status)


@login_required
@require_POST
def publish(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _transition(request, code, pk, "publish", _("计票结果已公布。"))
