"""Shared setup for nomination and honor tests, built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from chuangyou.campaigns.models import Campaign, ResourceLine
from chuangyou.nominations import services
from chuangyou.nominations.models import AwardType, Nomination, Notice
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import World


def campaign_of(world: World) -> Campaign:
    return Campaign.objects.create(school=world.school, year=2026, title="2026年创先争优", theme="争先创优")


def funds_line(campaign: Campaign, amount: str = "1000") -> ResourceLine:
    return ResourceLine.objects.create(
        school=campaign.school, campaign=campaign, kind="funds", name="表彰奖金", amount=Decimal(amount)
    )


def award_of(
    world: World, *, quota: int = 2, prize: str = "0", line: ResourceLine | None = None
) -> AwardType:
    return services.create_award_type(
        actor=SYSTEM,
        school=world.school,
        name="优秀学生干部",
        code="GB",
        level="school",
        for_kind="student",
        quota_kind="count",
        quota_value=Decimal(quota),
        quota_unit="class",
        shortlist_ratio=Decimal("1.2"),
        prize=Decimal(prize),
        budget_line=line,
    )


def selected(world: World, award: AwardType, campaign: Campaign, student=None) -> Nomination:  # type: ignore[no-untyped-def]
    n = services.nominate(
        actor=actor_for(world.hu),
        award=award,
        campaign=campaign,
        student=student or world.student_xiao,
        story="事迹",
    )
    n = services.advance(actor=actor_for(world.wang), nomination=n, reason="年级推荐")
    return services.select(actor=actor_for(world.bella), nomination=n, reason="校评审通过")


def notice_for(world: World, campaign: Campaign, noms: list[Nomination], starts_on: dt.date) -> Notice:
    return services.publish_notice(
        actor=actor_for(world.wang),
        campaign=campaign,
        title="2026年度优秀学生干部评选结果公示",
        basis="《2026年创先争优活动实施方案》",
        starts_on=starts_on,
        office="监督小组办公室",
        phone="0731-1234567",
        address="学校行政楼201",
        nominations=noms,
        today=starts_on,  # published that day
    )
