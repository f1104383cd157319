"""Building commitments through the services, as the people would."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from chuangyou.campaigns import services as campaign_services
from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import services
from chuangyou.commitments.models import Commitment
from chuangyou.org.models import Staff
from chuangyou.org.rules import actor_for
from chuangyou.testing import World

DEADLINE = dt.date(2099, 12, 31)
ITEMS = [
    ("study", "每月精读一本教育专著", "写读书笔记并在教研组分享"),
    ("work", "所带班级数学平均分提高 5 分", "每周两次课后辅导"),
    ("discipline", "不接受家长任何礼品", "在家长会上公开承诺"),
    ("service", "结对帮扶两名学困生", "每周谈心一次"),
]


def make_campaign(world: World) -> Campaign:
    return campaign_services.create_campaign(
        actor=actor_for(world.alice),
        school=world.school,
        year=timezone.localdate().year,
        title="示例县第一中学创先争优活动实施方案",
        theme="树先锋",
    )


def staff_of(world: World, name: str) -> Staff:
    return Staff.objects.get(user=world.persona(name))


def draft(world: World, campaign: Campaign, name: str = "wang", count: int = 2) -> Commitment:
    actor = actor_for(world.persona(name))
    commitment = services.declare(actor=actor, campaign=campaign, staff=staff_of(world, name))
    for category, content, measures in ITEMS[:count]:
        services.add_item(
            actor=actor,
            commitment=commitment,
            category=category,
            content=content,
            measures=measures,
            deadline=DEADLINE,
        )
    return commitment


def published(world: World, campaign: Campaign, name: str = "wang", count: int = 2) -> Commitment:
    commitment = draft(world, campaign, name, count)
    services.submit(actor=actor_for(world.persona(name)), commitment=commitment)
    return services.publish(actor=actor_for(world.bella), commitment=commitment)


def branch_published(world: World, campaign: Campaign, count: int = 10) -> Commitment:
    bella = actor_for(world.bella)
    commitment = services.declare(actor=bella, campaign=campaign, branch=world.branch)
    for i in range(count):
        services.add_item(
            actor=bella,
            commitment=commitment,
            category="work",
            content=f"支部承诺第 {i + 1} 条",
            measures="按月落实",
            deadline=DEADLINE,
        )
    services.submit(actor=bella, commitment=commitment)
    return services.publish(actor=bella, commitment=commitment)
