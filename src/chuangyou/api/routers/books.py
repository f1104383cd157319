"""好书推荐: recommendations, teachers' ratings, the shortlist, the monthly pick and the winners.
Same services and checks as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.api.schemas.books import (
    BookSettingsIn,
    BookSettingsOut,
    CandidateOut,
    PickIn,
    PickOut,
    RatingIn,
    RatingOut,
    RecommendationIn,
    RecommendationOut,
)
from chuangyou.books import selectors, services
from chuangyou.books.models import MonthlyPick, Recommendation
from chuangyou.books.rules import can_pick
from chuangyou.org.rules import require

router = Router(tags=["好书推荐"])

BASE = "/{code}/books"


@router.get(BASE + "/settings", response=BookSettingsOut, summary="好书推荐默认规则")
def get_settings(request: HttpRequest, code: str) -> object:
    school, actor = school_or_404(code), actor_of(request)
    require(can_pick(actor, school), services.PICK_MESSAGE)
    return selectors.settings_for(school)


@router.put(BASE + "/settings", response=BookSettingsOut, summary="修改好书推荐默认规则")
def put_settings(request: HttpRequest, code: str, payload: BookSettingsIn) -> object:
    return services.update_settings(actor=actor_of(request), school=school_or_404(code), **payload.dict())


@router.get(BASE + "/recommendations", response=list[RecommendationOut], summary="好书推荐（我可查看的）")
@paginate(Pages, page_size=50)
def list_recommendations(
    request: HttpRequest, code: str, month: str | None = None, class_id: int | None = None
) -> object:
    rows = selectors.recommendations_visible_to(actor_of(request), school_or_404(code))
    if month:
        rows = rows.filter(month=selectors.parse_month(month))
    if class_id is not None:
        rows = rows.filter(school_class_id=class_id)
    return rows.order_by("-month", "created_at", "pk")


@router.post(BASE + "/recommendations", response={201: RecommendationOut}, summary="推荐一本书")
def create_recommendation(
    request: HttpRequest, code: str, payload: RecommendationIn
) -> Status[Recommendation]:
    school, actor = school_or_404(code), actor_of(request)
    created = services.recommend(actor=actor, school=school, **payload.dict())
    return Status(201, selectors.recommendation_for(actor, school, created.pk))


@router.put(
    BASE + "/recommendations/{recommendation_id}/rating",
    response=RatingOut,
    summary="教师评分（1–5 星，可修改）",
)
def rate(request: HttpRequest, code: str, recommendation_id: int, payload: RatingIn) -> RatingOut:
    school, actor = school_or_404(code), actor_of(request)
    recommendation = selectors.recommendation_for(actor, school, recommendation_id)
    rating = services.rate(actor=actor, recommendation=recommendation, stars=payload.stars)
    scored = selectors.with_scores(Recommendation.objects.filter(pk=recommendation.pk)).get()
    average = getattr(scored, "average", None)
    return RatingOut(
        recommendation_id=recommendation.pk,
        stars=rating.stars,
        average=None if average is None else Decimal(str(average)).quantize(Decimal("0.01")),
        ratings=getattr(scored, "ratings_count", 0),
    )


@router.get(BASE + "/months/{month}/shortlist", response=list[CandidateOut], summary="系统推荐名单")
def get_shortlist(
    request: HttpRequest, code: str, month: str, count: int | None = None, one_per_class: bool | None = None
) -> list[selectors.Candidate]:
    school, actor = school_or_404(code), actor_of(request)
    require(can_pick(actor, school), services.PICK_MESSAGE)
    defaults = selectors.settings_for(school)
    return selectors.shortlist(
        school,
        selectors.parse_month(month),
        count=count or defaults.winners_per_month,
        one_per_class=defaults.one_per_class if one_per_class is None else one_per_class,
    )


@router.post(BASE + "/picks", response={201: PickOut}, summary="确认月度评选结果")
def create_pick(request: HttpRequest, code: str, payload: PickIn) -> Status[MonthlyPick]:
    school, actor = school_or_404(code), actor_of(request)
    data = payload.dict()
    pick = services.pick_month(
        actor=actor, school=school, **(data | {"month": selectors.parse_month(data["month"])})
    )
    return Status(201, selectors.picks_visible_to(actor, school).get(pk=pick.pk))


@router.get(BASE + "/picks", response=list[PickOut], summary="历月获奖名单")
@paginate(Pages, page_size=24)
def list_picks(request: HttpRequest, code: str) -> object:
    return selectors.picks_visible_to(actor_of(request), school_or_404(code))
