"""Delivery runs in the task worker: `notify` queues one sweep when its transaction commits, and a sweep
queues the next one for the earliest retry or the end of the quiet hours."""

from __future__ import annotations

from django_tasks import task

from chuangyou.notifications import services


@task()
def deliver_messages() -> int:
    """Send the messages that are due. Returns how many were sent."""
    return services.deliver_due()
