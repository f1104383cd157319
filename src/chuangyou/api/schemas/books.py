"""好书推荐: the input and output schemas of `chuangyou.api.routers.books`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from decimal import Decimal

from ninja import Schema

from chuangyou.books.models import BookAward, MonthlyPick, Recommendation


class BookSettingsOut(Schema):
    winners_per_month: int
    one_per_class: bool


class BookSettingsIn(Schema):
    winners_per_month: int
    one_per_class: bool


class AwardOut(Schema):
    month: dt.date
    rank: int
    student_id: int
    recommendation_id: int
    decided_at: dt.datetime


class RecommendationOut(Schema):
    id: int
    student_id: int
    student_name: str
    class_name: str
    month: dt.date
    title: str
    author: str
    isbn: str
    review: str
    created_at: dt.datetime
    award: AwardOut | None

    @staticmethod
    def resolve_student_name(obj: Recommendation) -> str:
        return obj.student.name

    @staticmethod
    def resolve_class_name(obj: Recommendation) -> str:
        return str(obj.school_class)

    @staticmethod
    def resolve_award(obj: Recommendation) -> BookAward | None:
        return getattr(obj, "award", None)


class RecommendationIn(Schema):
    title: str
    author: str
    isbn: str = ""
    review: str


class RatingIn(Schema):
    stars: int


class RatingOut(Schema):
    recommendation_id: int
    stars: int
    average: Decimal | None
    ratings: int


class CandidateOut(Schema):
    recommendation: RecommendationOut
    average: Decimal | None
    ratings: int


class PickIn(Schema):
    month: str  # YYYY-MM
    recommendation_ids: list[int]  # in rank order
    winners_count: int
    one_per_class: bool
    reason: str = ""


class PickOut(Schema):
    id: int
    month: dt.date
    winners_count: int
    one_per_class: bool
    followed_shortlist: bool
    reason: str
    decided_by_id: int | None
    decided_at: dt.datetime
    awards: list[AwardOut]

    @staticmethod
    def resolve_awards(obj: MonthlyPick) -> list[BookAward]:
        return list(obj.awards.all())
