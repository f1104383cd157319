"""Forms of the campaign pages. They check the shape of the input; the services check the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chuangyou.campaigns.models import Phase, ResourceKind
from chuangyou.forms import StyledForm
from chuangyou.org.models import Staff


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text_area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class CampaignForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("方案名称"), max_length=120)
    theme = forms.CharField(label=_("主题"), max_length=200)
    goals = forms.CharField(label=_("目标"), required=False, widget=_text_area())
    principles = forms.CharField(label=_("指导思想与原则"), required=False, widget=_text_area(4))
    is_public = forms.BooleanField(
        label=_("在学校公开主页展示主题、阶段和小组名单"), required=False, initial=True
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            # The year names the plan (one per school per year), so it is fixed once made.
            del self.fields["year"]
        else:
            self.fields["year"].help_text = _("创建后将按所选年度自动生成四个默认阶段，可随后修改。")


class PhaseForm(StyledForm):
    name = forms.CharField(label=_("阶段名称"), max_length=60)
    starts_on = forms.DateField(label=_("开始日期"), widget=_date_input())
    ends_on = forms.DateField(label=_("结束日期"), widget=_date_input())
    description = forms.CharField(label=_("主要工作"), required=False, widget=_text_area(4))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on: dt.date | None = data.get("starts_on")
        ends_on: dt.date | None = data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data


class AssignmentForm(StyledForm):
    title = forms.CharField(label=_("任务"), max_length=120)
    owner = forms.ModelChoiceField(label=_("负责人"), queryset=Staff.objects.none())
    deadline = forms.DateField(label=_("截止日期"), widget=_date_input())
    phase = forms.ModelChoiceField(
        label=_("所属阶段"), queryset=Phase.objects.none(), required=False, empty_label=_("（不限）")
    )
    description = forms.CharField(label=_("说明"), required=False, widget=_text_area())

    def __init__(self, *args: Any, owners: QuerySet[Staff], phases: QuerySet[Phase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        phase_field = self.fields["phase"]
        assert isinstance(owner_field, forms.ModelChoiceField)
        assert isinstance(phase_field, forms.ModelChoiceField)
        owner_field.queryset = owners
        owner_field.empty_label = _("请选择负责人")
        phase_field.queryset = phases


class ResourceForm(StyledForm):
    kind = forms.ChoiceField(label=_("类别"), choices=ResourceKind.choices)
    name = forms.CharField(label=_("名称"), max_length=120)
    quantity = forms.CharField(label=_("数量/规格"), max_length=60, required=False)
    amount = forms.DecimalField(
        label=_("金额（元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    notes = forms.CharField(label=_("备注"), max_length=200, required=False)


class SafetyPlanForm(StyledForm):
    safety_plan = forms.FileField(
        label=_("安全预案文件"),
        required=False,
        help_text=_("PDF、Word（doc/docx）或图片（jpg/png），不超过 10 MB。"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.doc,.docx,.jpg,.jpeg,.png"}),
    )
    remove_file = forms.BooleanField(label=_("删除已上传的文件"), required=False)
    safety_notes = forms.CharField(label=_("安全预案要点"), required=False, widget=_text_area(6))
