import pytest
from django.core.cache import cache

from chuangyou.testing import World, build_world

pytest_plugins = ["chuangyou.e2e_support"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Concurrency tests open up to a hundred connections at once; run them all on one xdist worker
    (with --dist loadgroup) so two of them never add up past the database's connection limit."""
    for item in items:
        if item.get_closest_marker("concurrency"):
            item.add_marker(pytest.mark.xdist_group("concurrency"))


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits and progress live in the cache; one test's counts must not reach the next."""
    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def live_world(transactional_db: None) -> World:
    """The personas, committed, for browser tests against the live server."""
    return build_world()
