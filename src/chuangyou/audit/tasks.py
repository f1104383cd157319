"""The task worker seals what the committing writers left: a backlog, or a seal that failed after commit."""

from __future__ import annotations

from django_tasks import task

from chuangyou.audit import services


@task()
def seal_audit() -> int:
    """Seal every chain's unsealed entries. Returns how many were sealed."""
    return services.seal_all()
