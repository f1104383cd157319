"""A running 公示 with one nominee, and a filled-in objection form for it."""

from __future__ import annotations

import datetime as dt

from chuangyou.nominations.forms import new_token
from chuangyou.nominations.models import Nomination, Notice
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.testing import World


def running_notice(world: World) -> tuple[Notice, Nomination]:
    campaign = campaign_of(world)
    nomination = selected(world, award_of(world), campaign)
    notice = notice_for(world, campaign, [nomination], dt.date(2026, 11, 20))
    return notice, nomination


def objection_post(nomination: Nomination) -> dict[str, str]:
    return {
        "nomination": str(nomination.pk),
        "name": "李家长",
        "phone": "13900000009",
        "organization": "",
        "grounds": "该生本学期曾多次缺席志愿服务，与事迹材料不符。",
        "token": new_token(),
        "website": "",
    }
