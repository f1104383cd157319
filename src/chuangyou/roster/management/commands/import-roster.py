"""chuangyou import-roster FILE --school CODE [--dry-run] [--error-report OUT.xlsx]"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangyou.lib.errors import ServiceError
from chuangyou.org.models import School
from chuangyou.org.rules import SYSTEM
from chuangyou.roster.files import write_error_report
from chuangyou.roster.importing import import_roster
from chuangyou.roster.models import DETAIL_LABELS, Kind


class Command(BaseCommand):
    help = "导入学生或教职工名单（.xlsx 或 .csv）。有任何一行出错则不写入任何数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--school", required=True, help="学校代码")
        parser.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入")
        parser.add_argument(
            "--error-report", type=Path, help="有错误时，把标注了错误的表格写到这个 .xlsx 文件"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        school = School.objects.filter(code=options["school"]).first()
        if school is None:
            raise CommandError(f"没有代码为 {options['school']} 的学校。")
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}。")

        def progress(phase: str, done: int, total: int) -> None:
            if options["verbosity"] > 1 and total:
                sys.stderr.write(f"\r{phase} {done}/{total}")

        try:
            with path.open("rb") as stream:
                result = import_roster(
                    actor=SYSTEM,
                    school=school,
                    name=path.name,
                    stream=stream,
                    dry_run=options["dry_run"],
                    progress=progress,
                )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc

        kind = Kind(result.kind).label
        self.stdout.write(
            f"{school.name} · {kind}：共 {result.rows} 行，新增 {result.created}，变更 {result.updated}，"
            f"未变 {result.unchanged}，错误 {len(result.errors)}。"
        )
        for key, value in result.details.items():
            if value:
                self.stdout.write(f"  {DETAIL_LABELS.get(key, key)}：{value}")
        if result.ignored_columns:
            self.stdout.write("已忽略的列：" + "、".join(result.ignored_columns))
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"第 {error.row} 行 · {error.column}：{error.message}")
            if options["error_report"]:
                report = Path(options["error_report"])
                report.write_bytes(write_error_report(result.sheet, result.errors))
                self.stderr.write(f"标注了错误的表格已写到 {report}。")
            raise CommandError("名单有错误，没有写入任何数据。请改正后重新导入。")
        if result.applied:
            self.stdout.write(self.style.SUCCESS("导入完成。"))
        elif options["dry_run"]:
            self.stdout.write("（试运行：没有写入任何数据。）")
        else:
            self.stdout.write("名单与现有数据一致，没有需要写入的内容。")
