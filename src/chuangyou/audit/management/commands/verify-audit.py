"""`chuangyou verify-audit`: check the audit chain; exit 1 if any entry was edited or removed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from chuangyou.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计日志的哈希链：发现任何记录被修改或删除时以非零状态退出。"

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            self.stderr.write(
                _("审计日志链已损坏：共校验 %(n)d 条记录，发现 %(p)d 处问题。")
                % {"n": report.checked, "p": len(report.problems)}
            )
            raise SystemExit(1)
        self.stdout.write(_("审计日志链完整：共 %(n)d 条记录。") % {"n": report.checked})
        self.stdout.write(_("链尾哈希：%(hash)s") % {"hash": report.tip_hash})
