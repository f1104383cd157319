"""`chuangyou verify-count BALLOTS.json RESULT.json [--fingerprint FP]`: the stand-alone verifier
(evaluations/verify_count.py) as a command; exit 1 when the files do not check out, 2 when unreadable."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chuangyou.evaluations import verify_count


class Command(BaseCommand):
    help = (
        "核查结果页下载的选票文件和签名结果：校验摘要与签名，按公布的规则重新计票并打印各对象总分；"
        "不一致时以非零状态退出。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs=2, metavar="FILE", help="ballots.json result.json")
        parser.add_argument("--fingerprint", default="", help="学校公开页面上的公钥指纹")

    def handle(self, *args: Any, **options: Any) -> None:
        argv = [*options["files"]]
        if options["fingerprint"]:
            argv += ["--fingerprint", options["fingerprint"]]
        code = verify_count.main(argv, self.stdout)
        if code:
            raise SystemExit(code)
