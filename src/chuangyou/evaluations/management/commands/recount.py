"""chuangyou recount EVALUATION_ID: recompute from the raw ballots and compare with the published result."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from chuangyou.evaluations import services
from chuangyou.evaluations.models import Evaluation
from chuangyou.lib.errors import ServiceError
from chuangyou.org.rules import SYSTEM


class Command(BaseCommand):
    help = "从原始选票重新计票，并与已公布的结果比对；不一致时退出码为 1。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("evaluation_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        evaluation = Evaluation.objects.select_related("school").filter(pk=options["evaluation_id"]).first()
        if evaluation is None:
            raise CommandError(gettext("没有这项评议。"))
        try:
            outcome = services.recount(actor=SYSTEM, evaluation=evaluation)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        for s in outcome.result["subjects"]:
            self.stdout.write(
                f"{s['rank'] or '—'}\t{s['name']}\t{s['total'] or gettext('无效')}\t{s.get('level') or ''}"
            )
        if outcome.matches is None:
            self.stdout.write(gettext("结果尚未公布，无可比对。"))
        elif outcome.matches:
            self.stdout.write(gettext("重新计票结果与公布结果一致。"))
        else:
            self.stdout.write(gettext("重新计票结果与公布结果不一致："))
            for line in outcome.differences:
                self.stdout.write(f"  {line}")
            sys.exit(1)
