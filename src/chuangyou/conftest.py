import pytest

from chuangyou.testing import World, build_world

pytest_plugins = ["chuangyou.e2e_support"]


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def live_world(transactional_db: None) -> World:
    """The personas, committed, for browser tests against the live server."""
    return build_world()
