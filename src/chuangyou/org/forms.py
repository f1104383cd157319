import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm
from chuangyou.lib.errors import Invalid
from chuangyou.lib.workdays import parse_dates
from chuangyou.org.models import Role


class GrantRoleForm(StyledForm):
    login = forms.CharField(label=_("账号（工号/学号/手机号）"), max_length=40)
    # Teacher, student and parent seats come with the roster; these are the ones an admin assigns.
    role = forms.ChoiceField(
        label=_("角色"),
        choices=[
            (r.value, r.label)
            for r in (
                Role.LEADING_GROUP,
                Role.WORKING_GROUP,
                Role.SUPERVISION_GROUP,
                Role.SCHOOL_ADMIN,
                Role.HEAD_TEACHER,
                Role.BRANCH_SECRETARY,
            )
        ],
    )
    school_class = forms.ChoiceField(label=_("班级（班主任必填）"), required=False)
    party_branch = forms.ChoiceField(label=_("党支部（党支部书记必填）"), required=False)
    is_leader = forms.BooleanField(label=_("组长"), required=False)
    starts_on = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: object,
        classes: list[tuple[int, str]],
        branches: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party_branch"].choices = [("", "—"), *branches]  # type: ignore[attr-defined]
        self.fields["school_class"].choices = [("", "—"), *classes]  # type: ignore[attr-defined]


DATES_HELP = _("每行一个日期，或用顿号、逗号、空格隔开；写成 2027-01-01 或 2027/1/1。")


class DatesField(forms.CharField):
    """Dates typed as text (see lib.workdays.parse_dates); cleans to a list of dates."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value: object) -> list[dt.date]:  # type: ignore[override]
        text = super().to_python(value)
        try:
            return parse_dates(text or "")
        except Invalid as exc:
            raise forms.ValidationError(exc.message) from exc


class HolidayScheduleForm(StyledForm):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    holidays = DatesField(label=_("放假日期"), help_text=DATES_HELP)
    workdays = DatesField(label=_("调休上班日期"), required=False, help_text=DATES_HELP)
    source_note = forms.CharField(
        label=_("依据（通知文号）"),
        max_length=200,
        help_text=_("例如：国办发明电〔2026〕7号《国务院办公厅关于2027年部分节假日安排的通知》"),
    )

    def __init__(self, *args: Any, fixed_year: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_year:  # editing: the year names the schedule and stays
            self.fields["year"].disabled = True


def dates_text(days: list[str]) -> str:
    """Stored ISO dates back into the text box, one per line."""
    return "\n".join(days)
