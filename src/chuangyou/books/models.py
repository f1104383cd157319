"""好书推荐: students recommend books, teachers rate them, and the working group picks each month's
winners (5 by default, one per class at most) from a shortlist. The picks are data the honors read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangyou.org.models import SchoolClass, SchoolOwned, Staff, Student

REVIEW_MAX_CHARS = 500


class BookSettings(SchoolOwned):
    """The defaults each month's pick starts from; the group may change them for one pick."""

    winners_per_month = models.PositiveSmallIntegerField(_("每月评选人数"), default=5)
    one_per_class = models.BooleanField(_("每班至多一人"), default=True)

    class Meta:
        verbose_name = _("好书推荐规则")
        verbose_name_plural = _("好书推荐规则")
        constraints = [models.UniqueConstraint(fields=["school"], name="book_settings_one_per_school")]

    def __str__(self) -> str:
        return f"好书推荐规则 · {self.school_id}"


class Recommendation(SchoolOwned):
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="book_recommendations")
    # The class at the time of the recommendation: the one-per-class rule counts it, not a later class.
    school_class = models.ForeignKey(SchoolClass, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"))  # the first day of the month
    title = models.CharField(_("书名"), max_length=120)
    author = models.CharField(_("作者"), max_length=80)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)  # ISBN-13 digits, or empty
    book_key = models.CharField(max_length=220)  # the ISBN, else the normalized title and author
    review = models.TextField(_("推荐语"), max_length=REVIEW_MAX_CHARS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("好书推荐")
        verbose_name_plural = _("好书推荐")
        ordering = ["-month", "created_at", "pk"]
        constraints = [
            # A student recommends a given book once: it belongs to one month.
            models.UniqueConstraint(fields=["student", "book_key"], name="recommendation_once_per_book"),
        ]
        indexes = [models.Index(fields=["school", "month"])]

    def __str__(self) -> str:
        return f"《{self.title}》"


class Rating(SchoolOwned):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="book_ratings")
    stars = models.PositiveSmallIntegerField(_("星级"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("教师评分")
        verbose_name_plural = _("教师评分")
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "rater"], name="rating_one_per_teacher"),
            models.CheckConstraint(name="rating_stars_1_to_5", condition=Q(stars__gte=1) & Q(stars__lte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★"


class MonthlyPick(SchoolOwned):
    """The group's decision for one month. A month is picked once."""

    month = models.DateField(_("月份"))
    winners_count = models.PositiveSmallIntegerField(_("评选人数"))
    one_per_class = models.BooleanField(_("每班至多一人"))
    followed_shortlist = models.BooleanField(_("与系统推荐名单一致"))
    reason = models.TextField(_("调整理由"), blank=True)
    # Empty only when the system decided (the demo loader).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("月度评选")
        verbose_name_plural = _("月度评选")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["school", "month"], name="book_pick_once_per_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月}好书推荐奖"


class BookAward(SchoolOwned):
    """One winner of 好书推荐奖: who, for which recommendation, which month and rank, decided by whom."""

    pick = models.ForeignKey(MonthlyPick, on_delete=models.CASCADE, related_name="awards")
    recommendation = models.OneToOneField(Recommendation, on_delete=models.PROTECT, related_name="award")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="book_awards")
    month = models.DateField(_("月份"))
    rank = models.PositiveSmallIntegerField(_("名次"))
    # Empty only when the system decided (the demo loader).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("好书推荐奖")
        verbose_name_plural = _("好书推荐奖")
        ordering = ["-month", "rank"]
        constraints = [models.UniqueConstraint(fields=["pick", "rank"], name="book_award_unique_rank")]

    def __str__(self) -> str:
        return f"{self.month:%Y年%m月}好书推荐奖 第{self.rank}名"
