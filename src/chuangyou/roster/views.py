"""Roster import pages: upload → preview (the check runs in the background) → confirm → result."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.lib.errors import Invalid, NotAllowed, ServiceError
from chuangyou.org.rules import can_manage_people, require
from chuangyou.roster import selectors, services
from chuangyou.roster.files import write_template
from chuangyou.roster.forms import RosterUploadForm
from chuangyou.roster.models import Kind, RosterImport
from chuangyou.web import actor_of, paginate, school_by_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_PER_PAGE = 50


@login_required
def upload(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    require(can_manage_people(actor, school), _("只有本校管理员可以导入名单。"))
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            roster_import = services.upload_roster(
                actor=actor, school=school, upload=form.cleaned_data["file"]
            )
        except NotAllowed:
            raise
        except Invalid as exc:
            form.add_error("file" if "file" in exc.errors else None, exc.message)
        else:
            return redirect("roster:detail", code=school.code, import_id=roster_import.pk)
    history = paginate(request, selectors.imports_visible_to(actor, school), per_page=20)
    return render(request, "roster/upload.html", {"school": school, "form": form, "page": history})


@login_required
def detail(request: HttpRequest, code: str, import_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    roster_import = selectors.import_for(actor, school, import_id)
    errors = Paginator(roster_import.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "school": school,
        "item": roster_import,
        "progress": selectors.progress_of(roster_import) if roster_import.is_running else None,
        "errors": errors,
        "form": RosterUploadForm(),
        "page": errors,
    }
    if request.headers.get("HX-Request"):
        return render(request, "roster/import.html#status", context)
    return render(request, "roster/import.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, code: str, import_id: int) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    roster_import = selectors.import_for(actor, school, import_id)
    try:
        services.confirm_import(actor=actor, roster_import=roster_import)
    except NotAllowed:
        raise
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("roster:detail", code=school.code, import_id=roster_import.pk)


@login_required
def error_report(request: HttpRequest, code: str, import_id: int) -> FileResponse:
    school, actor = school_by_code(code), actor_of(request)
    roster_import = selectors.import_for(actor, school, import_id)
    if not roster_import.report:
        raise Http404(_("这次导入没有错误报告。"))
    return FileResponse(
        roster_import.report.open("rb"),
        as_attachment=True,
        filename=_report_name(roster_import),
        content_type=XLSX,
    )


def _report_name(roster_import: RosterImport) -> str:
    stem = roster_import.original_name.rsplit(".", 1)[0]
    return f"{stem}-{_('错误报告')}.xlsx"


@login_required
def template(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    school, actor = school_by_code(code), actor_of(request)
    require(can_manage_people(actor, school), _("只有本校管理员可以导入名单。"))
    if kind not in Kind.values:
        raise Http404
    chosen = Kind(kind)
    response = HttpResponse(write_template(chosen), content_type=XLSX)
    filename = _("学生名单模板") if chosen == Kind.STUDENTS else _("教职工名单模板")
    response["Content-Disposition"] = _content_disposition(f"{filename}.xlsx")
    return response


def _content_disposition(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"roster.xlsx\"; filename*=UTF-8''{quote(filename)}"
