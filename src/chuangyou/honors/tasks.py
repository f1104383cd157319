"""Batch certificates in the background: a notice's 200 certificates take longer than a request should."""

from __future__ import annotations

import io
import zipfile

from django.core.files.base import ContentFile
from django_tasks import task

from chuangyou.honors import certificates
from chuangyou.honors.models import BatchStatus, CertificateBatch, Honor
from chuangyou.honors.services import certificate_data, seal_png


@task()
def build_batch(batch_id: int) -> str:
    batch = CertificateBatch.objects.select_related("school").get(pk=batch_id)
    CertificateBatch.objects.filter(pk=batch_id).update(status=BatchStatus.RUNNING)
    honors = list(
        Honor.objects.filter(nomination__notice_id=batch.notice_id)
        .select_related("award_type", "school")
        .order_by("award_type_id", "serial")
    )
    seal = seal_png(batch.school)
    try:
        if batch.as_zip:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
                for i, honor in enumerate(honors, 1):
                    zf.writestr(f"{honor.number}.pdf", certificates.render([certificate_data(honor)], seal))
                    CertificateBatch.objects.filter(pk=batch_id).update(done=i)
            content, name = out.getvalue(), f"certificates-{batch.notice_id}.zip"
        else:
            items = []
            for i, honor in enumerate(honors, 1):
                items.append(certificate_data(honor))
                CertificateBatch.objects.filter(pk=batch_id).update(done=i)
            content, name = certificates.render(items, seal), f"certificates-{batch.notice_id}.pdf"
    except Exception as exc:
        CertificateBatch.objects.filter(pk=batch_id).update(status=BatchStatus.FAILED, error=str(exc)[:300])
        raise
    batch.refresh_from_db()
    batch.file.save(name, ContentFile(content), save=False)
    batch.status, batch.done = BatchStatus.DONE, len(honors)
    batch.save(update_fields=["file", "status", "done"])
    return str(batch.status)
