"""Background work: documents take seconds to write (and a PDF longer), more than a page should wait."""

from __future__ import annotations

from django_tasks import task

from chuangyou.reports import services


@task()
def write_document(document_id: int) -> str:
    return str(services.write_document(document_id=document_id).state)
