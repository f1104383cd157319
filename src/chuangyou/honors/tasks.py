"""Batch certificates in the background: a notice's 200 certificates take longer than a request should."""

from __future__ import annotations

from django_tasks import task

from chuangyou.honors import services


@task()
def build_batch(batch_id: int) -> str:
    return str(services.write_batch(batch_id=batch_id).status)
