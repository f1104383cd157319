"""Background work for roster imports: a 50,000-row file takes longer than a page request should."""

from __future__ import annotations

from django_tasks import task

from chuangyou.roster import services


@task()
def run_roster_import(import_id: int) -> str:
    """Check an uploaded roster, or write a confirmed one. Returns the import's final status."""
    return str(services.run_import(import_id=import_id).status)
