"""Writes to book recommendations: recommending, rating, the school's defaults, and the monthly pick.

A month is picked once: the unique (school, month) constraint turns a second or simultaneous pick
into a Conflict (409) that changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import change_for, record, record_many, snapshot
from chuangyou.books import selectors
from chuangyou.books.isbn import normalize_isbn
from chuangyou.books.models import (
    REVIEW_MAX_CHARS,
    BookAward,
    BookSettings,
    MonthlyPick,
    Rating,
    Recommendation,
)
from chuangyou.books.rules import can_pick, can_rate
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.lib.validation import clean_text
from chuangyou.org.models import School, Student
from chuangyou.org.rules import Actor, require

RECOMMEND_MESSAGE = gettext_lazy("只有本校学生可以推荐好书。")
RATE_MESSAGE = gettext_lazy("只有本校教师可以给好书推荐评分。")
PICK_MESSAGE = gettext_lazy("只有本校管理员、领导小组或工作小组成员可以评选好书推荐奖。")
MAX_WINNERS = 50


def book_key(*, title: str, author: str, isbn: str) -> str:
    """The same book however it is typed: its ISBN-13, else its title and author without spaces or case."""
    if isbn:
        return f"isbn:{isbn}"
    return "t:" + "".join(title.split()).casefold() + "|" + "".join(author.split()).casefold()


def recommend(
    *,
    actor: Actor,
    school: School,
    title: str,
    author: str,
    review: str,
    isbn: str = "",
    today: dt.date | None = None,
) -> Recommendation:
    """A student recommends a book for this month. Each book once per student."""
    student = (
        Student.objects.filter(pk=actor.own_student_id or 0, school=school)
        .select_related("school_class")
        .first()
    )
    require(student is not None, RECOMMEND_MESSAGE)
    assert student is not None
    month = selectors.month_of(today or timezone.localdate())
    if selectors.is_picked(school, month):
        raise Invalid(
            gettext("%(month)s的好书推荐已评选结束，请下月再推荐。")
            % {"month": format(month, gettext("%Y年%m月"))}
        )
    title = clean_text(
        title, field="title", label=gettext("书名"), max_length=120, collapse_spaces=True
    ).strip("《》")
    author = clean_text(author, field="author", label=gettext("作者"), max_length=80, collapse_spaces=True)
    review = (review or "").strip()
    if not review:
        raise Invalid(gettext("请写几句推荐语。"), {"review": [gettext("请写几句推荐语。")]})
    if len(review) > REVIEW_MAX_CHARS:
        message = gettext("推荐语不能超过 %(REVIEW_MAX_CHARS)s 个字（现为 %(review_count)s 个字）。") % {
            "REVIEW_MAX_CHARS": REVIEW_MAX_CHARS,
            "review_count": len(review),
        }
        raise Invalid(message, {"review": [message]})
    code = ""
    if isbn.strip():
        normalized = normalize_isbn(isbn)
        if normalized is None:
            message = gettext("ISBN 无效：请核对 10 位或 13 位书号（校验位不符）。可以不填。")
            raise Invalid(message, {"isbn": [message]})
        code = normalized
    key = book_key(title=title, author=author, isbn=code)
    earlier = Recommendation.objects.filter(student=student, book_key=key).first()
    if earlier is not None:
        raise Conflict(
            gettext("你已经在%(earlier_month)s推荐过《%(earlier_title)s》了，同一本书只能推荐一次。")
            % {"earlier_month": format(earlier.month, gettext("%Y年%m月")), "earlier_title": earlier.title}
        )
    try:
        with transaction.atomic():
            recommendation = Recommendation.objects.create(
                school=school, student=student, school_class=student.school_class, month=month,
                title=title, author=author, isbn=code, book_key=key, review=review,
            )  # fmt: skip
            record(
                actor,
                change_for(
                    "book.recommend", recommendation, school_id=school.pk, after=snapshot(recommendation)
                ),
            )
    except IntegrityError as exc:
        raise Conflict(
            gettext("你已经推荐过《%(title)s》了，同一本书只能推荐一次。") % {"title": title}
        ) from exc
    return recommendation


def rate(*, actor: Actor, recommendation: Recommendation, stars: int) -> Rating:
    """A teacher's 1–5 stars. One per teacher per recommendation; rating again changes it."""
    school = recommendation.school
    require(can_rate(actor, school), RATE_MESSAGE)
    rater = selectors.staff_of(actor, school)
    require(rater is not None, RATE_MESSAGE)
    assert rater is not None
    if stars not in range(1, 6):
        raise Invalid(gettext("评分须为 1 至 5 星。"), {"stars": [gettext("评分须为 1 至 5 星。")]})
    if selectors.is_picked(school, recommendation.month):
        raise Invalid(
            gettext("%(recommendation_month)s已评选，评分已锁定。")
            % {"recommendation_month": format(recommendation.month, gettext("%Y年%m月"))}
        )
    with transaction.atomic():
        rating = Rating.objects.select_for_update().filter(recommendation=recommendation, rater=rater).first()
        before = snapshot(rating) if rating is not None else None
        if rating is None:
            try:
                with transaction.atomic():
                    rating = Rating.objects.create(
                        school=school, recommendation=recommendation, rater=rater, stars=stars
                    )
            except IntegrityError as exc:  # the same teacher's other tab rated first
                raise Conflict(gettext("评分刚刚已保存，请刷新后再改。")) from exc
        else:
            rating.stars = stars
            rating.save(update_fields=["stars", "updated_at"])
        record(
            actor, change_for("book.rate", rating, school_id=school.pk, before=before, after=snapshot(rating))
        )
    return rating


def update_settings(
    *, actor: Actor, school: School, winners_per_month: int, one_per_class: bool
) -> BookSettings:
    require(can_pick(actor, school), PICK_MESSAGE)
    if not 1 <= winners_per_month <= MAX_WINNERS:
        message = gettext("每月评选人数须在 1 至 %(MAX_WINNERS)s 之间。") % {"MAX_WINNERS": MAX_WINNERS}
        raise Invalid(message, {"winners_per_month": [message]})
    with transaction.atomic():
        # The row is made here on the first change (reads only show the defaults), with the change's entry.
        made, created = BookSettings.objects.get_or_create(school=school)
        locked = BookSettings.objects.select_for_update().get(pk=made.pk)
        before = None if created else snapshot(locked)
        locked.winners_per_month, locked.one_per_class = winners_per_month, one_per_class
        locked.save(update_fields=["winners_per_month", "one_per_class"])
        record(
            actor,
            change_for("book.settings", locked, school_id=school.pk, before=before, after=snapshot(locked)),
        )
    return locked


def pick_month(
    *,
    actor: Actor,
    school: School,
    month: dt.date,
    recommendation_ids: list[int],
    winners_count: int,
    one_per_class: bool,
    reason: str = "",
    today: dt.date | None = None,
) -> MonthlyPick:
    """Record the month's winners, ranked in the order given. Leaving the system's shortlist (other
    books, another order, fewer) needs a reason, which is kept with the pick."""
    require(can_pick(actor, school), PICK_MESSAGE)
    month = selectors.month_of(month)
    if month > selectors.month_of(today or timezone.localdate()):
        raise Invalid(gettext("不能评选还没到的月份。"), {"month": [gettext("不能评选还没到的月份。")]})
    if not 1 <= winners_count <= MAX_WINNERS:
        message = gettext("评选人数须在 1 至 %(MAX_WINNERS)s 之间。") % {"MAX_WINNERS": MAX_WINNERS}
        raise Invalid(message, {"winners_count": [message]})
    if not recommendation_ids:
        raise Invalid(
            gettext("请至少选出一名获奖者。"), {"recommendation_ids": [gettext("请至少选出一名获奖者。")]}
        )
    if len(set(recommendation_ids)) != len(recommendation_ids):
        raise Invalid(
            gettext("同一条推荐不能选两次。"), {"recommendation_ids": [gettext("同一条推荐不能选两次。")]}
        )
    if len(recommendation_ids) > winners_count:
        message = gettext("最多评选 %(winners_count)s 名，现选了 %(recommendation_ids_count)s 名。") % {
            "winners_count": winners_count,
            "recommendation_ids_count": len(recommendation_ids),
        }
        raise Invalid(message, {"recommendation_ids": [message]})
    chosen = {
        r.pk: r for r in Recommendation.objects.filter(school=school, month=month, pk__in=recommendation_ids)
    }
    if len(chosen) != len(recommendation_ids):
        message = gettext("所选推荐须是本校%(month)s的推荐。") % {"month": format(month, gettext("%Y年%m月"))}
        raise Invalid(message, {"recommendation_ids": [message]})
    ordered = [chosen[pk] for pk in recommendation_ids]
    if one_per_class and len({r.school_class_id for r in ordered}) != len(ordered):
        message = gettext("每班至多一人：所选名单中有同班的两条推荐。如需放开，请取消“每班至多一人”。")
        raise Invalid(message, {"recommendation_ids": [message]})
    proposal = [
        c.recommendation.pk
        for c in selectors.shortlist(school, month, count=winners_count, one_per_class=one_per_class)
    ]
    followed = proposal == recommendation_ids
    reason = (reason or "").strip()
    if not followed and not reason:
        message = gettext("所选名单或名次与系统推荐名单不同，请填写调整理由。")
        raise Invalid(message, {"reason": [message]})
    now = timezone.now()
    try:
        with transaction.atomic():
            pick = MonthlyPick.objects.create(
                school=school, month=month, winners_count=winners_count, one_per_class=one_per_class,
                followed_shortlist=followed, reason=reason, decided_by=actor.user, decided_at=now,
            )  # fmt: skip
            awards = BookAward.objects.bulk_create(
                BookAward(
                    school=school,
                    pick=pick,
                    recommendation=r,
                    student_id=r.student_id,
                    month=month,
                    rank=rank,
                    decided_by=actor.user,
                    decided_at=now,
                )
                for rank, r in enumerate(ordered, start=1)
            )
            after = snapshot(pick) | {"winners": [{"rank": a.rank, "recommendation_id": a.recommendation_id,
                                                   "student_id": a.student_id} for a in awards],
                                      "shortlist": proposal}  # fmt: skip
            record_many(actor, [change_for("book.pick", pick, school_id=school.pk, after=after)])
    except IntegrityError as exc:
        raise Conflict(
            gettext("%(month)s的好书推荐奖已经评选过了。") % {"month": format(month, gettext("%Y年%m月"))}
        ) from exc
    return pick
