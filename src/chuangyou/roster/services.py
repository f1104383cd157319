"""Roster uploads from the pages and the API: upload → check (a preview) → confirm → write.

The check and the write run as a background task (`roster.tasks.run_roster_import`), both through
`roster.importing.import_roster`, the same function the `import-roster` command calls. Uploading and
previewing change no school data, so they add nothing to the audit log: the `RosterImport` row is the
record of who uploaded what. The write audits each person it creates or changes.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.lib.errors import Conflict, Invalid, ServiceError
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, actor_for, can_manage_people, require
from chuangyou.roster.files import read_header, write_error_report
from chuangyou.roster.importing import ImportResult, import_roster
from chuangyou.roster.models import RUNNING_STATUSES, RosterImport, Status

logger = logging.getLogger(__name__)

# The page shows the first errors; the annotated workbook has them all.
ERRORS_KEPT = 500
PROGRESS_TTL = 6 * 60 * 60


def progress_key(import_id: int) -> str:
    return f"roster-import:{import_id}:progress"


def _refuse_outsiders(actor: Actor, school: School) -> None:
    require(can_manage_people(actor, school), gettext("只有本校管理员可以导入名单。"))


def upload_roster(
    *, actor: Actor, school: School, upload: UploadedFile, apply_when_valid: bool = False
) -> RosterImport:
    """Keep the file and queue its check. With `apply_when_valid`, a clean file is written at once."""
    _refuse_outsiders(actor, school)
    require(actor.user is not None, gettext("请先登录。"))
    limit = settings.ROSTER_UPLOAD_MAX_BYTES
    size = upload.size or 0
    if size == 0:
        raise Invalid(gettext("文件是空的。"), {"file": [gettext("文件是空的。")]})
    if size > limit:
        message = gettext("文件太大（%(value).1f MB），最大 %(value2).0f MB。请分成几个文件上传。") % {
            "value": size / 1048576,
            "value2": limit / 1048576,
        }
        raise Invalid(message, {"file": [message]})
    name = (upload.name or "roster.xlsx").rsplit("/", 1)[-1][:200]
    try:
        kind = read_header(name, upload)
    except Invalid as exc:
        raise Invalid(exc.message, {"file": [exc.message]}) from exc
    with transaction.atomic():
        roster_import = RosterImport(
            school=school,
            uploaded_by=actor.user,
            original_name=name,
            kind=kind,
            apply_when_valid=apply_when_valid,
        )
        roster_import.file.save(name, upload, save=False)
        roster_import.save()
        _enqueue(roster_import.pk)
    return roster_import


def confirm_import(*, actor: Actor, roster_import: RosterImport) -> RosterImport:
    """Write a previewed import. A second confirm (a double click, another tab) is a Conflict."""
    _refuse_outsiders(actor, roster_import.school)
    if roster_import.status == Status.READY and not roster_import.can_confirm:
        raise Invalid(gettext("名单与现有数据完全一致，无需导入。"))
    with transaction.atomic():
        claimed = RosterImport.objects.filter(pk=roster_import.pk, status=Status.READY).update(
            status=Status.APPLYING, confirmed_by=actor.user, status_changed_at=timezone.now()
        )
        if not claimed:
            raise Conflict(gettext("这份名单已确认过，或尚未检查完毕，请刷新页面。"))
        _enqueue(roster_import.pk)
    roster_import.refresh_from_db()
    return roster_import


def _enqueue(import_id: int) -> None:
    from chuangyou.roster.tasks import run_roster_import

    cache.set(progress_key(import_id), {"phase": "queued", "done": 0, "total": 0}, PROGRESS_TTL)
    transaction.on_commit(lambda: run_roster_import.enqueue(import_id))


def _report_progress(import_id: int) -> Any:
    # Progress goes through the cache, not the database: while the import writes, it holds the one
    # transaction that makes it all-or-nothing, and on SQLite that also holds the only write lock.
    # The cache is shared by the web server and the worker (settings.CACHES), so the page still moves.
    last = [-1]

    def report(phase: str, done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 0
        if percent != last[0] or done == total:
            last[0] = percent
            cache.set(progress_key(import_id), {"phase": phase, "done": done, "total": total}, PROGRESS_TTL)

    return report


def run_import(*, import_id: int) -> RosterImport:
    """The task's body: check, or check and write, the stored file, and keep the outcome on the row."""
    roster_import = RosterImport.objects.select_related("school", "uploaded_by", "confirmed_by").get(
        pk=import_id
    )
    if roster_import.status == Status.PENDING:
        roster_import.status = Status.APPLYING if roster_import.apply_when_valid else Status.CHECKING
    elif roster_import.status != Status.APPLYING:
        return roster_import  # already handled: a task delivered twice does nothing the second time
    roster_import.status_changed_at = timezone.now()
    roster_import.save(update_fields=["status", "status_changed_at"])
    applying = roster_import.status == Status.APPLYING
    # Rights are checked again now, as the person who asked: a seat may have ended since the upload.
    actor = actor_for(roster_import.confirmed_by or roster_import.uploaded_by)
    try:
        with roster_import.file.open("rb") as stream:
            result = import_roster(
                actor=actor,
                school=roster_import.school,
                name=roster_import.original_name,
                stream=stream,
                dry_run=not applying,
                progress=_report_progress(import_id),
            )
    except ServiceError as exc:
        _finish(roster_import, Status.FAILED, message=exc.message)
    except Exception:
        logger.exception("roster import %s failed", import_id)
        _finish(
            roster_import,
            Status.FAILED,
            message=gettext("导入时发生意外错误，没有写入任何数据。请联系系统管理员。"),
        )
    else:
        _keep_result(roster_import, result, applying=applying)
    return roster_import


def _keep_result(roster_import: RosterImport, result: ImportResult, *, applying: bool) -> None:
    roster_import.rows = result.rows
    roster_import.created_count = result.created
    roster_import.updated_count = result.updated
    roster_import.unchanged_count = result.unchanged
    roster_import.details = result.details
    roster_import.ignored_columns = result.ignored_columns
    roster_import.error_count = len(result.errors)
    roster_import.errors = [
        {"row": e.row, "column": e.column, "message": e.message} for e in result.errors[:ERRORS_KEPT]
    ]
    if result.errors:
        report = write_error_report(result.sheet, result.errors)
        roster_import.report.save("errors.xlsx", ContentFile(report), save=False)
        _finish(roster_import, Status.INVALID)
    elif applying:
        _finish(roster_import, Status.DONE)
    else:
        _finish(roster_import, Status.READY)


def _finish(roster_import: RosterImport, status: Status, *, message: str = "") -> None:
    roster_import.status = status
    roster_import.message = message[:300]
    roster_import.finished_at = roster_import.status_changed_at = timezone.now()
    roster_import.save()
    cache.delete(progress_key(roster_import.pk))


STALE_MESSAGE = gettext_lazy("检查或导入中断（服务器可能重启过），没有写入任何数据。请重新上传这份名单。")


def fail_stale_imports(*, school: School, now: dt.datetime | None = None) -> int:
    """Mark failed the school's imports still queued, checking or writing that have not moved for
    ROSTER_STALE_MINUTES: their worker died (a crash, a restart), and the page would otherwise poll
    forever. The write runs in one transaction, so a died write left nothing behind. Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.ROSTER_STALE_MINUTES)
    stale = RosterImport.objects.filter(
        school=school, status__in=RUNNING_STATUSES, status_changed_at__lt=cutoff
    )
    ids = list(stale.values_list("pk", flat=True))
    if not ids:
        return 0
    count = RosterImport.objects.filter(
        pk__in=ids, status__in=RUNNING_STATUSES, status_changed_at__lt=cutoff
    ).update(status=Status.FAILED, message=str(STALE_MESSAGE), finished_at=now, status_changed_at=now)
    for pk in ids:
        cache.delete(progress_key(pk))
    if count:
        logger.warning(
            "roster imports %s of school %s marked failed: no progress since %s", ids, school.pk, cutoff
        )
    return count
