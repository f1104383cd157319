"""Forms of the 创新项目 pages. They check the shape of the input; the services check the rules."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chuangyou.evaluations.forms import WindowForm
from chuangyou.forms import StyledForm
from chuangyou.org.models import School, Staff, Student


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _money(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, min_value=0, max_digits=12, decimal_places=2)


class CallForm(StyledForm):
    title = forms.CharField(label=_("征集名称"), max_length=120)
    semester = forms.CharField(label=_("学期"), max_length=40, help_text=_("例如：2026 秋季学期"))
    opens_on = forms.DateField(label=_("开始申报日期"), widget=_date_input())
    closes_on = forms.DateField(label=_("截止申报日期"), widget=_date_input())
    budget = _money(_("资助总额（元）"))
    per_project_cap = _money(_("单项资助上限（元）"), required=False)
    min_panel_size = forms.IntegerField(label=_("评审组最少人数"), min_value=1, max_value=50)
    rules = forms.CharField(
        label=_("申报与评审规则"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class PanelForm(StyledForm):
    members = forms.ModelMultipleChoiceField(
        label=_("评审组成员"),
        queryset=Staff.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("指导教师若在评审组中，评审开始时将自动回避其指导的项目。"),
    )

    def __init__(self, *args: Any, staff: QuerySet[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = staff
        # Checkboxes, not a select box: Bootstrap's own class for each box.
        field.widget.attrs["class"] = "form-check-input"


class ProposalForm(StyledForm):
    title = forms.CharField(label=_("项目名称"), max_length=120)
    abstract = forms.CharField(label=_("项目简介"), widget=forms.Textarea(attrs={"rows": 4}))
    plan = forms.CharField(label=_("实施计划"), widget=forms.Textarea(attrs={"rows": 6}))
    budget_request = _money(_("申请经费（元）"))
    advisor = forms.ModelChoiceField(label=_("指导教师"), queryset=Staff.objects.none())
    members = forms.CharField(
        label=_("团队成员学号"),
        required=False,
        help_text=_("个人申报可不填；团队申报请填写其他成员的学号，用逗号或空格分隔。"),
    )

    def __init__(self, *args: Any, school: School, advisors: QuerySet[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school = school
        field = self.fields["advisor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = advisors
        field.empty_label = _("请选择指导教师")

    def clean_members(self) -> list[Student]:
        numbers = [n for n in re.split(r"[\s,，、;；]+", self.cleaned_data.get("members") or "") if n]
        found = {s.student_no: s for s in Student.objects.filter(school=self.school, student_no__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(_("本校没有这些学号的学生：%(nos)s") % {"nos": "、".join(missing)})
        return [found[n] for n in dict.fromkeys(numbers)]


class AttachmentForm(StyledForm):
    file = forms.FileField(
        label=_("上传附件"),
        help_text=_("PDF、Word、Excel 或图片（jpg/png），不超过 10 MB。"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.doc,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("评审决定"), choices=[("funded", _("立项资助")), ("not_funded", _("不予资助"))]
    )
    amount = _money(_("资助金额（元）"), required=False)
    rank = forms.IntegerField(label=_("评审排名"), required=False, min_value=1)
    total = forms.DecimalField(
        label=_("评审总分"), required=False, min_value=0, max_digits=7, decimal_places=2
    )
    reason = forms.CharField(
        label=_("决定依据"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：评审会纪要、会议日期、投票结果。"),
    )


# --- the panel review on the evaluation engine ---


class ProjectReviewForm(WindowForm):
    call = forms.TypedChoiceField(label=_("创新项目征集（已开始评审）"), coerce=int)


class ProjectDecisionForm(StyledForm):
    """One proposal's funding, prefilled from the ranking; a person confirms it."""

    funded = forms.BooleanField(label=_("资助"), required=False)
    amount = forms.DecimalField(
        label=_("资助金额（元）"), min_value=0, max_digits=12, decimal_places=2, required=False
    )


class DecisionReasonForm(StyledForm):
    reason = forms.CharField(label=_("决定依据（如评审会纪要）"), max_length=2000, required=False)
