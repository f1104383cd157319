"""Forms of the 每周一练 pages. They check the shape of the input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm
from chuangyou.org.models import SchoolClass
from chuangyou.practice.models import QuestionKind


class SetForm(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=120)
    subject = forms.CharField(label=_("学科"), max_length=30)
    week = forms.DateField(
        label=_("周（星期一）"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("练习所属的那一周，填那周的星期一。"),
    )
    deadline = forms.DateTimeField(
        label=_("截止时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("截止后仍可提交，但记为迟交。"),
    )
    classes = forms.ModelMultipleChoiceField(
        label=_("布置班级"),
        queryset=SchoolClass.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("可按住 Ctrl（或 ⌘）多选。"),
    )

    def __init__(self, *args: Any, classes: QuerySet[SchoolClass], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["classes"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = classes


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class QuestionForm(StyledForm):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    prompt = forms.CharField(label=_("题目"), widget=forms.Textarea(attrs={"rows": 3}))
    points = forms.DecimalField(label=_("分值"), min_value=0, max_digits=5, decimal_places=1, initial=5)
    choices = forms.CharField(
        label=_("选项（选择题，每行一个）"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    correct = forms.CharField(label=_("正确选项（选择题，如 B 或 AC）"), required=False, max_length=8)
    accepted = forms.CharField(
        label=_("标准答案（填空题，每行一个可接受的答案）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("比较时去掉首尾空格，全角字母数字按半角处理。"),
    )
    ignore_case = forms.BooleanField(label=_("填空题不区分大小写"), required=False)

    def clean_correct(self) -> list[int]:
        letters = "".join((self.cleaned_data.get("correct") or "").upper().split()).replace(",", "")
        letters = letters.replace("，", "")
        if any(not "A" <= c <= "H" for c in letters):
            raise forms.ValidationError(_("请用字母 A–H 表示正确选项。"))
        return [ord(c) - ord("A") for c in letters]

    def service_args(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "prompt": data["prompt"],
            "points": data["points"],
            "choices": _lines(data["choices"]),
            "correct": data["correct"],
            "accepted": _lines(data["accepted"]),
            "ignore_case": data["ignore_case"],
        }


class GradeForm(StyledForm):
    # The range (0 to the question's points) is the service's check, so the message is the same everywhere.
    score = forms.DecimalField(label=_("得分"), max_digits=5, decimal_places=1)
    comment = forms.CharField(label=_("评语"), required=False, max_length=500)
