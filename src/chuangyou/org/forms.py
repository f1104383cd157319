from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm
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
