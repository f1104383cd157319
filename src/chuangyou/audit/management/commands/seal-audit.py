"""`chuangyou seal-audit`: seal every unsealed audit entry now (after an upgrade, or from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from chuangyou.audit.services import seal_all


class Command(BaseCommand):
    help = "把尚未封存的审计记录封存成块（升级后、或由定时任务运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = seal_all()
        self.stdout.write(_("已封存 %(n)d 条审计记录。") % {"n": sealed})
