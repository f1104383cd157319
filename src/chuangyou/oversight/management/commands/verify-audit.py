"""`chuangyou verify-audit [--school CODE] [--checkpoint FILE]`: check the audit log's sealed blocks, and
against a checkpoint the supervision group downloaded; exit 1 on any edited, removed or rewritten history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangyou.audit.services import CheckpointError, read_checkpoint, verify_chain
from chuangyou.org.models import School


class Command(BaseCommand):
    help = (
        "校验审计日志（每校一条链）的封存块；给出 --checkpoint 时还与监督小组下载的检查点核对。"
        "发现记录被修改、删除、调换顺序，或末尾被截断、整条链被删除或重算时以非零状态退出。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", help="只校验这所学校（学校代码）的链")
        parser.add_argument("--checkpoint", help="监督小组下载的检查点文件（JSON）")

    def handle(self, *args: Any, **options: Any) -> None:
        school = None
        if options["school"]:
            school = School.objects.filter(code=options["school"]).first()
            if school is None:
                raise CommandError(_("没有代码为 %(code)s 的学校。") % {"code": options["school"]})
        checkpoint = None
        if options["checkpoint"]:
            try:
                checkpoint = read_checkpoint(Path(options["checkpoint"]).read_text(encoding="utf-8"))
            except (OSError, CheckpointError) as exc:
                self.stderr.write(str(exc))
                raise SystemExit(1) from exc
        report = verify_chain(school=school, checkpoint=checkpoint)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            self.stderr.write(
                _("审计日志链已损坏：共校验 %(n)d 条记录，发现 %(p)d 处问题。")
                % {"n": report.checked, "p": len(report.problems)}
            )
            raise SystemExit(1)
        summary = _("审计日志链完整：共 %(n)d 条已封存的记录，%(b)d 个封存块。")
        self.stdout.write(summary % {"n": report.checked, "b": report.blocks})
        if checkpoint is not None:
            self.stdout.write(_("与 %(at)s 的检查点一致。") % {"at": checkpoint.issued_at})
        if report.unsealed:
            self.stdout.write(_("另有 %(n)d 条记录尚未封存（未经校验）。") % {"n": report.unsealed})
        for label, tip in sorted(report.tips.items()):
            self.stdout.write(_("%(chain)s 链尾哈希：%(hash)s") % {"chain": label, "hash": tip})
