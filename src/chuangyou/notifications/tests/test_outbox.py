"""The outbox: messages are queued in the caller's transaction, once per key, and delivered by the task
worker with retries, backoff, a final 'failed' and quiet hours."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from chuangyou.lib.site import serving
from chuangyou.notifications import backends, services
from chuangyou.notifications.backends import DeliveryFailed, Outgoing
from chuangyou.notifications.models import Channel, Contact, Message, State
from chuangyou.notifications.services import Recipient, notify
from chuangyou.notifications.tests.conftest import switch_on
from chuangyou.testing import PINNED_NOW, World

TZ = PINNED_NOW.tzinfo


def _notify(world: World, *, key: str = "test.event:1", **kw: Any) -> None:
    args: dict[str, Any] = {
        "school_id": world.school.pk,
        "event": "test.event",
        "key": key,
        "recipients": [world.tian.pk, world.ma.pk],
        "title": "评议“%(title)s”开始投票了",
        "params": {"title": "师德标兵"},
        "link": "/somewhere/",
    }
    args.update(kw)
    with transaction.atomic():
        notify(**args)


def _failing(reason: str, *, permanent: bool = False) -> Callable[[Outgoing], None]:
    def send(message: Outgoing) -> None:
        raise DeliveryFailed(reason, permanent=permanent)

    return send


def test_one_in_app_message_per_recipient_sent_at_once(world: World) -> None:
    _notify(world)
    rows = list(
        Message.objects.order_by("recipient_id").values_list("recipient_id", "channel", "state", "link")
    )
    assert rows == sorted(
        [
            (world.tian.pk, Channel.IN_APP, State.SENT, "/somewhere/"),
            (world.ma.pk, Channel.IN_APP, State.SENT, "/somewhere/"),
        ]
    )


def test_the_title_is_filled_in_the_readers_language(world: World) -> None:
    _notify(world, recipients=[world.tian.pk])
    assert Message.objects.get().title_text == "评议“师德标兵”开始投票了"


def test_a_recipient_may_have_their_own_link(world: World) -> None:
    _notify(world, recipients=[Recipient(user_id=world.tian.pk, link="/mine/"), world.ma.pk])
    links = dict(Message.objects.values_list("recipient_id", "link"))
    assert links == {world.tian.pk: "/mine/", world.ma.pk: "/somewhere/"}


def test_a_retried_event_never_queues_twice(world: World) -> None:
    switch_on(world.school, Channel.SMS)
    _notify(world)
    _notify(world)
    _notify(world, recipients=[world.tian.pk, world.ma.pk, world.tian.pk])
    # tian has no phone: in-app only; ma (a parent, signed in by phone) also by SMS
    assert Message.objects.count() == 3
    _notify(world, key="test.event:2")
    assert Message.objects.count() == 6


def test_messages_roll_back_with_the_write_that_caused_them(world: World) -> None:
    def write_then_fail() -> None:
        with transaction.atomic():
            notify(school_id=world.school.pk, event="e", key="k", recipients=[world.tian.pk], title="t")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        write_then_fail()
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_notify_refuses_to_run_outside_a_transaction(live_world: World) -> None:
    world = live_world
    with pytest.raises(RuntimeError, match="inside the calling service's transaction"):
        notify(school_id=world.school.pk, event="e", key="k", recipients=[world.tian.pk], title="t")


def test_external_channels_only_for_recipients_with_an_address(world: World) -> None:
    switch_on(world.school, Channel.SMS)
    switch_on(world.school, Channel.EMAIL)
    Contact.objects.create(user=world.tian, email="tian@example.cn")
    _notify(world)
    rows = set(
        Message.objects.exclude(channel=Channel.IN_APP).values_list("recipient_id", "channel", "address")
    )
    assert rows == {
        (world.ma.pk, Channel.SMS, "13800000001"),
        (world.tian.pk, Channel.EMAIL, "tian@example.cn"),
    }


def test_delivery_starts_when_the_caller_commits(
    world: World, sent: list[Outgoing], django_capture_on_commit_callbacks: Any
) -> None:
    switch_on(world.school, Channel.SMS)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, serving("http://192.168.1.20:8000"):
        _notify(world)  # as a request to the school's LAN address would
    assert sent == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()  # the commit: the task runs at once in tests (ImmediateBackend)
    assert [(m.address, m.title, m.url) for m in sent] == [
        ("13800000001", "评议“师德标兵”开始投票了", "http://192.168.1.20:8000/somewhere/")
    ]
    sms = Message.objects.get(channel=Channel.SMS)
    assert (sms.state, sms.attempts, sms.last_error) == (State.SENT, 1, "")


def test_email_goes_through_djangos_mail_backend(world: World) -> None:
    switch_on(world.school, Channel.EMAIL)
    Contact.objects.create(user=world.tian, email="tian@example.cn")
    _notify(world)
    assert services.deliver_due() == 1
    [message] = mail.outbox
    assert (message.to, message.subject) == (["tian@example.cn"], "评议“师德标兵”开始投票了")
    assert message.extra_headers["X-Chuangyou-Message"] == f"test.event:1/{world.tian.pk}/email"
    assert "/somewhere/" in message.body


def test_retries_back_off_and_then_fail_with_the_reason(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    switch_on(world.school, Channel.SMS)
    _notify(world)
    monkeypatch.setattr(backends.MemoryBackend, "send", lambda self, m: _failing("provider down")(m))
    waits = []
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        assert services.deliver_due() == 0
        sms = Message.objects.get(channel=Channel.SMS)
        assert (sms.attempts, sms.last_error) == (attempt, "provider down")
        if attempt < services.MAX_ATTEMPTS:
            assert sms.state == State.QUEUED
            assert sms.next_attempt_at is not None
            wait = sms.next_attempt_at - timezone.now()
            waits.append(round(wait.total_seconds() / 60))
            assert services.deliver_due() == 0  # not due yet: nothing is tried
            assert Message.objects.get(pk=sms.pk).attempts == attempt
            time_machine.travel(sms.next_attempt_at + dt.timedelta(seconds=1), tick=True).start()
    assert waits == [1, 2, 4, 8, 16]
    sms = Message.objects.get(channel=Channel.SMS)
    assert (sms.state, sms.next_attempt_at, sms.last_error) == (State.FAILED, None, "provider down")


def test_a_permanent_failure_fails_at_once(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    switch_on(world.school, Channel.SMS)
    _notify(world)
    monkeypatch.setattr(
        backends.MemoryBackend, "send", lambda self, m: _failing("号码不存在", permanent=True)(m)
    )
    services.deliver_due()
    sms = Message.objects.get(channel=Channel.SMS)
    assert (sms.state, sms.attempts, sms.last_error) == (State.FAILED, 1, "号码不存在")


def test_a_crashing_backend_is_retried_not_lost(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    switch_on(world.school, Channel.SMS)
    _notify(world)

    def crash(self: object, message: Outgoing) -> None:
        raise ConnectionResetError("reset by peer")

    monkeypatch.setattr(backends.MemoryBackend, "send", crash)
    services.deliver_due()
    sms = Message.objects.get(channel=Channel.SMS)
    assert (sms.state, sms.attempts, sms.last_error) == (
        State.QUEUED,
        1,
        "ConnectionResetError: reset by peer",
    )


def test_a_message_whose_worker_died_is_taken_again_after_its_lease(
    world: World, sent: list[Outgoing]
) -> None:
    switch_on(world.school, Channel.SMS)
    _notify(world)
    sms = Message.objects.get(channel=Channel.SMS)
    assert services._claim(sms, timezone.now())  # a worker claims it, then dies before sending
    assert services.deliver_due() == 0  # its lease holds
    with time_machine.travel(timezone.now() + services.LEASE + dt.timedelta(seconds=1), tick=False):
        assert services.deliver_due() == 1
    assert len(sent) == 1
    assert Message.objects.get(pk=sms.pk).attempts == 2


def test_no_sms_in_quiet_hours_held_until_seven(world: World, sent: list[Outgoing]) -> None:
    switch_on(world.school, Channel.SMS)
    switch_on(world.school, Channel.EMAIL)
    Contact.objects.create(user=world.tian, email="tian@example.cn")
    with time_machine.travel(dt.datetime(2026, 11, 21, 21, 45, tzinfo=TZ), tick=False):
        _notify(world)
        assert services.deliver_due() == 1  # the e-mail: no quiet hours for it
    sms = Message.objects.get(channel=Channel.SMS)
    assert (sms.state, sms.next_attempt_at) == (State.HELD, dt.datetime(2026, 11, 22, 7, 0, tzinfo=TZ))
    assert Message.objects.get(channel=Channel.IN_APP, recipient=world.ma).state == State.SENT
    with time_machine.travel(dt.datetime(2026, 11, 22, 6, 59, tzinfo=TZ), tick=False):
        assert services.deliver_due() == 0
    assert sent == []
    with time_machine.travel(dt.datetime(2026, 11, 22, 7, 0, tzinfo=TZ), tick=False):
        assert services.deliver_due() == 1
    assert [m.address for m in sent] == ["13800000001"]
    assert Message.objects.get(pk=sms.pk).state == State.SENT


def test_a_retry_that_falls_in_quiet_hours_is_held(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    switch_on(world.school, Channel.SMS)
    with time_machine.travel(dt.datetime(2026, 11, 21, 21, 29, 30, tzinfo=TZ), tick=False):
        _notify(world)
        monkeypatch.setattr(backends.MemoryBackend, "send", lambda self, m: _failing("busy")(m))
        services.deliver_due()
    monkeypatch.undo()
    with time_machine.travel(dt.datetime(2026, 11, 21, 21, 31, tzinfo=TZ), tick=False):
        assert services.deliver_due() == 0
    sms = Message.objects.get(channel=Channel.SMS)
    assert (sms.state, sms.attempts, sms.next_attempt_at) == (
        State.HELD,
        1,
        dt.datetime(2026, 11, 22, 7, 0, tzinfo=TZ),
    )


@pytest.mark.parametrize(
    ("hour", "minute", "until"),
    [
        (21, 29, None),
        (21, 30, dt.datetime(2026, 11, 22, 7, 0)),
        (23, 59, dt.datetime(2026, 11, 22, 7, 0)),
        (0, 0, dt.datetime(2026, 11, 21, 7, 0)),
        (6, 59, dt.datetime(2026, 11, 21, 7, 0)),
        (7, 0, None),
    ],
)
def test_quiet_hours(hour: int, minute: int, until: dt.datetime | None) -> None:
    moment = dt.datetime(2026, 11, 21, hour, minute, tzinfo=TZ)
    assert services.quiet_until(moment) == (until.replace(tzinfo=TZ) if until else None)
