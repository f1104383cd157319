"""One rate limiter, atomic under concurrency.

A limit allows `limit` hits per fixed window of `seconds` for one identity (an address, an account, the
two together). Each hit increments the window's counter and reads it back in one statement, so parallel
requests can never both see "one left":

- on the database, an upsert (`INSERT … ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count`),
  which SQLite (≥ 3.35) and PostgreSQL both run atomically;
- on Redis, when REDIS_URL is set (several web machines), INCR and EXPIRE in one Lua script.

Every limit is a setting (docs/configuration.md); the callers name them in `chuangyou.limits.rules`.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from chuangyou.limits.models import Counter

if TYPE_CHECKING:
    import redis


@dataclass(frozen=True)
class Rate:
    """At most `limit` hits per `seconds` for one identity. `scope` keeps limits apart."""

    scope: str
    limit: int
    seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int  # hits in this window so far, this one included
    retry_after: int  # seconds until the window ends and the count starts again


def _window(rate: Rate, now: float) -> tuple[int, int]:
    """The window's number and the seconds left in it (at least 1)."""
    number = int(now // rate.seconds)
    return number, max(1, math.ceil((number + 1) * rate.seconds - now))


def _key(rate: Rate, ident: str, number: int) -> str:
    # Hashed: the table and Redis hold no addresses or logins, and the key has a fixed length.
    digest = hashlib.sha256(f"{rate.scope}\x00{ident}".encode()).hexdigest()[:40]
    return f"{rate.scope}:{number}:{digest}"


# --- the two stores ----------------------------------------------------------------------------------

_INCR = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""
_DECR = """
if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
"""
REDIS_PREFIX = "chuangyou:limits:"


@cache
def _redis(url: str) -> redis.Redis:
    import redis as redis_lib

    return redis_lib.Redis.from_url(url)


def _redis_url() -> str:
    return str(settings.REDIS_URL or "")


def _table() -> str:
    return connection.ops.quote_name(Counter._meta.db_table)


def _db_incr(key: str, expires_at: float) -> int:
    table = _table()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "count", "expires_at") VALUES (%s, 1, %s) '  # noqa: S608 - names only
            f'ON CONFLICT ("key") DO UPDATE SET "count" = {table}."count" + 1 RETURNING "count"',
            [key, datetime.fromtimestamp(expires_at, tz=UTC)],
        )
        count = int(cursor.fetchone()[0])
        if count == 1:  # a new window opened: sweep the ones that ended
            Counter.objects.filter(expires_at__lt=datetime.fromtimestamp(time.time(), tz=UTC)).delete()
    return count


def _incr(key: str, expires_at: float, ttl: int) -> int:
    url = _redis_url()
    if url:
        return int(_redis(url).eval(_INCR, 1, REDIS_PREFIX + key, ttl))
    return _db_incr(key, expires_at)


def _decr(key: str) -> None:
    url = _redis_url()
    if url:
        _redis(url).eval(_DECR, 1, REDIS_PREFIX + key)
        return
    with transaction.atomic():
        Counter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def _delete(key: str) -> None:
    url = _redis_url()
    if url:
        _redis(url).delete(REDIS_PREFIX + key)
        return
    Counter.objects.filter(key=key).delete()


# --- what callers use --------------------------------------------------------------------------------


def hit(rate: Rate, ident: str) -> Verdict:
    """Count one hit and say whether it is within the limit. Count first, decide after: a refused hit
    counts too, so a flood stays refused until its window ends."""
    now = time.time()
    number, left = _window(rate, now)
    count = _incr(_key(rate, ident, number), expires_at=now + left, ttl=left)
    return Verdict(allowed=count <= rate.limit, count=count, retry_after=left)


def take_back(rate: Rate, ident: str) -> None:
    """Undo one hit of this window: for limits that count only failures, a success gives its hit back."""
    _decr(_key(rate, ident, _window(rate, time.time())[0]))


def clear(rate: Rate, ident: str) -> None:
    """Forget this window's hits for one identity (a good password clears its own account's count)."""
    _delete(_key(rate, ident, _window(rate, time.time())[0]))


def first_use(scope: str, token: str, *, seconds: int) -> bool:
    """True the first time `token` is presented, False on every replay for at least `seconds` (make it
    the token's own lifetime): a one-time form token. Not windowed, so a replay just after a window's
    end is refused too."""
    now = time.time()
    return _incr(_key(Rate(scope=scope, limit=1, seconds=seconds), token, 0), now + seconds, seconds) == 1


def forget_use(scope: str, token: str, *, seconds: int) -> None:
    """Let `token` be used once more (the use it was spent on came to nothing)."""
    _delete(_key(Rate(scope=scope, limit=1, seconds=seconds), token, 0))
