"""The settings page's form for one channel. Secret fields are password inputs that never render a
value: a stored secret is shown only as "已保存"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangyou.forms import StyledForm
from chuangyou.notifications.channels import PROVIDERS, SETTINGS
from chuangyou.notifications.models import ChannelSettings


class ChannelForm(StyledForm):
    channel = forms.CharField(widget=forms.HiddenInput)
    enabled = forms.BooleanField(label=_("启用"), required=False)
    provider = forms.ChoiceField(label=_("服务商"))

    def __init__(self, *args: Any, channel: str, row: ChannelSettings | None, **kwargs: Any) -> None:
        initial = {"channel": channel, "enabled": bool(row and row.enabled)}
        if row is not None:
            initial.update({"provider": row.provider, **row.config})
        super().__init__(*args, initial=initial, prefix=channel, **kwargs)
        self.kind = channel
        provider = self.fields["provider"]
        assert isinstance(provider, forms.ChoiceField)
        provider.choices = PROVIDERS[channel]
        stored = row.stored_secret_names() if row is not None else set()
        for setting in SETTINGS[channel]:
            if setting.secret:
                self.fields[setting.name] = forms.CharField(
                    label=setting.label,
                    required=False,
                    strip=True,
                    widget=forms.PasswordInput(
                        render_value=False,
                        attrs={"autocomplete": "new-password", "data-secret": "1"},
                    ),
                    help_text=_("已保存；留空则不修改。") if setting.name in stored else _("尚未保存。"),
                )
            else:
                self.fields[setting.name] = forms.CharField(
                    label=setting.label, required=False, help_text=setting.help_text
                )
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            if isinstance(widget, forms.Select):
                css = "form-select"
            widget.attrs.setdefault("class", css)

    def values(self) -> tuple[dict[str, str], dict[str, str]]:
        """(settings shown back, secrets) from the cleaned data."""
        config: dict[str, str] = {}
        secrets: dict[str, str] = {}
        for setting in SETTINGS[self.kind]:
            value = str(self.cleaned_data.get(setting.name) or "")
            (secrets if setting.secret else config)[setting.name] = value
        return config, secrets


class ContactForm(StyledForm):
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    wecom_userid = forms.CharField(
        label=_("企业微信账号"),
        required=False,
        max_length=64,
        help_text=_("学校在企业微信通讯录里给您的账号（UserID），不是微信号。不知道可以问学校管理员。"),
    )
