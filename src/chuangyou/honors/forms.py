from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm


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
