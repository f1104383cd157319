"""The append-only audit log, sealed into keyed blocks.

Writers only append entries: nobody waits on a shared row. Right after a write commits, the committing
process (or the task worker) seals the chain's new entries into a block: the block holds the Merkle root of
its entries' hashes and the previous block's hash, and is keyed with an HMAC whose key is outside the
database (`AUDIT_SEAL_KEY`). Someone who can write the database can edit, delete or reorder entries, but
cannot make a block that verifies; a cut tail or a deleted chain is caught by a checkpoint the supervision
group downloaded earlier (`chuangyou verify-audit --checkpoint FILE`).

There is one chain per school (and chain 0 for bureau-wide entries): each school's supervision group checks
and keeps checkpoints of its own chain.
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
    # The entry's number: one counter for all chains, so appending takes no lock; a school's chain has gaps.
    seq = models.BigAutoField(_("序号"), primary_key=True)
    chain = models.PositiveBigIntegerField(_("链"), default=BUREAU_CHAIN)
    # Few indexes on purpose: every audited write inserts here, and each index is a write more. The
    # log is read a school at a time (audit_school_seq) and narrowed within it; an object's history by
    # audit_object; the sealer finds its work by audit_unsealed.
    at = models.DateTimeField(_("时间"))
    school = models.ForeignKey(
        "org.School", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    actor_label = models.CharField(_("操作人"), max_length=120)
    action = models.CharField(_("操作"), max_length=60)
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象编号"), max_length=40)
    object_repr = models.CharField(_("对象"), max_length=200)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True, default="")  # set by the sealer
    # Set once, when the entry is sealed; the only column that is ever updated. Blocks are looked up by
    # their seq range, never by this column, so it has no index of its own.
    block = models.ForeignKey(
        "AuditBlock",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        db_index=False,
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-seq"]
        indexes = [
            models.Index(fields=["school", "-seq"], name="audit_school_seq"),
            models.Index(fields=["chain", "seq"], name="audit_unsealed", condition=models.Q(block=None)),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(gettext("审计日志只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(gettext("审计日志只能追加，不能删除。"))

    def canonical_payload(self) -> str:
        """The exact text the hash covers. Changing this breaks every existing seal: don't."""
        payload = {
            "seq": self.seq,
            "chain": self.chain,
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
        }
        return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def compute_hash(self) -> str:
        """The entry's leaf hash in its block's Merkle tree (prefixed, so it can't pass for an inner node)."""
        return hashlib.sha256(b"\x00" + self.canonical_payload().encode()).hexdigest()


class AuditBlock(models.Model):
    """A sealed run of one chain's entries: their Merkle root, linked to the previous block, keyed."""

    chain = models.PositiveBigIntegerField(default=BUREAU_CHAIN)
    number = models.PositiveBigIntegerField()  # 1, 2, ... within the chain
    sealed_at = models.DateTimeField()
    first_seq = models.PositiveBigIntegerField()
    last_seq = models.PositiveBigIntegerField()
    seqs = models.JSONField()  # the entries' numbers, in order: a deleted entry is named, not just counted
    root = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    block_hash = models.CharField(max_length=64)  # HMAC over all of the above

    class Meta:
        verbose_name = _("审计封存块")
        constraints = [
            models.UniqueConstraint(fields=["chain", "number"], name="audit_block_unique_in_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}/{self.number} {self.block_hash[:12]}"

    def canonical_payload(self) -> str:
        payload = {
            "chain": self.chain,
            "number": self.number,
            "sealed_at": self.sealed_at.isoformat(timespec="microseconds"),
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "seqs": self.seqs,
            "root": self.root,
            "prev": self.prev_hash,
        }
        return json.dumps(payload, sort_keys=True, separators=(",", ":"))


class AuditHead(models.Model):
    """The row the sealer of one chain try-locks (writers never touch it), holding the last block."""

    chain = models.PositiveBigIntegerField(unique=True, default=BUREAU_CHAIN)
    blocks = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("审计链头")

    def __str__(self) -> str:
        return f"{self.chain}/{self.blocks} {self.last_hash[:12]}"
