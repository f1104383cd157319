"""chuangyou write-summary CAMPAIGN_ID --out FILE.docx: the 总结 of a campaign, written from the data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chuangyou.campaigns.models import Campaign
from chuangyou.org.rules import SYSTEM
from chuangyou.reports.documents import summary_for


class Command(BaseCommand):
    help = "按活动数据生成活动总结（.docx，GB/T 9704 版式）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign_id", type=int)
        parser.add_argument("--out", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = Campaign.objects.select_related("school").filter(pk=options["campaign_id"]).first()
        if campaign is None:
            raise CommandError(f"没有编号为 {options['campaign_id']} 的活动方案。")
        out: Path = options["out"]
        out.write_bytes(summary_for(SYSTEM, campaign))
        self.stdout.write(f"已写入 {out}（{campaign.school.name} {campaign.year} 年度活动总结）")
