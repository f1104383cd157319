"""chuangyou write-briefing SCHOOL_CODE --from DATE --to DATE --out FILE.docx [--pdf FILE.pdf]:
number the next 简报 of the year and write it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangyou.lib.errors import ServiceError
from chuangyou.org.models import School
from chuangyou.org.rules import SYSTEM
from chuangyou.reports import briefing as writer
from chuangyou.reports import services


class Command(BaseCommand):
    help = "按活动数据编发下一期工作简报（.docx，可同时输出 PDF）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("school_code")
        parser.add_argument("--from", dest="start", required=True, type=dt.date.fromisoformat)
        parser.add_argument("--to", dest="end", required=True, type=dt.date.fromisoformat)
        parser.add_argument("--title", default="创先争优工作简报")
        parser.add_argument("--supplement", action="store_true", help="增刊，与正刊分开编号")
        parser.add_argument("--bao", default="", help="报")
        parser.add_argument("--song", default="", help="送")
        parser.add_argument("--fa", default="", help="发")
        parser.add_argument("--out", required=True, type=Path)
        parser.add_argument("--pdf", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        school = School.objects.filter(code=options["school_code"]).first()
        if school is None:
            raise CommandError(f"没有代码为 {options['school_code']} 的学校。")
        try:
            issue = services.request_briefing(
                actor=SYSTEM,
                school=school,
                title=options["title"],
                issuer=school.name,
                period_start=options["start"],
                period_end=options["end"],
                is_supplement=options["supplement"],
                distribution={"报": options["bao"], "送": options["song"], "发": options["fa"]},
            )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        options["out"].write_bytes(writer.briefing_docx(issue))
        if options["pdf"]:
            options["pdf"].write_bytes(writer.briefing_files(issue)[1])
        self.stdout.write(f"已写入 {options['out']}（{issue}）")
