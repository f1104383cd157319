"""The demo's campaigns, written through the campaign services like any school's.

昭陵中学 gets its 2012 plan as the seed wrote it (three stages), and this school year's plan with the
four default stages, 分工 and resources, so the pages have something current to show. The second
school gets this year's plan only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from chuangyou.campaigns import services as plans
from chuangyou.campaigns.models import Campaign, ResourceKind
from chuangyou.org.models import School, Staff
from chuangyou.org.rules import SYSTEM

from . import plan_2012
from .clock import campaign_year, moved

# This school year's stages: (name, start, end, main work).
STAGES_2026 = (
    (
        "动员部署",
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 30),
        "召开动员大会，制定方案，成立领导小组、工作小组和监督小组，做好宣传发动。",
    ),
    (
        "全面争创",
        dt.date(2026, 10, 1),
        dt.date(2027, 3, 31),
        "开展学科竞赛、文体活动、科技创新、志愿服务、每周一练和好书推荐；党支部和党员公开承诺、践诺。",
    ),
    (
        "对标定位",
        dt.date(2027, 4, 1),
        dt.date(2027, 5, 31),
        "对照“五个好”“五个模范”查找差距，开展民主测评，层层推荐先进典型并公示。",
    ),
    (
        "总结完善",
        dt.date(2027, 6, 1),
        dt.date(2027, 7, 10),
        "表彰先进，举办成果展示，撰写总结，把行之有效的做法形成长效机制。",
    ),
)

ASSIGNMENTS_2026 = (
    # (title, 工号 of the person in charge, deadline, stage index, done on)
    ("召开创先争优动员大会", "T0001", dt.date(2026, 9, 10), 0, dt.date(2026, 9, 9)),
    ("制定并印发活动实施方案", "T0005", dt.date(2026, 9, 20), 0, dt.date(2026, 9, 18)),
    ("党支部和党员公开承诺", "T0001", dt.date(2026, 10, 31), 1, None),
    ("组织秋季学科竞赛", "T0006", dt.date(2026, 11, 15), 1, None),
    ("启动“每周一练”", "T0006", dt.date(2026, 10, 15), 1, dt.date(2026, 10, 12)),
    ("社区志愿服务活动", "T0007", dt.date(2026, 12, 20), 1, None),
    ("民主测评与对标定位", "T0011", dt.date(2027, 5, 20), 2, None),
    ("撰写活动总结", "T0005", dt.date(2027, 7, 5), 3, None),
)  # fmt: skip

RESOURCES_2026 = (
    (ResourceKind.VENUE, "学校礼堂", "动员大会、表彰大会", None),
    (ResourceKind.VENUE, "科技楼创客教室", "创新项目与科技活动", None),
    (ResourceKind.SUPPLIES, "荣誉证书与奖杯", "约 300 份", None),
    (ResourceKind.SUPPLIES, "宣传展板", "20 块", None),
    (ResourceKind.FUNDS, "活动奖励经费", "", Decimal("30000.00")),
    (ResourceKind.FUNDS, "宣传与展示经费", "", Decimal("8000.00")),
)


def _reshape_phases(campaign: Campaign, stages: tuple[tuple[str, dt.date, dt.date, str], ...]) -> None:
    """Replace the default phases with `stages`. Down to one first, so no step overlaps another."""
    phases = list(campaign.phases.order_by("order"))
    for phase in phases[1:]:
        plans.delete_phase(actor=SYSTEM, phase=phase)
    name, starts_on, ends_on, work = stages[0]
    plans.update_phase(
        actor=SYSTEM, phase=phases[0], name=name, starts_on=starts_on, ends_on=ends_on, description=work
    )
    for name, starts_on, ends_on, work in stages[1:]:
        plans.add_phase(
            actor=SYSTEM, campaign=campaign, name=name, starts_on=starts_on, ends_on=ends_on, description=work
        )


def _plan_2012(school: School) -> None:
    campaign = plans.create_campaign(
        actor=SYSTEM,
        school=school,
        year=2012,
        title=plan_2012.TITLE,
        theme=plan_2012.THEME,
        goals=plan_2012.GOALS,
        principles=plan_2012.PRINCIPLES,
    )
    stages = tuple(
        (name, dt.date(*start), dt.date(*end), work) for name, start, end, work in plan_2012.STAGES_2012
    )
    _reshape_phases(campaign, stages)


def _plan_2026(school: School, *, with_work: bool) -> None:
    campaign = plans.create_campaign(
        actor=SYSTEM,
        school=school,
        year=campaign_year(),
        title=f"{school.name}{campaign_year()}—{campaign_year() + 1}学年创先争优活动实施方案",
        theme=plan_2012.THEME,
        goals=plan_2012.GOALS,
        principles=plan_2012.PRINCIPLES,
    )
    _reshape_phases(
        campaign, tuple((name, moved(start), moved(end), work) for name, start, end, work in STAGES_2026)
    )
    if not with_work:
        return
    phases = list(campaign.phases.order_by("order"))
    for title, staff_no, deadline, stage, done_on in ASSIGNMENTS_2026:
        assignment = plans.create_assignment(
            actor=SYSTEM,
            campaign=campaign,
            title=title,
            owner=Staff.objects.get(school=school, staff_no=staff_no),
            deadline=moved(deadline),
            phase=phases[stage],
        )
        if done_on is not None:
            plans.complete_assignment(actor=SYSTEM, assignment=assignment, on=moved(done_on))
    for kind, name, quantity, amount in RESOURCES_2026:
        plans.add_resource(
            actor=SYSTEM, campaign=campaign, kind=kind, name=name, quantity=quantity, amount=amount
        )
    plans.update_safety_plan(
        actor=SYSTEM,
        campaign=campaign,
        notes="大型活动前由总务处检查场地与消防通道；校外活动须有教师带队、家长知情同意并购买保险；"
        "体育竞技配备校医和急救箱；遇恶劣天气活动顺延。",
    )


def build_campaigns() -> None:
    zhaoling = School.objects.get(code="zlzx")
    _plan_2012(zhaoling)
    _plan_2026(zhaoling, with_work=True)
    _plan_2026(School.objects.get(code="syzx"), with_work=False)
