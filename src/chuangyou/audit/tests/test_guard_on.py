"""The write guard (audit/guard.py) is on in an ordinary test, with no marker or fixture asked for."""

import pytest

from chuangyou.audit.guard import WriteGuard
from chuangyou.testing import World


def test_every_test_is_guarded(world: World, request: pytest.FixtureRequest) -> None:
    assert "audited_writes" in request.fixturenames
    guard = request.getfixturevalue("audited_writes")
    assert isinstance(guard, WriteGuard)
    world.client("alice").get("/")
    assert guard.requests == ["GET /"]
    assert guard.problems == []
