from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm


class TakedownForm(StyledForm):
    name = forms.CharField(label=_("您的姓名"), max_length=60)
    contact = forms.CharField(
        label=_("联系方式"), max_length=60, help_text=_("电话或邮箱，仅用于答复您，不会公开。")
    )
    reason = forms.CharField(label=_("撤下理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))


class HandleForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("处理决定"), choices=[("remove", _("撤下照片")), ("restore", _("恢复展示"))]
    )
    reply = forms.CharField(label=_("处理意见"), max_length=300, required=False)
