"""A bureau award sent up by both schools of the test bureau, built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from chuangyou.campaigns.models import Campaign
from chuangyou.nominations import services
from chuangyou.nominations.models import AwardType, Nomination, Notice
from chuangyou.nominations.tests.helpers import campaign_of
from chuangyou.org import services as org_services
from chuangyou.org.models import Student
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import World

STARTS = dt.date(2026, 9, 28)  # five working days over National Day: ends 2026-10-09
DURING = dt.date(2026, 10, 8)
AFTER = dt.date(2026, 10, 20)


def bureau_award(
    world: World, *, unit: str = "bureau", quota: int = 1, send: int | None = 1, ratio: str = "2"
) -> AwardType:
    return services.create_bureau_award_type(
        actor=actor_for(world.ju),
        bureau=world.bureau,
        name="县级优秀学生",
        code="XJ",
        for_kind="student",
        quota_kind="count",
        quota_value=Decimal(quota),
        quota_unit=unit,
        school_send_quota=send if unit == "bureau" else None,
        shortlist_ratio=Decimal(ratio),
    )


@dataclass
class Bureau:
    award: AwardType
    yz: Campaign
    ez: Campaign
    ez_student: Student
    ez_student_2: Student


def scenario(world: World, **kw: object) -> Bureau:
    award = bureau_award(world, **kw)  # type: ignore[arg-type]
    yz = campaign_of(world)
    ez = Campaign.objects.create(school=world.other_school, year=2026, title="2026年创先争优", theme="争先")
    cls = org_services.ensure_class(actor=SYSTEM, school=world.other_school, level=7, number=1)
    ez_students = [
        org_services.create_student(
            actor=SYSTEM,
            school_class=cls,
            student_no=no,
            name=name,
            gender="F",
            guardians=[(f"{name}家长", phone)],
        )
        for no, name, phone in (("E001", "王二中", "13900000001"), ("E002", "李二中", "13900000002"))
    ]
    return Bureau(award, yz, ez, ez_students[0], ez_students[1])


def at_school(world: World, award: AwardType, campaign: Campaign, student: Student) -> Nomination:
    """Nominated and advanced to the school level: yizhong by its working group, erzhong by its admin."""
    ours = campaign.school_id == world.school.pk
    n = services.nominate(
        actor=actor_for(world.wang if ours else world.oscar),
        award=award,
        campaign=campaign,
        student=student,
        story="事迹",
    )
    return services.advance(
        actor=actor_for(world.wang if ours else world.oscar), nomination=n, reason="年级推荐"
    )


def sent_up(world: World, award: AwardType, campaign: Campaign, student: Student) -> Nomination:
    n = at_school(world, award, campaign, student)
    ours = campaign.school_id == world.school.pk
    return services.advance(
        actor=actor_for(world.bella) if ours else SYSTEM, nomination=n, reason="学校报送教育局"
    )


def bureau_notice(world: World, noms: list[Nomination]) -> Notice:
    return services.publish_bureau_notice(
        actor=actor_for(world.ju),
        bureau=world.bureau,
        year=2026,
        title="2026年度县级优秀学生评选结果公示",
        basis="《示例县2026年创先争优表彰办法》",
        starts_on=STARTS,
        office="县教育局监督室",
        phone="0731-7654321",
        address="县教育局三楼",
        nominations=noms,
        today=STARTS,  # published that day
    )
