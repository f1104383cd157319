"""The audit log of a school, and the check of the whole chain. Same rules as the audit pages.

No `from __future__ import annotations` here: ninja must see `Query[AuditQuery]` as a real type.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.audit.services import ChainReport
from chuangyou.oversight import selectors

router = Router(tags=["审计日志"])


class AuditQuery(Schema):
    actor_id: int | None = Field(None, description="操作人的账号编号")
    actor: str = Field("", description="操作人姓名或登录名的一部分")
    action: str = Field("", description="操作代码，如 role.grant")
    object_type: str = Field("", description="对象类型，如 org.student")
    object_id: str = Field("", description="对象编号")
    q: str = Field("", description="对象名称的一部分")
    date_from: dt.date | None = Field(None, description="开始日期（含）")
    date_to: dt.date | None = Field(None, description="结束日期（含）")


class AuditEntryOut(Schema):
    seq: int
    at: dt.datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    entry_hash: str = Field(description="记录的哈希（封存时计算；尚未封存时为空）")
    sealed: bool = Field(description="是否已封存进签封的块")

    @staticmethod
    def resolve_sealed(obj: Any) -> bool:
        return obj.block_id is not None


class ChainOut(Schema):
    ok: bool
    checked: int
    problems: list[str]
    tip_hash: str
    blocks: int
    unsealed: int


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
