"""How a message leaves the site, one backend per channel.

A backend's `send` either returns (the provider accepted the message) or raises `DeliveryFailed`,
`permanent` when trying again cannot help (no address, the channel not set up, a rejected template).
The delivery service (services.deliver_due) owns the retries; a backend tries once.

Which backend serves a channel depends on the NOTIFY_DELIVERY setting:
- "file" (development, `make run`): SMS and 企业微信 messages are written to var/messages/*.jsonl and the
  log, and e-mail goes through Django's EMAIL_BACKEND (a file backend under DEBUG);
- "memory" (tests): SMS and 企业微信 messages are appended to `memory_outbox`, as Django's locmem
  backend does with mail.outbox;
- "providers" (production): the school's own provider account (ChannelSettings), through an adapter
  registered in SMS_PROVIDERS / WECOM_PROVIDERS.

Registered adapters: Tencent Cloud SMS (tencent_sms.py, "tencent"). PENDING (issue 12): Aliyun SMS (its
dysmsapi SDK) and 企业微信 (wechatpy's work module), each fitting the `SmsProvider` / `WecomProvider`
protocols below and tested against a local HTTP server that checks requests as the provider does.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.notifications.models import Channel

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """A message ready to send: text already in the school's language, the link made absolute."""

    key: str  # the idempotency key: providers that de-duplicate are given it
    channel: str
    address: str
    title: str
    body: str
    url: str
    config: Mapping[str, Any] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)

    def text(self) -> str:
        return "\n\n".join(part for part in (self.title, self.body, self.url) if part)


class DeliveryFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class Backend(Protocol):
    def send(self, message: Outgoing) -> None: ...


class SmsProvider(Protocol):
    """An SMS provider's adapter. Chinese providers send only pre-approved templates: `template_id` and
    the ordered `params` fill it; `sign_name` is the approved 签名."""

    def send_sms(
        self, *, phone: str, sign_name: str, template_id: str, params: list[str], key: str
    ) -> None: ...


class WecomProvider(Protocol):
    """企业微信: a group robot (群机器人 webhook) or the 家校沟通 学校通知 API for one person."""

    def send_text(self, *, to: str, text: str, key: str) -> None: ...


# provider name → factory(config, secrets). Empty until an adapter is written (see the module's note).
SMS_PROVIDERS: dict[str, Callable[[Mapping[str, Any], Mapping[str, str]], SmsProvider]] = {}
WECOM_PROVIDERS: dict[str, Callable[[Mapping[str, Any], Mapping[str, str]], WecomProvider]] = {}


class EmailBackend:
    """Through Django's mail backends (SMTP in production, settings.EMAIL_*)."""

    def send(self, message: Outgoing) -> None:
        if not message.address:
            raise DeliveryFailed(gettext("收件人没有电子邮箱地址。"), permanent=True)
        mail = EmailMessage(
            subject=message.title,
            body="\n\n".join(part for part in (message.body, message.url) if part),
            from_email=message.config.get("from_email") or None,
            to=[message.address],
            headers={"X-Chuangyou-Message": message.key},
        )
        try:
            mail.send()
        except OSError as exc:  # smtplib's errors are OSErrors; a refused connection too
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc


class SmsBackend:
    def send(self, message: Outgoing) -> None:
        if not message.address:
            raise DeliveryFailed(gettext("收件人没有手机号。"), permanent=True)
        factory = SMS_PROVIDERS.get(str(message.config.get("provider", "")))
        if factory is None:
            raise DeliveryFailed(gettext("本校尚未接入短信服务商。"), permanent=True)
        factory(message.config, message.secrets).send_sms(
            phone=message.address,
            sign_name=str(message.config.get("sign_name", "")),
            template_id=str(message.config.get("template_id", "")),
            params=[message.title, message.url],
            key=message.key,
        )


class WecomBackend:
    def send(self, message: Outgoing) -> None:
        if not message.address:
            raise DeliveryFailed(gettext("收件人没有企业微信账号。"), permanent=True)
        factory = WECOM_PROVIDERS.get(str(message.config.get("provider", "")))
        if factory is None:
            raise DeliveryFailed(gettext("本校尚未接入企业微信。"), permanent=True)
        factory(message.config, message.secrets).send_text(
            to=message.address, text=message.text(), key=message.key
        )


class FileBackend:
    """Development: one JSON line per message in var/messages/<day>.jsonl, and a line in the log."""

    def send(self, message: Outgoing) -> None:
        folder = settings.DATA_DIR / "messages"
        folder.mkdir(parents=True, exist_ok=True)
        line = {k: v for k, v in asdict(message).items() if k != "secrets"}
        with (folder / f"{timezone.localdate():%Y-%m-%d}.jsonl").open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        log.info("%s to %s: %s %s", message.channel, message.address or "?", message.title, message.url)


memory_outbox: list[Outgoing] = []


class MemoryBackend:
    """Tests: what would have been sent, in order (clear `memory_outbox` between uses)."""

    def send(self, message: Outgoing) -> None:
        memory_outbox.append(message)


def backend_for(channel: str) -> Backend:
    if channel == Channel.EMAIL:
        return EmailBackend()
    mode = settings.NOTIFY_DELIVERY
    if mode == "file":
        return FileBackend()
    if mode == "memory":
        return MemoryBackend()
    if channel == Channel.SMS:
        return SmsBackend()
    if channel == Channel.WECOM:
        return WecomBackend()
    raise DeliveryFailed(f"no backend for channel {channel!r}", permanent=True)
