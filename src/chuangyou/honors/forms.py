from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm
from chuangyou.nominations.models import AwardType


class SealForm(StyledForm):
    image = forms.FileField(
        label=_("公章图片"), help_text=_("PNG（最好是透明背景）或 JPG，不超过 2 MB；只用于证书，不公开。")
    )


class BudgetForm(StyledForm):
    amount = forms.DecimalField(label=_("奖金预算（元）"), min_value=0, max_digits=12, decimal_places=2)


class BatchForm(StyledForm):
    as_zip = forms.TypedChoiceField(
        label=_("生成方式"),
        choices=[("0", _("合并为一个 PDF（便于打印）")), ("1", _("每人一个 PDF，打包为 zip"))],
        coerce=lambda v: v == "1",
    )


class LongTermRuleForm(StyledForm):
    award = forms.ModelChoiceField(label=_("奖项"), queryset=AwardType.objects.none())
    years = forms.IntegerField(label=_("连续年数"), min_value=2, max_value=12, initial=3)
    title = forms.CharField(label=_("称号"), max_length=60, initial="长期优秀")

    def __init__(self, *args: Any, awards: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = awards  # type: ignore[attr-defined]


class VerifyForm(StyledForm):
    """证书验证 by hand: the number and the holder's name as printed. Both must match, so a typed number
    alone does not list who holds it."""

    number = forms.CharField(label=_("证书编号"), max_length=80)
    name = forms.CharField(label=_("获奖者姓名"), max_length=120)
