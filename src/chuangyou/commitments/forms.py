"""Forms of the commitments pages. They check the shape of the input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.commitments.models import Category
from chuangyou.evaluations.forms import WindowForm
from chuangyou.forms import StyledForm


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemForm(StyledForm):
    category = forms.ChoiceField(label=_("类别"), choices=Category.choices)
    content = forms.CharField(label=_("承诺内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("具体措施"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("完成时限"), widget=_date_input())


class RevisionForm(ItemForm):
    """A published item's change: the same fields, and why."""

    reason = forms.CharField(
        label=_("修改原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("公开后的修改会留存为新版本，公开栏上可见。"),
    )


class ReturnForm(StyledForm):
    reason = forms.CharField(label=_("退回理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.doc,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProgressForm(StyledForm):
    text = forms.CharField(label=_("进展情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(
        label=_("佐证材料"),
        required=False,
        help_text=_(
            "可选，最多 5 个：图片（jpg/png）、PDF 或 Word，每个不超过 10 MB。佐证材料不在公开栏展示。"
        ),
    )


class FulfilmentForm(StyledForm):
    fulfilled = forms.TypedChoiceField(
        label=_("践诺结果"),
        choices=[("1", _("已兑现")), ("0", _("未兑现"))],
        coerce=lambda v: v == "1",
    )
    reason = forms.CharField(label=_("未兑现原因"), max_length=1000, required=False)


class SettingsForm(StyledForm):
    person_min_items = forms.IntegerField(label=_("个人承诺最少条数"), min_value=1, max_value=50)
    person_max_items = forms.IntegerField(label=_("个人承诺最多条数"), min_value=1, max_value=50)
    branch_min_items = forms.IntegerField(label=_("党支部承诺最少条数"), min_value=1, max_value=100)
    progress_interval_days = forms.IntegerField(
        label=_("践诺进展报告间隔（天）"),
        min_value=7,
        max_value=366,
        help_text=_("默认 90 天，即每季度至少一次。"),
    )


class BoardFilterForm(StyledForm):
    q = forms.CharField(label=_("姓名或支部"), required=False, max_length=60)
    owner = forms.ChoiceField(
        label=_("承诺人"),
        required=False,
        choices=[("", _("全部")), ("branch", _("党支部")), ("person", _("个人"))],
    )


class CommitmentAppraisalForm(WindowForm):
    campaign = forms.TypedChoiceField(label=_("活动方案"), coerce=int)
    branch = forms.TypedChoiceField(label=_("党员评：党支部"), coerce=int)
    members_weight = forms.DecimalField(
        label=_("党员评权重"), min_value=0, max_digits=6, decimal_places=2, initial=1
    )
    public_weight = forms.DecimalField(
        label=_("群众评权重"), min_value=0, max_digits=6, decimal_places=2, initial=1
    )
    organization_weight = forms.DecimalField(
        label=_("组织评权重"), min_value=0, max_digits=6, decimal_places=2, initial=1
    )
