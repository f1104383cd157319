"""Whether a task worker is picking up queued work: a page that queued an import, a certificate batch or
a report says so plainly when nothing has taken a task for a while, instead of a bar that never moves."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

WAIT_SECONDS = 30  # a worker polls every second: half a minute unpicked means none is running


def work_waits_unpicked() -> bool:
    """True when a task has waited in the database queue for WAIT_SECONDS with no worker taking it.
    Only the database backend is inspected; with Redis/RQ the operator's own monitoring says it."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    from django_tasks_db.models import DBTaskResult

    since = timezone.now() - dt.timedelta(seconds=WAIT_SECONDS)
    return DBTaskResult.objects.ready().filter(enqueued_at__lt=since).exists()
