"""Writes for notifications: queue messages in the caller's transaction (`notify`), deliver them from
the task worker (`deliver_due`), and a person's own inbox (`mark_read`, `mark_all_read`).

`notify` is called by other services after their own checks, inside their transaction: the messages
commit or roll back with the write that caused them, and the caller's audit entry covers them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from chuangyou.audit.services import change_for, record
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.lib.site import site_url
from chuangyou.notifications import crypto, selectors
from chuangyou.notifications.actor import SCHOOL_ADMIN, Actor, Row, SchoolActor
from chuangyou.notifications.backends import DeliveryFailed, Outgoing, backend_for
from chuangyou.notifications.channels import PROVIDERS, SETTINGS
from chuangyou.notifications.models import (
    QUIET_CHANNELS,
    Channel,
    ChannelSettings,
    Contact,
    Message,
    State,
)

log = logging.getLogger(__name__)

# No SMS or 企业微信 between these times (local time): such messages are held until QUIET_ENDS.
QUIET_STARTS = dt.time(21, 30)
QUIET_ENDS = dt.time(7, 0)
MAX_ATTEMPTS = 6  # then 'failed', with the last reason
BACKOFF_BASE = dt.timedelta(minutes=1)  # 1, 2, 4, 8, 16 minutes between the attempts
BACKOFF_CAP = dt.timedelta(hours=6)
LEASE = dt.timedelta(minutes=5)  # a claimed message is taken again if its worker died this long ago
KEY_LENGTH = 255
DIGEST_EVENT = "notifications.digest"
DIGEST_TITLE = gettext_noop("您还有 %(count)s 条通知，请到创优的站内消息查看")
DIGEST_BODY = gettext_noop("为免打扰，每人每天从每个渠道只收到几条通知，其余的第二天早上汇总成这一条。")


@dataclass(frozen=True)
class Recipient:
    """A person to tell, and where their own next step is when it differs from the event's link."""

    user_id: int
    link: str = ""


# --- quiet hours and retries -------------------------------------------------------------------


def quiet_until(moment: dt.datetime) -> dt.datetime | None:
    """The end of the quiet hours `moment` falls in (local time), or None outside them."""
    local = timezone.localtime(moment)
    if QUIET_ENDS <= local.time() < QUIET_STARTS:
        return None
    day = local.date() if local.time() < QUIET_ENDS else local.date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, QUIET_ENDS, tzinfo=local.tzinfo)


def next_morning(moment: dt.datetime) -> dt.datetime:
    """QUIET_ENDS on the day after `moment` (local time): when the day's digest goes out."""
    local = timezone.localtime(moment)
    return dt.datetime.combine(local.date() + dt.timedelta(days=1), QUIET_ENDS, tzinfo=local.tzinfo)


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


def _message_key(event_key: str, user_id: int, channel: str) -> str:
    key = f"{event_key}/{user_id}/{channel}"
    if len(key) <= KEY_LENGTH:
        return key
    return f"{event_key[:180]}#{hashlib.sha256(key.encode()).hexdigest()[:40]}/{user_id}/{channel}"


# --- queueing ----------------------------------------------------------------------------------


def enabled_channels(*, school_id: int) -> list[str]:
    """The in-app channel, and the external channels the school has switched on."""
    external = ChannelSettings.objects.filter(school_id=school_id, enabled=True).values_list(
        "channel", flat=True
    )
    return [Channel.IN_APP, *sorted(external)]


def _addresses(channel: str, user_ids: Sequence[int]) -> dict[int, str]:
    if channel == Channel.IN_APP:
        return dict.fromkeys(user_ids, "")
    if channel == Channel.SMS:
        rows = get_user_model().objects.filter(pk__in=user_ids).exclude(phone=None).exclude(phone="")
        return {pk: phone or "" for pk, phone in rows.values_list("pk", "phone")}
    contacts = Contact.objects.filter(user_id__in=user_ids)
    if channel == Channel.EMAIL:
        return dict(contacts.exclude(email="").values_list("user_id", "email"))
    return dict(contacts.exclude(wecom_userid="").values_list("user_id", "wecom_userid"))


def notify(
    *,
    school_id: int,
    event: str,
    key: str,
    recipients: Iterable[Recipient | int],
    title: str,
    body: str = "",
    params: dict[str, Any] | None = None,
    link: str = "",
    channels: Sequence[str] | None = None,
) -> None:
    """Queue one message per recipient per channel, in the caller's transaction.

    `key` names this occurrence of the event (for example "evaluation.open:42"): a second call with the
    same key queues nothing new for a recipient and channel already queued. `title` and `body` are
    Chinese msgids marked with gettext_noop, filled from `params` when shown. External channels (the
    school's enabled ones unless `channels` says) reach only recipients with an address for them; SMS and
    企业微信 queued in quiet hours are held until morning. Delivery starts once the caller commits.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notify must run inside the calling service's transaction")
    people: dict[int, str] = {}
    for r in recipients:
        person = r if isinstance(r, Recipient) else Recipient(user_id=r)
        people.setdefault(person.user_id, person.link or link)
    if not people:
        return
    now = timezone.now()
    held_until = quiet_until(now)
    wanted = list(channels) if channels is not None else enabled_channels(school_id=school_id)
    ids = sorted(people)
    rows: list[Message] = []
    for channel in wanted:
        addresses = _addresses(channel, ids)
        in_app = channel == Channel.IN_APP
        hold = held_until is not None and channel in QUIET_CHANNELS
        for user_id in ids:
            if user_id not in addresses:
                continue
            rows.append(
                Message(
                    school_id=school_id,
                    recipient_id=user_id,
                    channel=channel,
                    event=event,
                    key=_message_key(key, user_id, channel),
                    title=title,
                    body=body,
                    params=params or {},
                    link=people[user_id],
                    address=addresses[user_id],
                    state=State.SENT if in_app else State.HELD if hold else State.QUEUED,
                    next_attempt_at=None if in_app else held_until if hold else now,
                    sent_at=now if in_app else None,
                    created_at=now,
                )
            )
    # The unique key turns a retried event into no new row.
    Message.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    if any(row.channel != Channel.IN_APP for row in rows):
        base = site_url()  # the address this request came to, for the links (lib/site.py)
        transaction.on_commit(lambda: _start_delivery(base_url=base), robust=True)


def _start_delivery(*, base_url: str, run_after: dt.datetime | None = None) -> None:
    from chuangyou.notifications.tasks import deliver_messages

    task = deliver_messages
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # tests run tasks at once; they travel the clock and deliver themselves
        task = task.using(run_after=run_after)
    task.enqueue(base_url)


# --- delivery ----------------------------------------------------------------------------------


def _claim(message: Message, now: dt.datetime) -> bool:
    """Take the message for one attempt: a conditional UPDATE that only one worker's can match. The
    lease moves `next_attempt_at` ahead, so a worker that dies mid-send leaves it to be taken again."""
    won = Message.objects.filter(
        pk=message.pk,
        state__in=[State.QUEUED, State.HELD],
        attempts=message.attempts,
        next_attempt_at__lte=now,
    ).update(state=State.QUEUED, attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    return won == 1


@dataclass
class _Sweep:
    """What one sweep reads once rather than per message: each school's channel settings (secrets
    unsealed), and how many messages each person got today on each channel."""

    now: dt.datetime
    accounts: dict[tuple[int, str], tuple[dict[str, Any], dict[str, str]]] = field(default_factory=dict)
    sent_today: dict[tuple[int, str], int] = field(default_factory=dict)

    def account(self, school_id: int, channel: str) -> tuple[dict[str, Any], dict[str, str]]:
        key = (school_id, channel)
        if key not in self.accounts:
            row = ChannelSettings.objects.filter(school_id=school_id, channel=channel).first()
            if row is None:
                self.accounts[key] = ({}, {})
            else:
                self.accounts[key] = ({**row.config, "provider": row.provider}, crypto.unseal(row.secret))
        return self.accounts[key]

    def count_today(self, messages: Sequence[Message]) -> None:
        local = timezone.localtime(self.now)
        day_start = dt.datetime.combine(local.date(), dt.time(0), tzinfo=local.tzinfo)
        rows = (
            Message.objects.filter(
                recipient_id__in={m.recipient_id for m in messages},
                state=State.SENT,
                digest=None,
                sent_at__gte=day_start,
            )
            .exclude(channel=Channel.IN_APP)
            .values_list("recipient_id", "channel")
            .annotate(n=Count("id"))
        )
        self.sent_today = {(recipient, channel): n for recipient, channel, n in rows}

    def over_cap(self, message: Message) -> bool:
        """Whether the person already had their day's share of this channel (a soft cap: two workers
        may each send one more)."""
        if message.event == DIGEST_EVENT:
            return False
        return self.sent_today.get((message.recipient_id, message.channel), 0) >= settings.NOTIFY_DAILY_CAP

    def counted(self, message: Message) -> None:
        key = (message.recipient_id, message.channel)
        self.sent_today[key] = self.sent_today.get(key, 0) + 1


def _outgoing(message: Message, config: dict[str, Any], secrets: dict[str, str]) -> Outgoing:
    with translation.override(settings.LANGUAGE_CODE):
        title, body = message.title_text, message.body_text
    url = f"{site_url()}{message.link}" if message.link.startswith("/") else message.link
    return Outgoing(
        key=message.key,
        channel=message.channel,
        address=message.address,
        title=title,
        body=body,
        url=url,
        config=config,
        secrets=secrets,
    )


def _attempt(message: Message, sweep: _Sweep) -> bool:
    """One attempt at a claimed message. Returns whether it was sent."""
    now = sweep.now
    attempt = message.attempts + 1
    try:
        outgoing = _outgoing(message, *sweep.account(message.school_id, message.channel))
        backend_for(message.channel).send(outgoing)
    except DeliveryFailed as exc:
        reason, permanent = exc.reason, exc.permanent
    except crypto.SecretUnreadable:
        reason, permanent = "channel secrets unreadable: CHANNEL_SECRET_KEY or SECRET_KEY changed", True
    except Exception as exc:  # a provider's SDK raising anything must not stop the sweep
        log.exception("delivering message %s", message.pk)
        reason, permanent = f"{type(exc).__name__}: {exc}", False
    else:
        Message.objects.filter(pk=message.pk, attempts=attempt).update(
            state=State.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
        )
        return True
    final = permanent or attempt >= MAX_ATTEMPTS
    Message.objects.filter(pk=message.pk, attempts=attempt).update(
        state=State.FAILED if final else State.QUEUED,
        next_attempt_at=None if final else now + backoff(attempt),
        last_error=reason[:2000],
    )
    return False


def _fold_digests(now: dt.datetime) -> None:
    """Turn each person's folded messages that are due into one digest message per school and channel,
    queued now. The digest's key is the day's, so two sweeps make one digest; the folded rows are linked
    to it with a conditional UPDATE, so each is in exactly one digest."""
    groups = (
        Message.objects.filter(folded=True, digest=None, state=State.HELD, next_attempt_at__lte=now)
        .values_list("school_id", "recipient_id", "channel", "address")
        .distinct()
    )
    day = f"{timezone.localdate(now):%Y-%m-%d}"
    for school_id, recipient_id, channel, address in list(groups):
        with transaction.atomic():
            key = _message_key(f"{DIGEST_EVENT}:{day}:{school_id}", recipient_id, channel)
            digest, _created = Message.objects.get_or_create(
                key=key,
                defaults={
                    "school_id": school_id,
                    "recipient_id": recipient_id,
                    "channel": channel,
                    "event": DIGEST_EVENT,
                    "title": DIGEST_TITLE,
                    "body": DIGEST_BODY,
                    "link": reverse("notifications:inbox"),
                    "address": address,
                    "state": State.HELD,  # not sent before it is complete
                    "next_attempt_at": None,
                },
            )
            Message.objects.filter(
                school_id=school_id,
                recipient_id=recipient_id,
                channel=channel,
                folded=True,
                digest=None,
                state=State.HELD,
                next_attempt_at__lte=now,
            ).update(digest=digest, state=State.SENT, sent_at=now, next_attempt_at=None)
            count = Message.objects.filter(digest=digest).count()
            Message.objects.filter(pk=digest.pk, attempts=0).update(
                params={"count": count}, state=State.QUEUED, next_attempt_at=now
            )


def deliver_due(*, limit: int = 500) -> int:
    """Send what is due: queued messages whose time has come, held ones whose quiet hours ended, and
    claimed ones whose worker died. Each is claimed before it is sent, so sweeps may run side by side.
    A message over the person's daily cap for its channel waits for the next morning's digest.
    Returns how many were sent. Run by the task worker (tasks.deliver_messages)."""
    now = timezone.now()
    _fold_digests(now)
    due = list(
        Message.objects.filter(state__in=[State.QUEUED, State.HELD], next_attempt_at__lte=now, folded=False)
        .exclude(channel=Channel.IN_APP)
        .order_by("next_attempt_at", "pk")[:limit]
    )
    sent = 0
    held_until = quiet_until(now)
    sweep = _Sweep(now=now)
    sweep.count_today(due)
    for message in due:
        if held_until is not None and message.channel in QUIET_CHANNELS:
            Message.objects.filter(pk=message.pk, attempts=message.attempts, state__in=[State.QUEUED]).update(
                state=State.HELD, next_attempt_at=held_until
            )
            continue
        if sweep.over_cap(message):
            Message.objects.filter(
                pk=message.pk, attempts=message.attempts, state__in=[State.QUEUED, State.HELD]
            ).update(state=State.HELD, folded=True, next_attempt_at=next_morning(now))
            continue
        if _claim(message, now) and _attempt(message, sweep):
            sent += 1
            sweep.counted(message)
    upcoming = (
        Message.objects.filter(state__in=[State.QUEUED, State.HELD], next_attempt_at__isnull=False)
        .exclude(channel=Channel.IN_APP)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if len(due) == limit:
        _start_delivery(base_url=site_url())
    elif upcoming is not None:
        _start_delivery(base_url=site_url(), run_after=max(upcoming, now))
    return sent


# --- the inbox ---------------------------------------------------------------------------------


def mark_read(*, actor: Actor, message: Message) -> Message:
    """Mark one of the actor's own in-app messages read. Another's message is not found."""
    own = selectors.get_message(actor=actor, pk=message.pk)
    if own.read_at is None:
        with transaction.atomic():
            Message.objects.filter(pk=own.pk, read_at=None).update(read_at=timezone.now())
        own.refresh_from_db(fields=["read_at"])
    return own


def mark_all_read(*, actor: Actor) -> int:
    """Mark all of the actor's own unread in-app messages read. Returns how many."""
    if actor.user is None:
        return 0
    with transaction.atomic():
        return Message.objects.filter(
            recipient_id=actor.user.pk, channel=Channel.IN_APP, read_at=None
        ).update(read_at=timezone.now())


# --- a school's channel settings ----------------------------------------------------------------


def configure_channel(
    *,
    actor: SchoolActor,
    school: Row,
    channel: str,
    enabled: bool,
    provider: str,
    config: Mapping[str, str],
    secrets: Mapping[str, str],
) -> ChannelSettings:
    """Set up one of the school's external channels. A secret left blank keeps the one stored; the
    audit entry names which secrets changed, never their values."""
    require_admin(actor, school.pk)
    if channel not in SETTINGS:
        raise Invalid(gettext("没有这种通知渠道。"))
    if provider not in {value for value, _label in PROVIDERS[channel]}:
        raise Invalid(gettext("请选择服务商。"), {"provider": [gettext("请选择服务商。")]})
    fields = {s.name: s for s in SETTINGS[channel]}
    unknown = sorted((set(config) | set(secrets)) - set(fields))
    if unknown:
        raise Invalid(gettext("不认识的设置：%(names)s。") % {"names": "、".join(unknown)})
    shown = {k: v.strip() for k, v in config.items() if not fields[k].secret}
    fresh = {k: v.strip() for k, v in secrets.items() if fields[k].secret and v.strip()}
    with transaction.atomic():
        found = (
            ChannelSettings.objects.select_for_update().filter(school_id=school.pk, channel=channel).first()
        )
        row = found or ChannelSettings(school_id=school.pk, channel=channel)
        stored = crypto.unseal(row.secret) if row.secret else {}
        before = (
            {
                "enabled": row.enabled,
                "provider": row.provider,
                "config": row.config,
                "secrets": sorted(stored),
            }
            if found is not None
            else None
        )
        merged = {**stored, **fresh}
        if enabled:
            missing = [
                str(s.label)
                for s in SETTINGS[channel]
                if s.required and not (merged.get(s.name) if s.secret else shown.get(s.name))
            ]
            if missing:
                message = gettext("启用前请填写：%(names)s。") % {"names": "、".join(missing)}
                raise Invalid(message)
        row.enabled = enabled
        row.provider = provider
        row.config = shown
        row.secret = crypto.seal(merged)
        row.updated_at = timezone.now()
        row.save()
        record(
            actor,
            change_for(
                "notifications.channel_configure",
                row,
                school_id=school.pk,
                before=before,
                after={
                    "enabled": enabled,
                    "provider": provider,
                    "config": shown,
                    "secrets": sorted(merged),
                    "secrets_changed": sorted(fresh),
                },
            ),
        )
    return row


def require_admin(actor: SchoolActor, school_id: int) -> None:
    if not (actor.system or actor.holds(SCHOOL_ADMIN, school_id=school_id)):
        raise NotAllowed(gettext("只有本校管理员可以设置通知渠道。"))


PHONE_RE = re.compile(r"^1\d{10}$")


def send_test_message(*, actor: SchoolActor, school: Row, to: str) -> Channel:
    """Send one message now through the school's own e-mail or SMS account (an address with @ is an
    e-mail, eleven digits starting with 1 a mobile number), to prove the channel works: no outbox row,
    no retry, no quiet hours. Returns the channel; a failure raises Conflict with the provider's reason."""
    require_admin(actor, school.pk)
    to = to.strip()
    if "@" in to:
        channel = Channel.EMAIL
    elif PHONE_RE.match(to):
        channel = Channel.SMS
    else:
        raise Invalid(gettext("请填写电子邮箱地址或 11 位手机号。"), {"to": [gettext("格式不正确。")]})
    sweep = _Sweep(now=timezone.now())
    config, secrets = sweep.account(school.pk, channel)
    with translation.override(settings.LANGUAGE_CODE):
        title = gettext("创优测试消息：本校的通知渠道可以使用。")
    outgoing = Outgoing(
        key=f"test:{school.pk}:{channel}:{timezone.now():%Y%m%d%H%M%S}",
        channel=channel,
        address=to,
        title=title,
        body="",
        url=f"{site_url()}/inbox/",
        config=config,
        secrets=secrets,
    )
    with transaction.atomic():
        record(
            actor,
            change_for(
                "notifications.test_send",
                school,  # type: ignore[arg-type]  # org.School, a model (a Row here: org is above)
                school_id=school.pk,
                after={"channel": channel, "to": _masked(to)},
            ),
        )
    try:
        backend_for(channel).send(outgoing)
    except DeliveryFailed as exc:
        raise Conflict(gettext("发送失败：%(reason)s") % {"reason": exc.reason}) from exc
    except Exception as exc:  # the provider's SDK: whatever it raises is the answer the admin needs
        raise Conflict(gettext("发送失败：%(reason)s") % {"reason": f"{type(exc).__name__}: {exc}"}) from exc
    return channel


def _masked(to: str) -> str:
    """An address as the audit log keeps it: enough to recognise, not to reuse."""
    if "@" in to:
        name, _at, domain = to.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{to[:3]}****{to[-4:]}"


# --- a person's own contact details -------------------------------------------------------------


def set_contact(*, actor: SchoolActor, email: str, wecom_userid: str) -> Contact:
    """Where the actor may be reached beyond the phone on their account: their own, nobody else's."""
    if actor.user is None:
        raise NotAllowed(gettext("请先登录。"))
    email, wecom_userid = email.strip(), wecom_userid.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            message = gettext("电子邮箱地址不正确。")
            raise Invalid(message, {"email": [message]}) from exc
    with transaction.atomic():
        contact = Contact.objects.select_for_update().filter(user_id=actor.user.pk).first()
        before = {"email": contact.email, "wecom_userid": contact.wecom_userid} if contact else None
        contact = contact or Contact(user_id=actor.user.pk)
        contact.email, contact.wecom_userid = email, wecom_userid
        contact.save()
        record(
            actor,
            change_for(
                "notifications.contact",
                contact,
                school_id=None,
                before=before,
                after={"email": email, "wecom_userid": wecom_userid},
            ),
        )
    return contact
