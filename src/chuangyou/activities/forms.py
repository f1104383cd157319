"""Forms of the activity pages: they check the shape of the input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.activities.models import Activity, Award, Kind, Level
from chuangyou.activities.services import ActivityInput
from chuangyou.campaigns.models import Phase
from chuangyou.forms import StyledForm
from chuangyou.org.models import Grade, School, SchoolClass, Staff


def _when() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(StyledForm):
    kind = forms.ChoiceField(label=_("类别"), choices=Kind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=120)
    phase = forms.ModelChoiceField(label=_("所属阶段"), queryset=Phase.objects.none())
    person_in_charge = forms.ModelChoiceField(label=_("负责人"), queryset=Staff.objects.none())
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=_when())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=_when())
    venue = forms.CharField(label=_("地点"), max_length=120, required=False)
    description = forms.CharField(
        label=_("活动内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    resources = forms.CharField(label=_("所需资源"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    grades = forms.ModelMultipleChoiceField(
        label=_("面向年级"), queryset=Grade.objects.none(), required=False
    )
    classes = forms.ModelMultipleChoiceField(
        label=_("面向班级"), queryset=SchoolClass.objects.none(), required=False
    )
    for_students = forms.BooleanField(label=_("学生可报名"), required=False, initial=True)
    for_teachers = forms.BooleanField(label=_("教师可报名"), required=False)
    for_party_members = forms.BooleanField(label=_("党员教师可报名"), required=False)
    is_team = forms.BooleanField(label=_("团体项目（以队报名）"), required=False)
    team_min = forms.IntegerField(label=_("每队最少人数"), min_value=1, initial=1)
    team_max = forms.IntegerField(label=_("每队最多人数"), min_value=1, initial=1)
    capacity = forms.IntegerField(label=_("名额（人或队）"), min_value=1)
    signup_opens = forms.DateTimeField(label=_("报名开始"), widget=_when())
    signup_closes = forms.DateTimeField(label=_("报名截止"), widget=_when())
    safety_plan = forms.FileField(label=_("安全预案（PDF、Word 或图片）"), required=False)

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(school=school).select_related("campaign")  # type: ignore[attr-defined]
        self.fields["phase"].label_from_instance = lambda p: f"{p.campaign.year} · {p.name}"  # type: ignore[attr-defined]
        self.fields["person_in_charge"].queryset = Staff.objects.filter(school=school)  # type: ignore[attr-defined]
        self.fields["grades"].queryset = Grade.objects.filter(school=school)  # type: ignore[attr-defined]
        self.fields["classes"].queryset = SchoolClass.objects.filter(school=school).select_related("grade")  # type: ignore[attr-defined]
        self.fields["grades"].help_text = _("年级和班级都不选表示全校。")

    def to_input(self) -> ActivityInput:
        data = {k: v for k, v in self.cleaned_data.items() if k != "safety_plan"}
        data["grades"], data["classes"] = list(data["grades"]), list(data["classes"])
        return ActivityInput(**data)

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        initial = {name: getattr(activity, name) for name in ActivityInput.FIELDS}
        initial["grades"] = list(activity.grades.all())
        initial["classes"] = list(activity.classes.all())
        return initial


class TeamForm(StyledForm):
    team_name = forms.CharField(label=_("队名"), max_length=60)
    members = forms.CharField(
        label=_("队员学号/工号（队长以外，每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ResultForm(StyledForm):
    rank = forms.IntegerField(label=_("名次"), min_value=1, required=False)
    score = forms.DecimalField(label=_("成绩"), max_digits=7, decimal_places=2, required=False)
    award = forms.ChoiceField(label=_("奖项"), choices=[("", "—"), *Award.choices], required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ImportForm(StyledForm):
    file = forms.FileField(label=_("成绩表（.xlsx）"))


class EvidenceForm(StyledForm):
    file = forms.FileField(label=_("照片或文件"))
    caption = forms.CharField(label=_("说明"), max_length=200, required=False)


class ExternalAwardForm(StyledForm):
    student_no = forms.CharField(label=_("学号"), max_length=30)
    competition = forms.CharField(
        label=_("竞赛名称"), max_length=120, help_text=_("如 全国中学生数学竞赛、信息学奥赛")
    )
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices)
    award = forms.ChoiceField(label=_("奖项"), choices=[("", "—"), *Award.choices], required=False)
    rank = forms.IntegerField(label=_("名次"), min_value=1, required=False)
    awarded_on = forms.DateField(label=_("获奖日期"), widget=forms.DateInput(attrs={"type": "date"}))
    certificate = forms.FileField(label=_("证书扫描件"))
