"""The audit log of a school, and the check of the whole chain. Same rules as the audit pages.

No `from __future__ import annotations` here: ninja must see `Query[AuditQuery]` as a real type.
"""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.api.schemas.audit import AuditEntryOut, AuditQuery, ChainOut
from chuangyou.audit.services import ChainReport
from chuangyou.oversight import selectors

router = Router(tags=["审计日志"])


@router.get("/{code}/audit", response=list[AuditEntryOut], summary="审计日志（新的在前）")
@paginate(Pages, page_size=50)
def list_audit(request: HttpRequest, code: str, filters: Query[AuditQuery]) -> object:
    entries = selectors.audit_entries_for(actor_of(request), school_or_404(code))
    wanted = selectors.AuditFilter(
        actor_id=filters.actor_id,
        actor=filters.actor,
        action=filters.action,
        object_type=filters.object_type,
        object_id=filters.object_id,
        text=filters.q,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return selectors.filter_entries(entries, wanted)


@router.get("/{code}/audit/verify", response=ChainOut, summary="校验审计日志哈希链")
def verify_audit(request: HttpRequest, code: str) -> ChainOut:
    report: ChainReport = selectors.chain_report_for(actor_of(request), school_or_404(code))
    return ChainOut(
        ok=report.ok,
        checked=report.checked,
        problems=report.problems,
        tip_hash=report.tip_hash,
        blocks=report.blocks,
        unsealed=report.unsealed,
    )
