"""Forms of the book pages. They check the shape of the input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.books.models import REVIEW_MAX_CHARS
from chuangyou.forms import StyledForm


class RecommendForm(StyledForm):
    title = forms.CharField(label=_("书名"), max_length=120)
    author = forms.CharField(label=_("作者"), max_length=80)
    isbn = forms.CharField(
        label=_("ISBN（可选）"),
        max_length=20,
        required=False,
        help_text=_("书背面条形码上方的 10 位或 13 位书号"),
    )
    review = forms.CharField(
        label=_("推荐语"),
        max_length=REVIEW_MAX_CHARS,
        widget=forms.Textarea(
            attrs={"rows": 5, "maxlength": REVIEW_MAX_CHARS, "data-counter": "review-count"}
        ),
    )


class PickForm(StyledForm):
    """The month's winners: recommendation ids in rank order, the pick's settings and a reason."""

    winners_count = forms.IntegerField(label=_("评选人数"), min_value=1, max_value=50)
    one_per_class = forms.BooleanField(label=_("每班至多一人"), required=False)
    reason = forms.CharField(
        label=_("调整理由（与系统推荐名单不同时必填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BookSettingsForm(StyledForm):
    winners_per_month = forms.IntegerField(label=_("每月评选人数（默认）"), min_value=1, max_value=50)
    one_per_class = forms.BooleanField(label=_("每班至多一人（默认）"), required=False)
