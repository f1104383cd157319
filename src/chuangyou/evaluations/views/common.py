"""What the evaluation pages share: finding the evaluation in the actor's school, going back to it,
and file downloads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from chuangyou.evaluations import selectors
from chuangyou.evaluations.models import (
    Evaluation,
)
from chuangyou.org.rules import Actor
from chuangyou.web import actor_of, school_by_code


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
