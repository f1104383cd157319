"""What the pages of the uses built on the engine share: the one-step build form (`build_page`) and
the one-click 民主测评 presets (师德标兵, 五星级党支部). The uses' own pages live in their apps:
`projects/review_views.py`, `commitments/appraisal_views.py`, `records/quality_views.py`.
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

from chuangyou.evaluations import presets, services
from chuangyou.evaluations.models import Evaluation
from chuangyou.evaluations.rules import can_manage_evaluation
from chuangyou.lib.errors import NotAllowed, NotFound, ServiceError
from chuangyou.org.rules import require
from chuangyou.web import actor_of, school_by_code


def window() -> dict[str, dt.datetime]:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {"opens_at": now, "closes_at": now + dt.timedelta(days=3)}


def to_detail(evaluation: Evaluation) -> HttpResponse:
    return redirect("evaluations:detail", code=evaluation.school.code, pk=evaluation.pk)


def build_page(
    request: HttpRequest, code: str, form_class: type[Any], choices: dict[str, Any], build: Any, title: str
) -> HttpResponse:
    """A form page whose valid POST builds an evaluation through `build(actor, school, data)`."""
    school, actor = school_by_code(code), actor_of(request)
    require(can_manage_evaluation(actor, school), services.MANAGE_MESSAGE)
    form = form_class(request.POST or None, initial=window())
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
            return to_detail(evaluation)
    return render(request, "evaluations/use_form.html", {"school": school, "form": form, "title": title})


@login_required
@require_POST
def preset(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """One click: 师德标兵 民主测评 of every teacher, or 五星级 创评 of every branch."""
    school, actor = school_by_code(code), actor_of(request)
    build = {"teacher_merit": presets.create_teacher_merit, "five_star": presets.create_five_star}.get(kind)
    if build is None:
        raise NotFound(_("没有这个现成评议。"))
    try:
        evaluation = build(actor=actor, school=school, **window())
    except NotAllowed:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("evaluations:list", code=school.code)
    messages.success(request, _("评议已建立。请核对评议对象、评议主体和计票规则后开始投票。"))
    return to_detail(evaluation)
