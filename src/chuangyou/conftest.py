from collections.abc import Iterator

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from chuangyou.audit.guard import WriteGuard
from chuangyou.testing import PINNED_NOW, World, build_world

pytest_plugins = ["chuangyou.e2e_support"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Concurrency tests open up to a hundred connections at once; run them all on one xdist worker
    (with --dist loadgroup) so two of them never add up past the database's connection limit."""
    for item in items:
        if item.get_closest_marker("concurrency"):
            item.add_marker(pytest.mark.xdist_group("concurrency"))
        # Every test's requests are guarded (audit/guard.py), except the browser tests': their requests run
        # in the live server's thread, on a connection the guard doesn't watch.
        if not item.get_closest_marker("e2e") and "audited_writes" not in getattr(item, "fixturenames", ()):
            item.fixturenames.append("audited_writes")  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _pinned_clock() -> Iterator[None]:
    """Every test starts at PINNED_NOW, so it reads the same on any day of the year; the clock still
    ticks, so timeouts and rate windows move. Tests that need another moment nest their own travel."""
    with time_machine.travel(PINNED_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Import progress lives in the cache; one test's must not reach the next. (Rate limits count in the
    database, rolled back with each test.)"""
    cache.clear()


@pytest.fixture(autouse=True)
def _chinese_first() -> Iterator[None]:
    """Every test starts in the default language. The locale middleware activates a request's language
    for the thread and leaves it there; after a page in English, a service's message would otherwise
    come out in English in whichever test runs next in that worker."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def live_world(transactional_db: None) -> World:
    """The personas, committed, for browser tests against the live server."""
    return build_world()


@pytest.fixture
def audited_writes() -> Iterator[WriteGuard]:
    """Fail the test if a request it makes writes outside a service or through a selector, or a service
    writes without an audit entry (chuangyou/audit/guard.py; the exceptions are its UNAUDITED list).
    Used by every test but the browser tests (see pytest_collection_modifyitems)."""
    guard = WriteGuard()
    with guard.installed():
        yield guard
    if guard.problems:
        pytest.fail("unaudited writes:\n" + "\n".join(guard.problems), pytrace=False)
