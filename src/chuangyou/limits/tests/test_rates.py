"""The limiter itself: fixed windows, counting, giving back, one-time tokens; on the database and on Redis."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from chuangyou.limits import rates
from chuangyou.limits.models import Counter
from chuangyou.limits.rates import Rate, Verdict

AT = dt.datetime(2026, 11, 21, 9, 0, 15, tzinfo=ZoneInfo("Asia/Shanghai"))


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url("redis://127.0.0.1:6379/15").ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["database", "redis"])
def store(request: pytest.FixtureRequest, db: None) -> Iterator[str]:
    if request.param == "database":
        with override_settings(REDIS_URL=""):
            yield "database"
        return
    if not _redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379")
    with override_settings(REDIS_URL="redis://127.0.0.1:6379/15"):
        yield "redis"


def fresh(limit: int, seconds: int = 60) -> Rate:
    # Each test its own scope, so Redis keys never meet another run's.
    return Rate(f"test-{uuid.uuid4().hex[:8]}", limit, seconds)


def test_hits_past_the_limit_are_refused_until_the_window_ends(store: str) -> None:
    rate = fresh(3)
    with time_machine.travel(AT, tick=False) as clock:
        verdicts = [rates.hit(rate, "10.0.0.1") for _ in range(5)]
        assert verdicts == [
            Verdict(True, 1, 45),
            Verdict(True, 2, 45),
            Verdict(True, 3, 45),
            Verdict(False, 4, 45),
            Verdict(False, 5, 45),
        ]
        assert rates.hit(rate, "10.0.0.2") == Verdict(True, 1, 45)  # another identity, its own count
        clock.shift(44)
        assert rates.hit(rate, "10.0.0.1") == Verdict(False, 6, 1)
        clock.shift(1)  # 09:01:00, a new window
        assert rates.hit(rate, "10.0.0.1") == Verdict(True, 1, 60)


def test_take_back_and_clear(store: str) -> None:
    rate = fresh(2)
    with time_machine.travel(AT, tick=False):
        rates.hit(rate, "a")
        rates.hit(rate, "a")
        rates.take_back(rate, "a")
        assert rates.hit(rate, "a").count == 2
        rates.clear(rate, "a")
        assert rates.hit(rate, "a").count == 1
        rates.take_back(rate, "never-seen")  # nothing to give back: no error, no negative count
        assert rates.hit(rate, "never-seen").count == 1


def test_a_one_time_token_is_refused_on_replay_even_in_a_later_window(store: str) -> None:
    scope = fresh(1).scope
    with time_machine.travel(AT, tick=False) as clock:
        assert rates.first_use(scope, "token-1", seconds=3600) is True
        assert rates.first_use(scope, "token-1", seconds=3600) is False
        assert rates.first_use(scope, "token-2", seconds=3600) is True
        clock.shift(3000)  # a fixed window of an hour would have turned over at 10:00
        assert rates.first_use(scope, "token-1", seconds=3600) is False
        rates.forget_use(scope, "token-2", seconds=3600)
        assert rates.first_use(scope, "token-2", seconds=3600) is True


def test_the_database_keeps_hashes_and_sweeps_ended_windows(db: None) -> None:
    rate = fresh(5)
    with override_settings(REDIS_URL=""), time_machine.travel(AT, tick=False) as clock:
        rates.hit(rate, "10.9.8.7")
        [row] = Counter.objects.filter(key__startswith=rate.scope)
        assert "10.9.8.7" not in row.key
        assert row.count == 1
        assert row.expires_at == dt.datetime(2026, 11, 21, 9, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
        clock.shift(120)
        rates.hit(rate, "10.9.8.7")  # opens a new window, which sweeps the old one
        assert list(Counter.objects.filter(key__startswith=rate.scope).values_list("count", flat=True)) == [1]
