"""Evaluation pages: the office (build, open, turnout, paper ballots, close, publish), voting by
account, the supervision group's aggregates and recount, and the published result with 对标定位.

Writes go through `evaluations.services`, which check permissions themselves.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chuangyou.evaluations import counting, documents, proof, rubrics, selectors, services, uses
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
    Entitlement,
    Evaluation,
    PaperEntry,
    RaterGroup,
    State,
    Visibility,
    allowed_visibilities,
)
from chuangyou.evaluations.rules import (
    can_enter_paper,
    can_manage_evaluation,
    can_read_evaluations,
    can_read_whole_result,
    can_supervise,
)
from chuangyou.forms import show_service_error
from chuangyou.lib.errors import Invalid, NotAllowed, NotFound, ServiceError
from chuangyou.org.models import Grade, PartyBranch, SchoolClass
from chuangyou.org.rules import Actor, require
from chuangyou.web import actor_of, paginate, school_by_code


def _evaluation(request: HttpRequest, code: str, pk: int) -> tuple[Evaluation, Actor]:
    actor = actor_of(request)
    return selectors.evaluation_for(actor, school_by_code(code), pk), actor


def _back(evaluation: Evaluation, view: str = "detail") -> HttpResponse:
    return redirect(f"evaluations:{view}", code=evaluation.school.code, pk=evaluation.pk)


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


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


@login_required
@require_POST
def subject_remove(request: HttpRequest, code: str, pk: int, subject_id: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    subject = evaluation.subjects.filter(pk=subject_id).first()
    if subject is None:
        raise NotFound(_("没有这个评议对象。"))
    try:
        services.remove_subject(actor=actor, subject=subject)
    except NotAllowed:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    return _back(evaluation)


@login_required
@require_POST
def group_remove(request: HttpRequest, code: str, pk: int, group_id: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    group = evaluation.groups.filter(pk=group_id).first()
    if group is None:
        raise NotFound(_("没有这个评议主体。"))
    try:
        services.remove_group(actor=actor, group=group)
    except NotAllowed:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    return _back(evaluation)


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


# --- paper ballots ------------------------------------------------------------------------------


def _tallies_from_post(post: Any, evaluation: Evaluation, rubric: counting.Rubric) -> dict[str, Any]:
    """Level scales: one count per level; point scales: "分数:票数" pairs separated by commas."""
    tallies: dict[str, dict[str, dict[str, int]]] = {}
    for subject in evaluation.subjects.all():
        for c in rubric.criteria:
            counts: dict[str, int] = {}
            if c.scale.kind == "levels":
                for i, (label, _pts) in enumerate(c.scale.levels):
                    raw = (post.get(f"t-{subject.pk}-{c.key}-{i}") or "0").strip()
                    counts[label] = _int(raw)
            else:
                for pair in (post.get(f"t-{subject.pk}-{c.key}") or "").replace("，", ",").split(","):
                    if pair.strip():
                        value, _sep, times = pair.replace("：", ":").partition(":")
                        counts[value.strip()] = counts.get(value.strip(), 0) + _int(times or "1")
            tallies.setdefault(str(subject.pk), {})[c.key] = counts
    return tallies


def _int(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError as exc:
        raise Invalid(_("票数须为整数。")) from exc


@login_required
def paper(request: HttpRequest, code: str, pk: int, group_id: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    require(can_enter_paper(actor, evaluation.school), _("纸质票须由工作小组成员录入。"))
    group = RaterGroup.objects.filter(pk=group_id, evaluation=evaluation).first()
    if group is None:
        raise NotFound(_("没有这个评议主体。"))
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    error = None
    if request.method == "POST":
        try:
            services.enter_paper(
                actor=actor,
                group=group,
                issued=_int(request.POST.get("issued", "0")),
                returned=_int(request.POST.get("returned", "0")),
                void=_int(request.POST.get("void", "0")),
                blank=_int(request.POST.get("blank", "0")),
                tallies=_tallies_from_post(request.POST, evaluation, rubric),
            )
        except NotAllowed as exc:
            error = exc.message
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("纸质票已录入。"))
            return _back(evaluation)
    done = PaperEntry.objects.filter(group=group).count()
    return render(
        request,
        "evaluations/paper.html",
        {
            "school": evaluation.school,
            "evaluation": evaluation,
            "group": group,
            "rows": [
                {
                    "subject": subject,
                    "cells": [
                        {
                            "criterion": c,
                            "name": f"t-{subject.pk}-{c.key}",
                            "levels": [
                                (f"t-{subject.pk}-{c.key}-{i}", label)
                                for i, (label, _p) in enumerate(c.scale.levels)
                            ],
                        }
                        for c in rubric.criteria
                    ],
                }
                for subject in evaluation.subjects.all()
            ],
            "error": error,
            "next_round": done + 1,
        },
    )


@login_required
@require_POST
def paper_withdraw(request: HttpRequest, code: str, pk: int, entry_id: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    entry = evaluation.paper_entries.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("没有这次录入。"))
    try:
        services.withdraw_paper(actor=actor, entry=entry)
    except ServiceError as exc:
        if isinstance(exc, NotAllowed):
            raise
        messages.error(request, exc.message)
    return _back(evaluation)


# --- voting by account --------------------------------------------------------------------------


@login_required
def my_ballots(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    rows = selectors.entitlements_of(actor, school)
    results = selectors.results_readable_by(actor, school)
    return render(
        request,
        "evaluations/mine.html",
        {
            "school": school,
            "rows": rows,
            "mine_sections": uses.mine_sections(actor, school),
            "results": results,
        },
    )


def ballot_rows(evaluation: Evaluation, entitlement: Entitlement) -> tuple[counting.Rubric, list[Any]]:
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    subjects = list(evaluation.subjects.all())
    return rubric, services.allowed_subjects(entitlement, subjects)


def marks_from_post(post: Any, subjects: list[Any], rubric: counting.Rubric) -> dict[str, dict[str, str]]:
    return {str(s.pk): {c.key: post.get(f"m-{s.pk}-{c.key}", "") for c in rubric.criteria} for s in subjects}


def handle_ballot(
    request: HttpRequest,
    evaluation: Evaluation,
    entitlement: Entitlement,
    actor: Actor,
    *,
    code: str | None = None,
    submitted: bool | None = None,
) -> HttpResponse:
    """The ballot page, by account or by code. Nothing is saved until the voter submits (a POST, unless
    `submitted` says otherwise: the code page opens the ballot by POST too, so the code stays out of the
    address)."""
    rubric, subjects = ballot_rows(evaluation, entitlement)
    # 综合素质评价: the raters (teachers, by account) see each student's record beside each dimension.
    evidence = uses.evidence_for(evaluation, subjects) if code is None else {}
    error = None
    would_be_void = False
    marks: dict[str, dict[str, str]] = {}
    if request.method == "POST" if submitted is None else submitted:
        marks = marks_from_post(request.POST, subjects, rubric)
        try:
            receipt = services.cast_ballot(
                actor=actor,
                entitlement=entitlement,
                marks=marks,
                code=code,
                address=_address(request) if code else None,
                accept_void=request.POST.get("accept_void") == "1",
            )
        except services.WouldBeVoid as exc:
            error, would_be_void = exc.message, True
        except NotAllowed as exc:
            error = exc.message
        except ServiceError as exc:
            error = exc.message
            if getattr(exc, "status_code", 0) == 409:
                return render(
                    request,
                    "evaluations/ballot_done.html",
                    {"evaluation": evaluation, "school": evaluation.school, "error": error},
                    status=409,
                )
        else:
            return render(
                request,
                "evaluations/ballot_done.html",
                {
                    "evaluation": evaluation,
                    "school": evaluation.school,
                    "receipt": services.format_receipt(receipt),
                },
            )
    elif entitlement.has_voted:
        return render(
            request,
            "evaluations/ballot_done.html",
            {
                "evaluation": evaluation,
                "school": evaluation.school,
                "error": _("您已经投过票了，每人只能投一次。"),
            },
            status=409,
        )
    return render(
        request,
        "evaluations/ballot.html",
        {
            "evaluation": evaluation,
            "school": evaluation.school,
            "group": entitlement.group,
            "rows": [
                {
                    "subject": subject,
                    "cells": [
                        {
                            "name": f"m-{subject.pk}-{c.key}",
                            "criterion": c,
                            "choices": [label for label, _pts in c.scale.levels],
                            "value": marks.get(str(subject.pk), {}).get(c.key, ""),
                            "evidence": evidence.get(subject.pk, {}).get(c.key),
                        }
                        for c in rubric.criteria
                    ],
                }
                for subject in subjects
            ],
            "error": error,
            "would_be_void": would_be_void,
            "in_window": evaluation.in_window(),
            "ballot_code": code,
        },
    )


def _address(request: HttpRequest) -> str:
    from chuangyou.web import client_ip

    return client_ip(request)


@login_required
def vote(request: HttpRequest, code: str, pk: int, group_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    entitlement = (
        Entitlement.objects.select_related("evaluation__school", "group")
        .filter(evaluation_id=pk, group_id=group_id, user=actor.user, school=school)
        .first()
    )
    if entitlement is None:
        raise NotAllowed(_("您不在这项评议的投票名单中。"))
    return handle_ballot(request, entitlement.evaluation, entitlement, actor)


# --- after the close ----------------------------------------------------------------------------


@login_required
def supervise(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    require(can_supervise(actor, evaluation.school), services.SUPERVISE_MESSAGE)
    if evaluation.state not in (State.CLOSED, State.PUBLISHED):
        raise NotFound(_("投票截止后，监督小组才能查看全部计票数据。"))
    result = evaluation.result or services.compute_result(evaluation)
    return render(
        request,
        "evaluations/supervise.html",
        {
            "school": evaluation.school,
            "evaluation": evaluation,
            "view": explain(evaluation, result),
            "flags": selectors.reliability_flags(actor, evaluation),
            "recount": None,
            **_count_check(actor, evaluation),
        },
    )


def _count_check(actor: Actor, evaluation: Evaluation) -> dict[str, Any]:
    """The 核查计票 section for a signed-in page: only once published, and only for whole-result readers."""
    if evaluation.state != State.PUBLISHED or not can_read_whole_result(actor, evaluation):
        return {}
    return {
        "files": selectors.count_files(actor, evaluation),
        "file_urls": count_file_urls(evaluation),
        "file_names": count_file_names(evaluation),
    }


def count_file_urls(evaluation: Evaluation, *, public: bool = False) -> dict[str, str]:
    namespace = "evaluations_public" if public else "evaluations"
    return {
        kind: reverse(f"{namespace}:{kind}", args=[evaluation.school.code, evaluation.pk])
        for kind in proof.FILE_KINDS
    }


def count_file_names(evaluation: Evaluation) -> dict[str, str]:
    return {kind: proof.file_name(evaluation, kind) for kind in proof.FILE_KINDS}


def count_file_response(evaluation: Evaluation, files: proof.CountFiles, kind: str) -> HttpResponse:
    return _file(files.content(kind), proof.file_name(evaluation, kind), proof.FILE_KINDS[kind][1])


@login_required
def count_file(request: HttpRequest, code: str, pk: int, kind: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    evaluation = selectors.public_evaluation(school, pk)
    return count_file_response(evaluation, selectors.count_files(actor, evaluation), kind)


@login_required
@require_POST
def recount(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    outcome = services.recount(actor=actor, evaluation=evaluation)
    return render(
        request,
        "evaluations/supervise.html",
        {
            "school": evaluation.school,
            "evaluation": evaluation,
            "view": explain(evaluation, outcome.result),
            "flags": selectors.reliability_flags(actor, evaluation),
            "recount": outcome,
        },
    )


@login_required
def ballots_xlsx(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    ballots = selectors.ballot_table(actor, evaluation)
    content = documents.ballot_table_xlsx(evaluation, evaluation.subjects.all(), ballots.iterator())
    return _file(
        content,
        f"{evaluation.title}-选票明细.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def explain(evaluation: Evaluation, result: dict[str, Any]) -> dict[str, Any]:
    """The result with names attached, for the step-by-step explanation."""
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    titles = {c.key: c.title for c in rubric.criteria}
    group_names = {g["key"]: g["name"] for g in result["groups"]}
    subjects = []
    for s in result["subjects"]:
        parts = []
        for part in s["groups"]:
            parts.append(
                part
                | {
                    "name": group_names.get(part["group"], ""),
                    "criteria": [c | {"title": titles.get(c["key"], c["key"])} for c in part["criteria"]],
                }
            )
        subjects.append(s | {"groups": parts})
    return {
        "groups": result["groups"],
        "subjects": subjects,
        "max_total": result["max_total"],
        "satisfaction_floor": result.get("satisfaction_floor"),
        "rules": counting.rules_from_json(evaluation.rules),
        "criteria": rubric.criteria,
    }


def criterion_profile(result: dict[str, Any], subject_key: str) -> dict[str, Fraction]:
    """A subject's score per criterion: the group-weighted mean over the groups that counted."""
    weights = {g["key"]: Fraction(g["weight"]) for g in result["groups"]}
    subject = next(s for s in result["subjects"] if s["key"] == subject_key)
    sums: dict[str, Fraction] = {}
    total_weight: dict[str, Fraction] = {}
    for part in subject["groups"]:
        if not part["counted"]:
            continue
        for c in part["criteria"]:
            if c["used"] is not None:
                w = weights[part["group"]]
                sums[c["key"]] = sums.get(c["key"], Fraction(0)) + w * Fraction(c["used"])
                total_weight[c["key"]] = total_weight.get(c["key"], Fraction(0)) + w
    return {k: sums[k] / total_weight[k] for k in sums if total_weight[k]}


def benchmark_rows(
    evaluation: Evaluation, result: dict[str, Any], subject_key: str, exemplar_key: str | None
) -> dict[str, Any]:
    ranked = [s for s in result["subjects"] if s["rank"] is not None]
    keys = {s["key"] for s in result["subjects"]}
    if subject_key not in keys:
        raise NotFound(_("没有这个评议对象。"))
    exemplar: str = subject_key
    if exemplar_key in keys:
        exemplar = str(exemplar_key)
    elif ranked:
        exemplar = ranked[0]["key"]
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    mine, best = criterion_profile(result, subject_key), criterion_profile(result, exemplar)
    rows = []
    for c in rubric.criteria:
        a, b = mine.get(c.key), best.get(c.key)
        gap = b - a if a is not None and b is not None else None
        rows.append(
            {"title": c.title, "mine": counting.fmt(a), "best": counting.fmt(b), "gap": counting.fmt(gap)}
        )
    names = {s["key"]: s["name"] for s in result["subjects"]}
    return {
        "subject": names[subject_key],
        "exemplar": names[exemplar],
        "exemplar_key": exemplar,
        "rows": rows,
        "gaps": sorted(
            (r for r in rows if r["gap"] and Decimal(r["gap"]) > 0), key=lambda r: -Decimal(r["gap"])
        ),
        "choices": [(s["key"], s["name"]) for s in result["subjects"]],
    }


def result_page(
    request: HttpRequest,
    evaluation: Evaluation,
    *,
    public: bool,
    rows: list[dict[str, Any]] | None = None,
    nav: bool = False,
    files: proof.CountFiles | None = None,
) -> HttpResponse:
    """The published result. `rows` narrows it to the subjects this person may read (本人); the
    public page never ranks people, so it shows no 名次."""
    if evaluation.state != State.PUBLISHED or evaluation.result is None:
        raise NotFound(_("评议结果尚未公布。"))
    result = evaluation.result
    partial = rows is not None and len(rows) < len(result["subjects"])
    if partial:
        result = {**result, "subjects": rows}
    return render(
        request,
        "evaluations/result.html",
        {
            "school": evaluation.school,
            "evaluation": evaluation,
            "view": explain(evaluation, result),
            "public": public,
            "partial": partial,
            "nav": nav,
            "files": files,
            "file_urls": count_file_urls(evaluation, public=public) if files else {},
            "file_names": count_file_names(evaluation),
        },
    )


@login_required
def result(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Not only for those who run evaluations: with visibility 全校教职工 or 本人, teachers read it too."""
    school, actor = school_by_code(code), actor_of(request)
    evaluation = selectors.public_evaluation(school, pk)
    rows = selectors.result_rows_for(actor, evaluation)
    files = selectors.count_files(actor, evaluation) if can_read_whole_result(actor, evaluation) else None
    return result_page(
        request, evaluation, public=False, rows=rows, nav=can_read_evaluations(actor, school), files=files
    )


@login_required
def benchmark(request: HttpRequest, code: str, pk: int, subject_id: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    if evaluation.state != State.PUBLISHED or evaluation.result is None:
        raise NotFound(_("评议结果公布后才能对标定位。"))
    require(
        can_read_whole_result(actor, evaluation),
        _("这项评议的结果只向%(who)s公布。") % {"who": evaluation.get_visibility_display()},
    )
    data = benchmark_rows(evaluation, evaluation.result, str(subject_id), request.GET.get("vs"))
    return render(
        request,
        "evaluations/benchmark.html",
        {"school": evaluation.school, "evaluation": evaluation, "b": data, "subject_id": subject_id},
    )
