"""Reads for notifications: a person's own in-app messages, and nobody else's."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext

from chuangyou.lib.errors import NotFound
from chuangyou.notifications.actor import Actor
from chuangyou.notifications.models import Channel, ChannelSettings, Contact, Message


def inbox(*, actor: Actor) -> QuerySet[Message]:
    """The actor's in-app messages, newest first."""
    if actor.user is None:
        return Message.objects.none()
    return Message.objects.filter(recipient_id=actor.user.pk, channel=Channel.IN_APP).order_by(
        "-created_at", "-id"
    )


def unread_count(*, actor: Actor) -> int:
    return inbox(actor=actor).filter(read_at=None).count()


def get_message(*, actor: Actor, pk: int) -> Message:
    """One of the actor's own in-app messages; another person's, or one that doesn't exist, is not found."""
    message = inbox(actor=actor).filter(pk=pk).first()
    if message is None:
        raise NotFound(gettext("没有找到这条消息。"))
    return message


def channel_settings(*, school_id: int) -> QuerySet[ChannelSettings]:
    """A school's channel settings, for its settings page (whose view checks the admin first)."""
    return ChannelSettings.objects.filter(school_id=school_id)


def event_queued(*, key: str) -> bool:
    """Whether an event with this key (see services.notify) has queued any message yet."""
    return Message.objects.filter(key__startswith=f"{key}/").exists()


def contact_of(*, actor: Actor) -> Contact | None:
    """The actor's own contact details, if they gave any."""
    if actor.user is None:
        return None
    return Contact.objects.filter(user_id=actor.user.pk).first()
