"""Reads of book recommendations, ratings and picks, limited to what the actor may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext, gettext_lazy

from chuangyou.books.models import BookAward, BookSettings, MonthlyPick, Rating, Recommendation
from chuangyou.books.rules import can_see_all_recommendations, can_see_winners
from chuangyou.lib.errors import Invalid, NotFound
from chuangyou.org.models import School, Staff
from chuangyou.org.rules import Actor, require

WINNERS_MESSAGE = gettext_lazy("只有本校师生、家长和主管教育局可以查看好书推荐获奖名单。")


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def parse_month(text: str) -> dt.date:
    """ "2026-03" → 2026-03-01."""
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError as exc:
        raise Invalid(
            gettext("月份格式应为 YYYY-MM，如 2026-03。"), {"month": [gettext("月份格式应为 YYYY-MM。")]}
        ) from exc


def settings_for(school: School) -> BookSettings:
    """The school's defaults: its row, else the model's defaults (5 winners, one per class), unsaved.
    A read never writes: the row is made, audited, by the first `services.update_settings`."""
    return BookSettings.objects.filter(school=school).first() or BookSettings(school=school)


def staff_of(actor: Actor, school: School) -> Staff | None:
    if actor.user is None:
        return None
    return Staff.objects.filter(user=actor.user, school=school).first()


def _base(school: School) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(school=school).select_related(
        "student", "school_class__grade", "award"
    )


def recommendations_visible_to(actor: Actor, school: School) -> QuerySet[Recommendation]:
    """All of them for the school's staff and office; otherwise one's own and one's children's."""
    rows = _base(school)
    if can_see_all_recommendations(actor, school):
        return rows
    allowed = Q(student_id__in=actor.child_student_ids)
    if actor.own_student_id is not None:
        allowed |= Q(student_id=actor.own_student_id)
    return rows.filter(allowed)


def with_scores(rows: QuerySet[Recommendation], *, rater: Staff | None = None) -> QuerySet[Recommendation]:
    """Each row with the teachers' average, the number of ratings, and the viewer's own stars."""
    rows = rows.annotate(average=Avg("ratings__stars"), ratings_count=Count("ratings"))
    if rater is not None:
        mine = Rating.objects.filter(recommendation=OuterRef("pk"), rater=rater).values("stars")[:1]
        rows = rows.annotate(my_stars=Subquery(mine))
    return rows


def recommendation_for(actor: Actor, school: School, recommendation_id: int) -> Recommendation:
    found = recommendations_visible_to(actor, school).filter(pk=recommendation_id).first()
    if found is None:
        raise NotFound(gettext("没有这条好书推荐。"))
    return found


@dataclass(frozen=True)
class Candidate:
    recommendation: Recommendation
    average: Decimal | None
    ratings: int


def candidates(school: School, month: dt.date) -> list[Candidate]:
    """The month's recommendations in shortlist order: the teachers' average rating, then more
    ratings, then earlier submission. Unrated ones come last: nothing ranks them yet."""
    rows = with_scores(_base(school).filter(month=month)).order_by("created_at", "pk")
    found = [Candidate(r, _two_places(r.average), r.ratings_count) for r in rows]  # type: ignore[attr-defined]
    rated = [c for c in found if c.average is not None]
    # A stable sort: equal average and count keep the earlier submission first.
    rated.sort(key=lambda c: (-(c.average or 0), -c.ratings))
    return rated + [c for c in found if c.average is None]


def _two_places(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def shortlist(school: School, month: dt.date, *, count: int, one_per_class: bool) -> list[Candidate]:
    """The system's proposal: rated candidates in order, at most one per class if asked."""
    chosen: list[Candidate] = []
    classes: set[int] = set()
    for candidate in candidates(school, month):
        if len(chosen) == count or candidate.average is None:
            break
        class_id = candidate.recommendation.school_class_id
        if one_per_class and class_id in classes:
            continue
        chosen.append(candidate)
        classes.add(class_id)
    return chosen


def picks_visible_to(actor: Actor, school: School) -> QuerySet[MonthlyPick]:
    require(can_see_winners(actor, school), WINNERS_MESSAGE)
    awards = BookAward.objects.select_related("student", "recommendation__school_class__grade").order_by(
        "rank"
    )
    return (
        MonthlyPick.objects.filter(school=school)
        .select_related("decided_by")
        .prefetch_related(Prefetch("awards", queryset=awards))
        .order_by("-month")
    )


def is_picked(school: School, month: dt.date) -> bool:
    return MonthlyPick.objects.filter(school=school, month=month).exists()
