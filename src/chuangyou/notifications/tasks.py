"""Delivery runs in the task worker: `notify` queues one sweep when its transaction commits, and a sweep
queues the next one for the earliest retry or the end of the quiet hours."""

from __future__ import annotations

from django_tasks import task

from chuangyou.lib.site import serving
from chuangyou.notifications import services


@task()
def deliver_messages(base_url: str = "") -> int:
    """Send the messages that are due. `base_url`: the address the queueing request came to, for the
    links (SITE_URL wins when set). Returns how many were sent."""
    with serving(base_url):
        return services.deliver_due()
