"""The audit log and the check of the chain: the input and output schemas of `chuangyou.api.routers.audit`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from typing import Any

from ninja import Field, Schema


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
