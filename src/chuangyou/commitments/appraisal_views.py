"""Pages of 评诺 on the evaluation engine: build it for a campaign, and each commitment item with its
fulfilment and, once published, its appraisal beside it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import appraisal
from chuangyou.commitments.forms import CommitmentAppraisalForm
from chuangyou.commitments.selectors import ballot_subjects
from chuangyou.evaluations import selectors as evaluation_selectors
from chuangyou.evaluations.models import Use
from chuangyou.evaluations.use_views import build_page
from chuangyou.lib.errors import NotFound
from chuangyou.org.models import PartyBranch
from chuangyou.web import actor_of, school_by_code


@login_required
def commitment_appraisal_new(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    campaigns = Campaign.objects.filter(school=school).order_by("-year")
    branches = PartyBranch.objects.filter(school=school).order_by("name")
    return build_page(
        request,
        code,
        CommitmentAppraisalForm,
        {
            "campaign": [(c.pk, f"{c.year} {c.title}") for c in campaigns],
            "branch": [(b.pk, b.name) for b in branches],
        },
        lambda actor, school, d: appraisal.create_commitment_appraisal(
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
    evaluation = evaluation_selectors.evaluation_for(actor_of(request), school_by_code(code), pk)
    if evaluation.use != Use.COMMITMENTS:
        raise NotFound(_("这项评议不是评诺。"))
    campaign = Campaign.objects.get(pk=evaluation.use_object_id or 0)
    results = evaluation_selectors.results_by_object(evaluation)
    rows = [(item, results.get(item.item_id)) for item in ballot_subjects(campaign)]
    return render(
        request,
        "commitments/appraisal_items.html",
        {"school": evaluation.school, "evaluation": evaluation, "rows": rows},
    )
