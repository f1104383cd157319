"""Voting by account: 我的评议投票 and the ballot page (shared with voting by code)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from chuangyou.evaluations import counting, selectors, services, uses
from chuangyou.evaluations.models import (
    Entitlement,
    Evaluation,
)
from chuangyou.lib.errors import NotAllowed, ServiceError
from chuangyou.org.rules import Actor
from chuangyou.web import actor_of, school_by_code

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


def _done(request: HttpRequest, evaluation: Evaluation, *, status: int = 200, **context: Any) -> HttpResponse:
    """The page after a ballot: its receipt, or why it was not taken."""
    context |= {"evaluation": evaluation, "school": evaluation.school}
    return render(request, "evaluations/ballot_done.html", context, status=status)


def _ballot_rows(
    subjects: list[Any], rubric: counting.Rubric, marks: dict[str, dict[str, str]], evidence: dict[int, Any]
) -> list[dict[str, Any]]:
    """One row per subject, one cell per criterion, with what the voter marked and what raters see."""
    return [
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
    ]


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
                return _done(request, evaluation, status=409, error=error)
        else:
            return _done(request, evaluation, receipt=services.format_receipt(receipt))
    elif entitlement.has_voted:
        return _done(request, evaluation, status=409, error=_("您已经投过票了，每人只能投一次。"))
    return render(
        request,
        "evaluations/ballot.html",
        {
            "evaluation": evaluation,
            "school": evaluation.school,
            "group": entitlement.group,
            "rows": _ballot_rows(subjects, rubric, marks, evidence),
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
