"""The outbox: one `Message` per recipient per channel, written in the transaction of the write that
caused it, and the per-school settings of the channels that leave the site.

This app sits just above the audit log and below org and accounts, so every domain app may call it. It
names the school and the person by string references ("org.School", AUTH_USER_MODEL) and imports
neither app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    WECOM = "wecom", _("企业微信")


# Channels that reach a phone: held during quiet hours (services.QUIET_STARTS … QUIET_ENDS).
QUIET_CHANNELS = frozenset({Channel.SMS, Channel.WECOM})
# Channels configured per school on its settings page (the in-app channel needs no settings).
EXTERNAL_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WECOM)


class State(models.TextChoices):
    QUEUED = "queued", _("待发送")
    HELD = "held", _("暂缓（免打扰时段）")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("发送失败")


class Message(models.Model):
    """One message to one person through one channel.

    `title` and `body` are Chinese msgids (marked with gettext_noop where the event is defined) and
    `params` fills their %(name)s placeholders, so the inbox shows each message in the reader's language.
    `key` is the idempotency key: the event's key, the recipient and the channel; its unique constraint
    turns a retried event into no new row. Delivery claims a row with a conditional UPDATE that moves
    `next_attempt_at` a lease ahead and counts the attempt, so two workers never send one message twice,
    and one that died mid-send leaves the row to be taken again when its lease runs out.
    """

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    event = models.CharField(_("事件"), max_length=60)
    key = models.CharField(max_length=255, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    params = models.JSONField(default=dict, blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    address = models.CharField(_("发送地址"), max_length=254, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("最近的错误"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Over the person's daily cap for the channel: held for the next morning's digest (`folded`), then
    # sent as part of that digest message (`digest`).
    folded = models.BooleanField(_("并入每日汇总"), default=False)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="folded_messages"
    )

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the inbox and the bell: a person's in-app messages, newest first / unread
            models.Index(fields=["recipient", "channel", "-created_at"], name="message_inbox"),
            # the delivery sweep: due messages that wait for a worker
            models.Index(
                fields=["next_attempt_at"],
                name="message_due",
                condition=Q(state__in=["queued", "held"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="message_state_valid", condition=Q(state__in=["queued", "held", "sent", "failed"])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id} ({self.channel})"

    def _fill(self, text: str) -> str:
        translated = gettext(text) if text else ""
        try:
            return translated % self.params if self.params else translated
        except (KeyError, ValueError, TypeError):
            return translated

    @property
    def title_text(self) -> str:
        """The title in the active language, its placeholders filled."""
        return self._fill(self.title)

    @property
    def body_text(self) -> str:
        return self._fill(self.body)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class ChannelSettings(models.Model):
    """A school's account with one external channel. `config` holds what may be shown (an SDK app id,
    a signature, a template id, a corp id); `secret` holds the encrypted secrets (crypto.py), which the
    settings page never shows back: it only says whether one is stored."""

    school = models.ForeignKey("org.School", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices)
    enabled = models.BooleanField(_("启用"), default=False)
    provider = models.CharField(_("服务商"), max_length=20, blank=True)
    config = models.JSONField(default=dict, blank=True)
    secret = models.BinaryField(default=b"", blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("渠道设置")
        verbose_name_plural = _("渠道设置")
        constraints = [
            models.UniqueConstraint(fields=["school", "channel"], name="one_setting_per_school_channel"),
            models.CheckConstraint(name="settings_channel_external", condition=~Q(channel="in_app")),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.channel}"

    def stored_secret_names(self) -> set[str]:
        """Which secrets are stored (never their values), for the settings page."""
        from chuangyou.notifications.crypto import SecretUnreadable, unseal

        try:
            return set(unseal(self.secret))
        except SecretUnreadable:
            return set()


class Contact(models.Model):
    """Where a person may be reached outside the site, beyond the phone on their account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("电子邮箱"), blank=True)
    wecom_userid = models.CharField(_("企业微信账号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("联系方式")
        verbose_name_plural = _("联系方式")

    def __str__(self) -> str:
        return str(self.user_id)
