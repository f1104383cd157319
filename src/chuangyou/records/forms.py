"""Forms of 综合素质评价: building one for a class, and the student's signature on their 写实记录."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.evaluations.forms import WindowForm
from chuangyou.forms import StyledForm


class QualityForm(WindowForm):
    school_class = forms.TypedChoiceField(label=_("班级"), coerce=int)
    term = forms.CharField(label=_("学期"), max_length=40, help_text=_("例如：2026 春季学期"))
    teachers = forms.TypedMultipleChoiceField(label=_("任课教师（评价人）"), coerce=int, required=False)


class PortfolioSignForm(StyledForm):
    signature = forms.CharField(label=_("签名（请输入本人姓名）"), max_length=60)
