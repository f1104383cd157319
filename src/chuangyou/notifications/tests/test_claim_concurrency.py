"""Two workers never send one message twice: each claims a message with a conditional UPDATE before it
sends it, and only one claim can match."""

import threading

import pytest
from django.db import transaction

from chuangyou.notifications import backends, services
from chuangyou.notifications.backends import Outgoing
from chuangyou.notifications.models import Channel, ChannelSettings, Message, State
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM
from chuangyou.testing import PINNED_TODAY, World, race

PEOPLE = 30
WORKERS = 4


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_racing_workers_send_each_message_exactly_once(
    live_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = live_world
    ChannelSettings.objects.create(school=world.school, channel=Channel.SMS, enabled=True)
    parents = [
        org_services.add_guardian(
            actor=SYSTEM, student=world.student_ming, name=f"家长{i}", phone=f"139{i:08d}", on=PINNED_TODAY
        ).user
        for i in range(PEOPLE)
    ]
    # The commit would start a delivery at once (tests run tasks immediately): leave it to the racers.
    monkeypatch.setattr(services, "_start_delivery", lambda **kw: None)
    with transaction.atomic():
        services.notify(
            school_id=world.school.pk,
            event="test.race",
            key="test.race:1",
            recipients=[p.pk for p in parents if p is not None],
            title="测试",
            channels=[Channel.SMS],
        )
    sends: list[str] = []
    lock = threading.Lock()

    def send(self: object, message: Outgoing) -> None:
        with lock:
            sends.append(message.key)

    monkeypatch.setattr(backends.MemoryBackend, "send", send)
    assert Message.objects.filter(state=State.QUEUED).count() == PEOPLE
    errors = race(WORKERS, lambda i: services.deliver_due())
    assert errors == []
    assert len(sends) == PEOPLE
    assert len(set(sends)) == PEOPLE
    assert set(Message.objects.values_list("state", "attempts")) == {(State.SENT, 1)}
