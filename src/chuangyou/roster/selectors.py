"""Reads of roster imports: only the school's admins see them (they hold children's and parents' details)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext

from chuangyou.lib.errors import NotFound
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, can_manage_people, require
from chuangyou.roster.models import RosterImport
from chuangyou.roster.services import fail_stale_imports, progress_key


def imports_visible_to(actor: Actor, school: School) -> QuerySet[RosterImport]:
    """The school's imports, newest first. An import whose worker died is marked failed first, so the
    list and the import's page say so instead of polling forever."""
    if can_manage_people(actor, school):
        fail_stale_imports(school=school)
        return RosterImport.objects.filter(school=school).select_related("uploaded_by", "confirmed_by")
    return RosterImport.objects.none()


def import_for(actor: Actor, school: School, import_id: int) -> RosterImport:
    require(can_manage_people(actor, school), gettext("只有本校管理员可以查看名单导入。"))
    roster_import = imports_visible_to(actor, school).filter(pk=import_id).first()
    if roster_import is None:
        raise NotFound(gettext("没有这次导入。"))
    roster_import.school = school
    return roster_import


def progress_of(roster_import: RosterImport) -> dict[str, Any]:
    """Where a running import is: phase, rows done, rows in all, and a percentage (None if unknown)."""
    state = cache.get(progress_key(roster_import.pk)) or {}
    done, total = int(state.get("done", 0)), int(state.get("total", 0))
    percent = min(100, int(done * 100 / total)) if total else None
    return {"phase": state.get("phase", "queued"), "done": done, "total": total, "percent": percent}
