"""Pages of the 创新项目 panel review on the evaluation engine: build it for a call, then confirm the
funding that the published ranking suggests (written back through `projects.review`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chuangyou.evaluations import selectors as evaluation_selectors
from chuangyou.evaluations import services as engine
from chuangyou.evaluations.models import Use
from chuangyou.evaluations.rules import can_manage_evaluation
from chuangyou.evaluations.use_views import build_page
from chuangyou.lib.errors import NotAllowed, NotFound, ServiceError
from chuangyou.org.rules import require
from chuangyou.projects import review
from chuangyou.projects.forms import DecisionReasonForm, ProjectDecisionForm, ProjectReviewForm
from chuangyou.projects.models import Call
from chuangyou.web import actor_of, school_by_code


@login_required
def project_review_new(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    calls = Call.objects.filter(school=school, review_opened_at__isnull=False).order_by("-opens_on")
    return build_page(
        request,
        code,
        ProjectReviewForm,
        {"call": [(c.pk, c.title) for c in calls]},
        lambda actor, school, d: review.create_project_review(
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
    actor = actor_of(request)
    evaluation = evaluation_selectors.evaluation_for(actor, school_by_code(code), pk)
    require(can_manage_evaluation(actor, evaluation.school), engine.MANAGE_MESSAGE)
    if evaluation.use != Use.PROJECT_REVIEW:
        raise NotFound(_("这项评议不是创新项目评审。"))
    lines = review.project_outcomes(evaluation)
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
            review.ProjectDecision(line.proposal.pk, f.cleaned_data["funded"], f.cleaned_data["amount"])
            for line, f in rows
        ]
        try:
            review.record_project_outcomes(
                actor=actor, evaluation=evaluation, decisions=decisions, reason=reason.cleaned_data["reason"]
            )
        except NotAllowed:
            raise
        except ServiceError as exc:
            reason.add_error(None, exc.message)
        else:
            messages.success(request, _("评审结果和资助决定已记入创新项目。"))
            return redirect("projects:review_outcome", code=evaluation.school.code, pk=evaluation.pk)
    return render(
        request,
        "projects/review_outcome.html",
        {
            "school": evaluation.school,
            "evaluation": evaluation,
            "lines": lines,
            "rows": rows,
            "reason": reason,
        },
    )
