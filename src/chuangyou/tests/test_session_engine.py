"""Sessions across several app servers (issue 13): without a shared cache they are read from the
database, so a sign-out on one server ends the session on every other."""

from __future__ import annotations

import os
import subprocess
import sys


def _engine(redis_url: str) -> str:
    env = {**os.environ, "DEBUG": "1", "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "chuangyou.settings"}
    done = subprocess.run(
        [sys.executable, "-c", "from chuangyou import settings; print(settings.SESSION_ENGINE)"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_without_redis_sessions_are_read_from_the_database() -> None:
    assert _engine("") == "django.contrib.sessions.backends.db"


def test_with_redis_the_shared_cache_reads_them_first() -> None:
    assert _engine("redis://127.0.0.1:6379/0") == "django.contrib.sessions.backends.cached_db"
