"""`chuangyou verify-audit [--school CODE]`: check the audit chains; exit 1 on any edited or removed entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangyou.audit.services import verify_chain
from chuangyou.org.models import School


class Command(BaseCommand):
    help = "校验审计日志的哈希链（每校一条）：发现任何记录被修改或删除时以非零状态退出。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", help="只校验这所学校（学校代码）的链")

    def handle(self, *args: Any, **options: Any) -> None:
        school = None
        if options["school"]:
            school = School.objects.filter(code=options["school"]).first()
            if school is None:
                raise CommandError(_("没有代码为 %(code)s 的学校。") % {"code": options["school"]})
        report = verify_chain(school=school)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            self.stderr.write(
                _("审计日志链已损坏：共校验 %(n)d 条记录，发现 %(p)d 处问题。")
                % {"n": report.checked, "p": len(report.problems)}
            )
            raise SystemExit(1)
        self.stdout.write(_("审计日志链完整：共 %(n)d 条记录。") % {"n": report.checked})
        for label, tip in sorted(report.tips.items()):
            self.stdout.write(_("%(chain)s 链尾哈希：%(hash)s") % {"chain": label, "hash": tip})
