"""chuangyou roster-template FILE [--kind students|staff]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chuangyou.roster.files import write_template
from chuangyou.roster.models import Kind


class Command(BaseCommand):
    help = "写出名单导入模板（.xlsx，中文表头）。学生与教职工各用一个文件，因为一次导入只读一种名单。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=[k.value for k in Kind], default=Kind.STUDENTS.value)

    def handle(self, *args: Any, **options: Any) -> None:
        kind = Kind(options["kind"])
        Path(options["file"]).write_bytes(write_template(kind))
        self.stdout.write(f"已写出{kind.label}模板：{options['file']}")
