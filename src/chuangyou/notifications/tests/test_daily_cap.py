"""A cap per person per channel per day: the rest are folded into one digest the next morning."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from chuangyou.notifications import services
from chuangyou.notifications.backends import Outgoing
from chuangyou.notifications.models import Channel, Message, State
from chuangyou.notifications.tests.conftest import switch_on
from chuangyou.testing import PINNED_NOW, World

TZ = PINNED_NOW.tzinfo


def _sms(world: World, n: int) -> None:
    with transaction.atomic():
        services.notify(
            school_id=world.school.pk,
            event="test",
            key=f"test:{n}",
            recipients=[world.ma.pk],
            title=f"第 {n} 条",
            channels=[Channel.SMS],
        )


@override_settings(NOTIFY_DAILY_CAP=2)
def test_over_the_cap_waits_for_the_next_mornings_digest(world: World, sent: list[Outgoing]) -> None:
    switch_on(world.school, Channel.SMS)
    with time_machine.travel(dt.datetime(2026, 11, 21, 10, 0, tzinfo=TZ), tick=False):
        for n in range(1, 6):
            _sms(world, n)
        assert services.deliver_due() == 2
    assert [m.title for m in sent] == ["第 1 条", "第 2 条"]
    folded = Message.objects.filter(folded=True)
    assert set(folded.values_list("state", "next_attempt_at")) == {
        (State.HELD, dt.datetime(2026, 11, 22, 7, 0, tzinfo=TZ))
    }
    assert folded.count() == 3
    with time_machine.travel(dt.datetime(2026, 11, 22, 6, 59, tzinfo=TZ), tick=False):
        assert services.deliver_due() == 0
    with time_machine.travel(dt.datetime(2026, 11, 22, 7, 0, tzinfo=TZ), tick=False):
        assert services.deliver_due() == 1
        assert services.deliver_due() == 0  # one digest, however many sweeps
    assert len(sent) == 3
    assert sent[2].title == "您还有 3 条通知，请到创优的站内消息查看"
    assert sent[2].url.endswith("/inbox/")
    digest = Message.objects.get(event=services.DIGEST_EVENT)
    assert digest.state == State.SENT
    assert set(Message.objects.filter(folded=True).values_list("state", "digest_id")) == {
        (State.SENT, digest.pk)
    }


@override_settings(NOTIFY_DAILY_CAP=2)
def test_the_cap_counts_per_day(world: World, sent: list[Outgoing]) -> None:
    switch_on(world.school, Channel.SMS)
    with time_machine.travel(dt.datetime(2026, 11, 21, 20, 0, tzinfo=TZ), tick=False):
        _sms(world, 1)
        _sms(world, 2)
        services.deliver_due()
    with time_machine.travel(dt.datetime(2026, 11, 22, 8, 0, tzinfo=TZ), tick=False):
        _sms(world, 3)
        assert services.deliver_due() == 1
    assert [m.title for m in sent] == ["第 1 条", "第 2 条", "第 3 条"]


@pytest.mark.parametrize(
    ("moment", "morning"),
    [
        (dt.datetime(2026, 11, 21, 10, 0), dt.datetime(2026, 11, 22, 7, 0)),
        (dt.datetime(2026, 11, 21, 0, 30), dt.datetime(2026, 11, 22, 7, 0)),
    ],
)
def test_next_morning(moment: dt.datetime, morning: dt.datetime) -> None:
    assert services.next_morning(moment.replace(tzinfo=TZ)) == morning.replace(tzinfo=TZ)
