"""Roster imports: the same upload → check → confirm as the pages, through the same services."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.api.schemas.roster import RosterImportOut, RosterKindName
from chuangyou.lib.errors import NotFound
from chuangyou.org.rules import can_manage_people, require
from chuangyou.roster import selectors, services
from chuangyou.roster.files import write_template
from chuangyou.roster.models import Kind, RosterImport

router = Router(tags=["名单导入"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post(
    "/{code}/roster-imports",
    response={201: RosterImportOut},
    summary="上传名单（学生或教职工）",
    description=(
        "上传 .xlsx 或 .csv。dry_run 为 true（默认）时只检查并统计，之后用 confirm 写入；"
        "为 false 时检查通过就直接写入。有任何一行出错都不写入。检查在后台进行，用 GET 查询进度与结果。"
    ),
)
def upload(
    request: HttpRequest, code: str, file: File[UploadedFile], dry_run: Form[bool] = True
) -> Status[RosterImport]:
    roster_import = services.upload_roster(
        actor=actor_of(request), school=school_or_404(code), upload=file, apply_when_valid=not dry_run
    )
    roster_import.refresh_from_db()
    return Status(201, roster_import)


@router.get("/{code}/roster-imports", response=list[RosterImportOut], summary="名单导入记录")
@paginate(Pages, page_size=20)
def list_imports(request: HttpRequest, code: str) -> Any:
    return selectors.imports_visible_to(actor_of(request), school_or_404(code))


@router.get(
    "/{code}/roster-imports/{import_id}", response=RosterImportOut, summary="一次名单导入的进度与结果"
)
def get_import(request: HttpRequest, code: str, import_id: int) -> RosterImport:
    return selectors.import_for(actor_of(request), school_or_404(code), import_id)


@router.post(
    "/{code}/roster-imports/{import_id}/confirm", response=RosterImportOut, summary="确认写入检查通过的名单"
)
def confirm(request: HttpRequest, code: str, import_id: int) -> RosterImport:
    actor = actor_of(request)
    roster_import = selectors.import_for(actor, school_or_404(code), import_id)
    return services.confirm_import(actor=actor, roster_import=roster_import)


@router.get(
    "/{code}/roster-imports/{import_id}/error-report",
    summary="下载标注了错误的表格（.xlsx）",
    response={200: None},
)
def error_report(request: HttpRequest, code: str, import_id: int) -> FileResponse:
    roster_import = selectors.import_for(actor_of(request), school_or_404(code), import_id)
    if not roster_import.report:
        raise NotFound(gettext("这次导入没有错误报告。"))
    stem = roster_import.original_name.rsplit(".", 1)[0]
    return FileResponse(
        roster_import.report.open("rb"),
        as_attachment=True,
        filename=f"{stem}-错误报告.xlsx",
        content_type=XLSX,
    )


@router.get("/{code}/roster-template", summary="下载名单导入模板（.xlsx）", response={200: None})
def template(request: HttpRequest, code: str, kind: RosterKindName = "students") -> HttpResponse:
    school = school_or_404(code)
    require(can_manage_people(actor_of(request), school), gettext("只有本校管理员可以导入名单。"))
    chosen = Kind(kind)
    response = HttpResponse(write_template(chosen), content_type=XLSX)
    name = "学生名单模板.xlsx" if chosen == Kind.STUDENTS else "教职工名单模板.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"roster.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response
