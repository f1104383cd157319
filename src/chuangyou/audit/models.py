"""The append-only audit log. Each entry's hash covers its content and the previous entry's hash,
so editing or deleting any past entry breaks the chain from that point on (`chuangyou verify-audit`).

There is one chain per school (and chain 0 for bureau-wide entries): writers in different schools never
wait for each other, and each school's supervision group checks and notes the tip of its own chain.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64
BUREAU_CHAIN = 0  # entries that belong to no school


def chain_of(school_id: int | None) -> int:
    return school_id or BUREAU_CHAIN


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(gettext("审计日志只能追加，不能修改。"))

    def delete(self) -> NoReturn:
        raise PermissionError(gettext("审计日志只能追加，不能删除。"))


class AuditEntry(models.Model):
    chain = models.PositiveBigIntegerField(_("链"), default=BUREAU_CHAIN)
    seq = models.PositiveBigIntegerField(_("序号"))
    at = models.DateTimeField(_("时间"), db_index=True)
    school = models.ForeignKey(
        "org.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("操作人"), max_length=120)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=40, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=200)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-seq"]
        indexes = [models.Index(fields=["school", "-seq"], name="audit_school_seq")]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_seq_unique_in_chain")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(gettext("审计日志只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(gettext("审计日志只能追加，不能删除。"))

    def canonical_payload(self) -> str:
        """The exact text the hash covers. Changing this breaks every existing chain: don't."""
        payload = {
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "school": self.school_id,
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "before": self.before,
            "after": self.after,
            "prev": self.prev_hash,
        }
        return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical_payload().encode()).hexdigest()


class AuditHead(models.Model):
    """The row writers of one chain lock to append, holding its tip. It also catches a deleted tail."""

    chain = models.PositiveBigIntegerField(unique=True, default=BUREAU_CHAIN)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"{self.chain}#{self.last_seq} {self.last_hash[:12]}"
