from collections.abc import Iterator

import pytest

from chuangyou.notifications import backends
from chuangyou.notifications.models import Channel, ChannelSettings
from chuangyou.org.models import School


@pytest.fixture(autouse=True)
def _empty_memory_outbox() -> Iterator[list[backends.Outgoing]]:
    backends.memory_outbox.clear()
    yield backends.memory_outbox
    backends.memory_outbox.clear()


@pytest.fixture
def sent() -> list[backends.Outgoing]:
    """What the SMS and 企业微信 backends sent (NOTIFY_DELIVERY = "memory" in the test settings)."""
    return backends.memory_outbox


def switch_on(school: School, channel: str) -> ChannelSettings:
    return ChannelSettings.objects.create(school=school, channel=channel, enabled=True)


__all__ = ["Channel", "switch_on"]
