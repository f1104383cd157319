"""Book pages: my recommendations and awards, recommending, teachers' ratings, the monthly pick, and
the school's list of past winners. Every write goes through `books.services`, which checks rights."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.books import selectors, services
from chuangyou.books.forms import BookSettingsForm, PickForm, RecommendForm
from chuangyou.books.models import REVIEW_MAX_CHARS, MonthlyPick, Recommendation
from chuangyou.books.rules import can_pick, can_rate, can_see_winners
from chuangyou.forms import show_service_error
from chuangyou.lib.errors import Invalid, NotAllowed, ServiceError
from chuangyou.org.models import School, SchoolClass, Student
from chuangyou.org.rules import Actor, require
from chuangyou.web import actor_of, paginate, school_by_code


def _school(request: HttpRequest, code: str) -> tuple[School, Actor]:
    return school_by_code(code), actor_of(request)


def _tabs(actor: Actor, school: School) -> dict[str, bool]:
    return {"can_rate": can_rate(actor, school), "can_pick": can_pick(actor, school)}


def _month(request: HttpRequest) -> dt.date:
    text = request.GET.get("month", "")
    try:
        return selectors.parse_month(text) if text else selectors.month_of(timezone.localdate())
    except Invalid:
        return selectors.month_of(timezone.localdate())


@login_required
def home(request: HttpRequest, code: str) -> HttpResponse:
    """A student's (or a parent's children's) recommendations and awards; links for teachers and the group."""
    school, actor = _school(request, code)
    require(can_see_winners(actor, school), selectors.WINNERS_MESSAGE)
    own_ids = set(actor.child_student_ids)
    if actor.own_student_id is not None:
        own_ids.add(actor.own_student_id)
    mine = (
        selectors.recommendations_visible_to(actor, school)
        .filter(student_id__in=own_ids)
        .order_by("-created_at")
    )
    return render(
        request,
        "books/home.html",
        {
            "school": school,
            "page": paginate(request, mine, per_page=20),
            "is_student": Student.objects.filter(pk=actor.own_student_id or 0, school=school).exists(),
            **_tabs(actor, school),
        },
    )


@login_required
def recommend(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    require(
        Student.objects.filter(pk=actor.own_student_id or 0, school=school).exists(),
        services.RECOMMEND_MESSAGE,
    )
    form = RecommendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            r = services.recommend(actor=actor, school=school, **form.cleaned_data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("已推荐《%(title)s》，老师们会为它评分。") % {"title": r.title})
            return redirect("books:home", code=code)
    return render(
        request, "books/recommend.html", {"school": school, "form": form, "max_chars": REVIEW_MAX_CHARS}
    )


def _rate_context(school: School, actor: Actor, **extra: Any) -> dict[str, Any]:
    return {"school": school, "stars_range": range(1, 6), **_tabs(actor, school), **extra}


@login_required
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """The month's recommendations for teachers to rate, filterable by class."""
    school, actor = _school(request, code)
    require(can_rate(actor, school), services.RATE_MESSAGE)
    month = _month(request)
    rows = selectors.recommendations_visible_to(actor, school).filter(month=month)
    class_text = request.GET.get("class", "")
    class_id = int(class_text) if class_text.isdigit() else None
    if class_id is not None:
        rows = rows.filter(school_class_id=class_id)
    rater = selectors.staff_of(actor, school)
    page = paginate(request, selectors.with_scores(rows, rater=rater).order_by("created_at", "pk"))
    context = _rate_context(
        school,
        actor,
        page=page,
        month=month,
        class_id=class_id,
        classes=SchoolClass.objects.filter(school=school).select_related("grade"),
        locked=selectors.is_picked(school, month),
    )
    if request.headers.get("HX-Request"):
        return render(request, "books/rate.html#rows", context)
    return render(request, "books/rate.html", context)


@login_required
@require_POST
def rate_one(request: HttpRequest, code: str, recommendation_id: int) -> HttpResponse:
    school, actor = _school(request, code)
    recommendation = selectors.recommendation_for(actor, school, recommendation_id)
    error = ""
    try:
        stars = int(request.POST.get("stars", "0"))
        services.rate(actor=actor, recommendation=recommendation, stars=stars)
    except ValueError:
        error = _("评分须为 1 至 5 星。")
    except ServiceError as exc:
        if isinstance(exc, NotAllowed):
            raise
        error = exc.message
    if request.headers.get("HX-Request"):
        row = selectors.with_scores(
            Recommendation.objects.filter(pk=recommendation.pk).select_related(
                "student", "school_class__grade"
            ),
            rater=selectors.staff_of(actor, school),
        ).get()
        context = _rate_context(school, actor, r=row, row_error=error, locked=False)
        return render(request, "books/rate.html#row", context)
    if error:
        messages.error(request, error)
    return redirect(reverse("books:rate", args=[code]) + f"?month={recommendation.month:%Y-%m}")


def _pick_params(request: HttpRequest, school: School) -> tuple[int, bool]:
    defaults = selectors.settings_for(school)
    count_text = request.GET.get("count", "")
    count = int(count_text) if count_text.isdigit() and 1 <= int(count_text) <= services.MAX_WINNERS else None
    one = request.GET.get("one_per_class")
    return (
        count or defaults.winners_per_month,
        defaults.one_per_class if one is None else one == "1",
    )


@login_required
def pick(request: HttpRequest, code: str) -> HttpResponse:
    """The month's candidates with the system's shortlist pre-ranked; the group ranks and confirms."""
    school, actor = _school(request, code)
    require(can_pick(actor, school), services.PICK_MESSAGE)
    month = _month(request)
    count, one_per_class = _pick_params(request, school)
    candidates = selectors.candidates(school, month)
    proposal = selectors.shortlist(school, month, count=count, one_per_class=one_per_class)
    ranks = {c.recommendation.pk: i for i, c in enumerate(proposal, start=1)}
    form = PickForm(request.POST or None, initial={"winners_count": count, "one_per_class": one_per_class})
    existing = MonthlyPick.objects.filter(school=school, month=month).first()
    defaults = selectors.settings_for(school)
    if request.method == "POST":
        ranks = {
            c.recommendation.pk: int(v)
            for c in candidates
            if (v := request.POST.get(f"rank_{c.recommendation.pk}", "").strip()).isdigit()
        }
        if form.is_valid():
            ordered = sorted(ranks, key=lambda pk: (ranks[pk], pk))
            try:
                services.pick_month(
                    actor=actor,
                    school=school,
                    month=month,
                    recommendation_ids=ordered,
                    winners_count=form.cleaned_data["winners_count"],
                    one_per_class=form.cleaned_data["one_per_class"],
                    reason=form.cleaned_data["reason"],
                )
            except ServiceError as exc:
                show_service_error(form, exc)
            else:
                messages.success(
                    request, _("%(month)s的好书推荐奖已评定。") % {"month": format(month, _("%Y年%m月"))}
                )
                return redirect("books:winners", code=code)
    shortlisted = {p.recommendation.pk for p in proposal}
    rows = [(c, ranks.get(c.recommendation.pk), c.recommendation.pk in shortlisted) for c in candidates]
    return render(
        request,
        "books/pick.html",
        {
            "school": school,
            "month": month,
            "count": count,
            "one_per_class": one_per_class,
            "rows": rows,
            "form": form,
            "existing": existing,
            **_tabs(actor, school),
            "settings_form": BookSettingsForm(
                initial={
                    "winners_per_month": defaults.winners_per_month,
                    "one_per_class": defaults.one_per_class,
                }
            ),
        },
    )


@login_required
@require_POST
def book_settings(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    form = BookSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.update_settings(actor=actor, school=school, **form.cleaned_data)
        except ServiceError as exc:
            if isinstance(exc, NotAllowed):
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, _("好书推荐的默认规则已保存。"))
    else:
        messages.error(request, _("请填写 1 至 50 之间的人数。"))
    return redirect("books:pick", code=code)


@login_required
def winners(request: HttpRequest, code: str) -> HttpResponse:
    """Past winners per month, for everyone in the school."""
    school, actor = _school(request, code)
    page = paginate(request, selectors.picks_visible_to(actor, school), per_page=12)
    return render(request, "books/winners.html", {"school": school, "page": page, **_tabs(actor, school)})
