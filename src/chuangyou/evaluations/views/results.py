"""After the close: the supervision group's page, the count anyone can check, the recount, the ballot
export, the result with its step-by-step explanation, and 对标定位."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.evaluations import documents, proof, selectors, services
from chuangyou.evaluations.explanation import benchmark_for, explain
from chuangyou.evaluations.models import (
    Evaluation,
    State,
)
from chuangyou.evaluations.rules import (
    can_read_evaluations,
    can_read_whole_result,
    can_supervise,
)
from chuangyou.evaluations.views.common import (
    _evaluation,
    _file,
)
from chuangyou.lib.errors import NotFound
from chuangyou.org.rules import Actor, require
from chuangyou.web import actor_of, school_by_code

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
    data = benchmark_for(actor, evaluation, str(subject_id), request.GET.get("vs"))
    return render(
        request,
        "evaluations/benchmark.html",
        {"school": evaluation.school, "evaluation": evaluation, "b": data, "subject_id": subject_id},
    )
