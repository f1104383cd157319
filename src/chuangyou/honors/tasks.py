"""Batch certificates in the background: a notice's 200 certificates take longer than a request should."""

from __future__ import annotations

from django_tasks import task

from chuangyou.honors import services
from chuangyou.lib.site import serving


@task()
def build_batch(batch_id: int, base_url: str = "") -> str:
    """`base_url`: the address the batch was asked from, for the certificates' QR codes."""
    with serving(base_url):
        return str(services.write_batch(batch_id=batch_id).status)
