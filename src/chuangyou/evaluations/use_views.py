"""Pages of the uses built on the engine: the 创新项目 panel review and its funding decision, 评诺 with
each item's result, the one-click 民主测评 presets, and 综合素质评价 with the student's 写实记录.

Writes go through `evaluations.services`, which check permissions themselves.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import selectors as commitment_selectors
from chuangyou.evaluations import counting, selectors, services
from chuangyou.evaluations.forms import (
    CommitmentAppraisalForm,
    DecisionReasonForm,
    PortfolioSignForm,
    ProjectDecisionForm,
    ProjectReviewForm,
    QualityForm,
)
from chuangyou.evaluations.models import Evaluation, Portfolio, Use
from chuangyou.evaluations.rubrics import DIMENSION_SECTIONS
from chuangyou.evaluations.rules import can_manage_evaluation
from chuangyou.evaluations.views import _evaluation
from chuangyou.lib.errors import NotAllowed, NotFound, ServiceError
from chuangyou.org.models import PartyBranch, SchoolClass, Staff
from chuangyou.org.rules import require
from chuangyou.projects.models import Call
from chuangyou.web import actor_of, school_by_code


def _window() -> dict[str, dt.datetime]:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {"opens_at": now, "closes_at": now + dt.timedelta(days=3)}


def _detail(evaluation: Evaluation) -> HttpResponse:
    return redirect("evaluations:detail", code=evaluation.school.code, pk=evaluation.pk)


def _build_page(
    request: HttpRequest, code: str, form_class: type[Any], choices: dict[str, Any], build: Any, title: str
) -> HttpResponse:
    """A form page whose valid POST builds an evaluation through `build(actor, school, data)`."""
    school, actor = school_by_code(code), actor_of(request)
    require(can_manage_evaluation(actor, school), services.MANAGE_MESSAGE)
    form = form_class(request.POST or None, initial=_window())
    for name, options in choices.items():
        form.fields[name].choices = options
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = build(actor, school, form.cleaned_data)
        except NotAllowed:
            raise
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("评议已建立。请核对评议对象、评议主体和计票规则后开始投票。"))
            return _detail(evaluation)
    return render(request, "evaluations/use_form.html", {"school": school, "form": form, "title": title})


@login_required
@require_POST
def preset(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """One click: 师德标兵 民主测评 of every teacher, or 五星级 创评 of every branch."""
    school, actor = school_by_code(code), actor_of(request)
    build = {"teacher_merit": services.create_teacher_merit, "five_star": services.create_five_star}.get(kind)
    if build is None:
        raise NotFound(_("没有这个现成评议。"))
    try:
        evaluation = build(actor=actor, school=school, **_window())
    except NotAllowed:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("evaluations:list", code=school.code)
    messages.success(request, _("评议已建立。请核对评议对象、评议主体和计票规则后开始投票。"))
    return _detail(evaluation)


# --- 创新项目 ----------------------------------------------------------------------------------


@login_required
def project_review_new(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    calls = Call.objects.filter(school=school, review_opened_at__isnull=False).order_by("-opens_on")
    return _build_page(
        request,
        code,
        ProjectReviewForm,
        {"call": [(c.pk, c.title) for c in calls]},
        lambda actor, school, d: services.create_project_review(
            actor=actor,
            call=Call.objects.select_related("school").get(pk=d["call"], school=school),
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
        ),
        _("创新项目评审评分"),
    )


@login_required
def project_outcome(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The published ranking with funding prefilled; the working group confirms or changes it."""
    evaluation, actor = _evaluation(request, code, pk)
    require(can_manage_evaluation(actor, evaluation.school), services.MANAGE_MESSAGE)
    if evaluation.use != Use.PROJECT_REVIEW:
        raise NotFound(_("这项评议不是创新项目评审。"))
    lines = services.project_outcomes(evaluation)
    data = request.POST if request.method == "POST" else None
    rows = [
        (
            line,
            ProjectDecisionForm(
                data,
                prefix=f"p{line.proposal.pk}",
                initial={"funded": line.suggest_funded, "amount": line.suggest_amount},
            ),
        )
        for line in lines
        if line.proposal.status == "under_review"
    ]
    reason = DecisionReasonForm(data)
    if data is not None and reason.is_valid() and all(f.is_valid() for _line, f in rows):
        decisions = [
            services.ProjectDecision(line.proposal.pk, f.cleaned_data["funded"], f.cleaned_data["amount"])
            for line, f in rows
        ]
        try:
            services.record_project_outcomes(
                actor=actor, evaluation=evaluation, decisions=decisions, reason=reason.cleaned_data["reason"]
            )
        except NotAllowed:
            raise
        except ServiceError as exc:
            reason.add_error(None, exc.message)
        else:
            messages.success(request, _("评审结果和资助决定已记入创新项目。"))
            return redirect("evaluations:project_outcome", code=evaluation.school.code, pk=evaluation.pk)
    return render(
        request,
        "evaluations/project_outcome.html",
        {
            "school": evaluation.school,
            "evaluation": evaluation,
            "lines": lines,
            "rows": rows,
            "reason": reason,
        },
    )


# --- 评诺 --------------------------------------------------------------------------------------


@login_required
def commitment_appraisal_new(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    campaigns = Campaign.objects.filter(school=school).order_by("-year")
    branches = PartyBranch.objects.filter(school=school).order_by("name")
    return _build_page(
        request,
        code,
        CommitmentAppraisalForm,
        {
            "campaign": [(c.pk, f"{c.year} {c.title}") for c in campaigns],
            "branch": [(b.pk, b.name) for b in branches],
        },
        lambda actor, school, d: services.create_commitment_appraisal(
            actor=actor,
            campaign=Campaign.objects.select_related("school").get(pk=d["campaign"], school=school),
            branch=PartyBranch.objects.get(pk=d["branch"], school=school),
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
            members_weight=d["members_weight"],
            public_weight=d["public_weight"],
            organization_weight=d["organization_weight"],
        ),
        _("评诺（党员评、群众评、组织评）"),
    )


@login_required
def commitment_items(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Each commitment item with its fulfilment and, once published, its appraisal beside it."""
    evaluation, _actor = _evaluation(request, code, pk)
    if evaluation.use != Use.COMMITMENTS:
        raise NotFound(_("这项评议不是评诺。"))
    campaign = Campaign.objects.get(pk=evaluation.use_object_id or 0)
    results = selectors.results_by_object(evaluation)
    rows = [(item, results.get(item.item_id)) for item in commitment_selectors.ballot_subjects(campaign)]
    return render(
        request,
        "evaluations/commitment_items.html",
        {"school": evaluation.school, "evaluation": evaluation, "rows": rows},
    )


# --- 综合素质评价 -------------------------------------------------------------------------------


@login_required
def quality_new(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    classes = SchoolClass.objects.filter(school=school).select_related("grade")
    staff = Staff.objects.filter(school=school, user__isnull=False).order_by("name")
    return _build_page(
        request,
        code,
        QualityForm,
        {
            "school_class": [(c.pk, str(c)) for c in classes],
            "teachers": [(s.pk, s.name) for s in staff],
        },
        lambda actor, school, d: services.create_quality_evaluation(
            actor=actor,
            school_class=SchoolClass.objects.select_related("school", "grade").get(
                pk=d["school_class"], school=school
            ),
            term=d["term"],
            teachers=list(Staff.objects.filter(pk__in=d["teachers"], school=school)),
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
        ),
        _("综合素质评价（班级、学期）"),
    )


@login_required
def portfolio(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The student's own 写实记录: per dimension, their words and the record lines they select; then
    they sign. Only the student reaches this page (a teacher may not write it for them)."""
    school, actor = school_by_code(code), actor_of(request)
    found = (
        Portfolio.objects.select_related("evaluation__school", "student")
        .filter(evaluation_id=pk, school=school, student_id=actor.own_student_id or 0)
        .first()
    )
    if found is None:
        raise NotAllowed(_("写实记录须由学生本人填写和签名，老师和家长不能代写。"))
    rubric = counting.rubric_from_json(found.evaluation.rubric_in_force)
    sections = selectors.student_lines(found.student_id)
    sign_form = PortfolioSignForm(request.POST if request.POST.get("action") == "sign" else None)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "sign":
                if sign_form.is_valid():
                    services.sign_portfolio(
                        actor=actor, portfolio=found, signature=sign_form.cleaned_data["signature"]
                    )
                    messages.success(request, _("已签名确认，写实记录不能再修改。"))
                    return redirect("evaluations:portfolio", code=school.code, pk=pk)
            else:
                entries = {
                    c.key: {
                        "text": request.POST.get(f"text-{c.key}", ""),
                        "lines": request.POST.getlist(f"lines-{c.key}"),
                    }
                    for c in rubric.criteria
                }
                services.write_portfolio(actor=actor, portfolio=found, entries=entries)
                messages.success(request, _("写实记录已保存。"))
                return redirect("evaluations:portfolio", code=school.code, pk=pk)
        except NotAllowed:
            raise
        except ServiceError as exc:
            error = exc.message
    dimensions = []
    for c in rubric.criteria:
        entry = found.entries.get(c.key, {})
        lines = [line for name in DIMENSION_SECTIONS.get(c.title, ()) for line in sections.get(name, [])]
        dimensions.append(
            {
                "criterion": c,
                "text": entry.get("text", ""),
                "lines": [
                    (selectors.line_key(line), line, selectors.line_key(line) in entry.get("lines", []))
                    for line in lines
                ],
            }
        )
    return render(
        request,
        "evaluations/portfolio.html",
        {
            "school": school,
            "portfolio": found,
            "evaluation": found.evaluation,
            "dimensions": dimensions,
            "sign_form": sign_form,
            "error": error,
        },
    )
