import pytest
from django.core.cache import cache

from chuangyou.testing import World, build_world

pytest_plugins = ["chuangyou.e2e_support"]


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
