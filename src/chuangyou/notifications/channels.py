"""What each external channel asks a school for: its providers, the settings that may be shown back,
and the secrets that never are (stored encrypted, crypto.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from chuangyou.notifications.models import Channel

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as Text
else:
    Text = str


@dataclass(frozen=True)
class Setting:
    name: str
    label: Text
    secret: bool = False
    required: bool = True  # to switch the channel on
    help_text: Text = ""


PROVIDERS: dict[str, list[tuple[str, Text]]] = {
    Channel.EMAIL: [("smtp", _("本平台的邮件服务器（SMTP）"))],
    Channel.SMS: [("tencent", _("腾讯云短信")), ("aliyun", _("阿里云短信"))],
    Channel.WECOM: [("school_notice", _("家校沟通·学校通知")), ("group_robot", _("群机器人"))],
}

SETTINGS: dict[str, list[Setting]] = {
    Channel.EMAIL: [
        Setting("from_email", _("发件人地址"), required=False, help_text=_("留空则用平台的默认发件人。")),
    ],
    Channel.SMS: [
        Setting("sdk_app_id", _("短信应用 ID（SdkAppId）"), required=False, help_text=_("腾讯云必填。")),
        Setting("sign_name", _("短信签名")),
        Setting("template_id", _("模板 ID"), help_text=_("模板的两个参数依次为：通知标题、链接。")),
        Setting("access_key_id", _("访问密钥 ID（SecretId / AccessKeyId）"), secret=True),
        Setting("access_key_secret", _("访问密钥（SecretKey / AccessKeySecret）"), secret=True),
    ],
    Channel.WECOM: [
        Setting("corp_id", _("企业 ID（CorpID）"), required=False),
        Setting("agent_id", _("应用 AgentId"), required=False),
        Setting("corp_secret", _("应用 Secret"), secret=True, required=False),
        Setting("webhook_key", _("群机器人 Webhook 地址中的 key"), secret=True, required=False),
    ],
}
