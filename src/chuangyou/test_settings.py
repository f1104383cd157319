"""Settings for the test suite: fast hashing, in-process tasks, a file-backed SQLite test database."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECURE_HTTPS", "0")

from chuangyou.settings import *  # noqa: F403
from chuangyou.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# argon2id's least cost for a ballot passphrase lock, as the MD5 hasher stands in for Argon2 above.
BALLOT_PASSPHRASE_KDF = (1, 8192)
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
NOTIFY_DELIVERY = "memory"  # SMS and 企业微信 into notifications.backends.memory_outbox
# A test that sends through the real Tencent adapter by mistake is refused on this machine, never sent out;
# the adapter's own tests point it at their local server.
TENCENT_SMS_ENDPOINT = "http://127.0.0.1:9"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests read the audit chain right after a write: each commit seals at once (audit/tests/test_pace.py
# covers the timer).
AUDIT_SEAL_INTERVAL = 0.0
# Rate limits count in the test database, which each test rolls back; a test that wants Redis says so.
REDIS_URL = ""
ALLOWED_HOSTS = ["*"]
# Each test process writes uploads into its own temporary folders, removed when it exits.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="chuangyou-test-media-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="chuangyou-test-private-"))

# One test database per test process, so two suites on one machine never share one.
_suffix = os.environ.get("CHUANGYOU_TEST_DB_SUFFIX") or str(os.getpid())
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not :memory:, so that threads in the concurrency tests each get a real connection
    # with WAL and busy_timeout, as in production.
    _test_db = Path(tempfile.gettempdir()) / f"chuangyou-test-{_suffix}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db)}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_chuangyou_{_suffix}"}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="chuangyou-test-static-"))
for _folder in (MEDIA_ROOT, PRIVATE_MEDIA_ROOT, STATIC_ROOT):
    atexit.register(shutil.rmtree, _folder, ignore_errors=True)
WHITENOISE_USE_FINDERS = True
