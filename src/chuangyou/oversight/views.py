from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangyou.audit.display import describe
from chuangyou.audit.export import audit_workbook
from chuangyou.audit.models import AuditEntry, chain_of
from chuangyou.audit.services import CheckpointError, read_checkpoint, seal_pending
from chuangyou.org.models import School
from chuangyou.oversight import selectors
from chuangyou.oversight.forms import AuditFilterForm
from chuangyou.web import actor_of, paginate, school_by_code

MAX_CHECKPOINT_BYTES = 64 * 1024  # a checkpoint is well under 1 KB
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request: HttpRequest, school: School) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    """The filter form bound to the query string, and the entries it selects (none while it has errors)."""
    entries = selectors.audit_entries_for(actor_of(request), school)
    form = AuditFilterForm(
        request.GET or None,
        actions=selectors.actions_in(entries),
        object_types=selectors.object_types_in(entries),
    )
    if not form.is_bound:
        return form, entries
    if not form.is_valid():
        return form, entries.none()
    return form, selectors.filter_entries(entries, form.to_filter())


@login_required
def log(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    form, entries = _filtered(request, school)
    page = paginate(request, entries)
    context = {
        "school": school,
        "form": form,
        "page": page,
        "rows": [describe(entry) for entry in page.object_list],
        "filtered": form.is_bound,
        "query": request.GET.urlencode(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "oversight/log.html#rows", context)
    return render(request, "oversight/log.html", context)


@login_required
def export(request: HttpRequest, code: str) -> HttpResponse:
    school = school_by_code(code)
    _form, entries = _filtered(request, school)
    now = timezone.localtime()
    title = _("%(school)s 审计日志，导出于 %(time)s") % {
        "school": school.name,
        "time": now.strftime("%Y-%m-%d %H:%M"),
    }
    body = audit_workbook(entries.iterator(chunk_size=2000), title=title)
    response = HttpResponse(body, content_type=XLSX)
    filename = f"audit-{school.code}-{now:%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Check the chain; a POST with a checkpoint file checks it against that checkpoint too."""
    school = school_by_code(code)
    actor = actor_of(request)
    checkpoint, checkpoint_error = None, ""
    upload = request.FILES.get("checkpoint") if request.method == "POST" else None
    if upload is not None:
        try:
            checkpoint = read_checkpoint(upload.read(MAX_CHECKPOINT_BYTES).decode("utf-8", "replace"))
        except CheckpointError as exc:
            checkpoint_error = str(exc)
    report = selectors.chain_report_for(actor, school, checkpoint)
    context = {
        "school": school,
        "report": report,
        "checkpoint": checkpoint,
        "checkpoint_error": checkpoint_error,
    }
    if request.headers.get("HX-Request"):
        return render(request, "oversight/verify.html#result", context)
    return render(request, "oversight/verify.html", context)


@login_required
def checkpoint(request: HttpRequest, code: str) -> HttpResponse:
    """Download a signed checkpoint of the school's chain, sealing its latest entries first."""
    school = school_by_code(code)
    actor = actor_of(request)
    selectors.checkpoint_for(actor, school)  # refuses before anything is sealed
    seal_pending(chain=chain_of(school.pk))
    body = selectors.checkpoint_for(actor, school).to_json()
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"audit-checkpoint-{school.code}-{timezone.localtime():%Y%m%d-%H%M%S}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
