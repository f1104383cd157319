from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm


class BriefingForm(StyledForm):
    title = forms.CharField(label=_("报头名称"), max_length=60, initial="创先争优工作简报")
    period_start = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    is_supplement = forms.BooleanField(label=_("增刊"), required=False)
    to_report = forms.CharField(label=_("报"), max_length=200, required=False)
    to_send = forms.CharField(label=_("送"), max_length=200, required=False)
    to_issue = forms.CharField(label=_("发"), max_length=200, required=False)
