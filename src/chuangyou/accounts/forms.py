from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm
from chuangyou.org.models import Bureau, School


class LoginForm(StyledForm):
    school = forms.ChoiceField(label=_("学校/单位"), required=False)
    login = forms.CharField(label=_("账号（学号/工号/手机号）"), max_length=40)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, max_length=128)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Bureau staff sign in under their bureau's code, as school staff under their school's.
        units = [*School.objects.values_list("code", "name"), *Bureau.objects.values_list("code", "name")]
        self.fields["school"].choices = [("", _("（手机号登录无需选择）")), *units]  # type: ignore[attr-defined]
        self.fields["login"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput, min_length=8)
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致。"))
        return data


class TokenForm(StyledForm):
    name = forms.CharField(label=_("令牌名称"), max_length=60)


class BureauResetForm(StyledForm):
    """Which account a bureau admin resets: its unit (the bureau, or one of its schools) and login."""

    unit = forms.ChoiceField(label=_("学校/单位"))
    login = forms.CharField(label=_("账号（工号/学号/手机号）"), max_length=40)

    def __init__(self, *args: object, bureau: Bureau, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        units = [(bureau.code, bureau.name), *bureau.schools.values_list("code", "name")]
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
