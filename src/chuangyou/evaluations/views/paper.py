"""Paper ballots: each group's totals entered twice, by two people, and withdrawn."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.evaluations import counting, services
from chuangyou.evaluations.models import (
    Evaluation,
    PaperEntry,
    RaterGroup,
)
from chuangyou.evaluations.rules import (
    can_enter_paper,
)
from chuangyou.evaluations.views.common import (
    _back,
    _evaluation,
)
from chuangyou.lib.errors import Invalid, NotAllowed, NotFound, ServiceError
from chuangyou.org.rules import require

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
