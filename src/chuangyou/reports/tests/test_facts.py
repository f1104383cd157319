from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangyou.org.rules import actor_for
from chuangyou.reports.facts import facts_for
from chuangyou.reports.figures import KindLine, Share
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import World


def test_every_figure_counts_the_rows_the_services_made(world: World) -> None:
    s = build(world)
    f = facts_for([s.campaign], with_classes=True)[world.school.pk]
    a = f.activities
    assert (a.published, a.held, a.person_times, a.awards, a.photos) == (2, 1, 4, 1, 1)
    assert a.by_kind == [
        KindLine("subject_contest", "学科竞赛", 1),
        KindLine("theme_education", "主题教育", 1),
    ]
    # xiao took part in the reading that was held; ming only signed up for the contest to come
    assert a.students == Share(1, 2)
    staff_total = 6  # the personas' school has 6 staff: alice, bella, wang, su, hu, tian
    assert a.staff == Share(1, staff_total)
    p = f.practice
    assert (p.sets, p.expected, p.submitted, p.on_time, p.on_time_rate) == (1, 1, 1, 1, Decimal("100.0"))
    v = f.volunteering
    assert (v.hours, v.claims, v.students, v.staff) == (Decimal("2.50"), 1, 1, 0)
    c = f.commitments
    assert (c.commitments, c.items, c.fulfilled, c.pending, c.overdue, c.filed) == (1, 2, 1, 1, 0, 0)
    assert c.fulfilment_rate == Decimal("50.0")
    assert [
        (x.name, x.students, x.taking_part, x.practice_expected, x.practice_on_time, x.hours)
        for x in f.classes
    ] == [
        ("初一（1）班", 1, 1, 1, 1, Decimal("2.50")),
        ("初一（2）班", 1, 0, 0, 0, Decimal("0.00")),  # ming: signed up for the contest to come only
    ]
    assert sum(w.person_times for w in f.weeks) == 4
    assert f.evaluations.held == 0
    assert f.evaluations.turnout is None


def test_the_other_school_sees_none_of_it_and_the_query_count_is_fixed(world: World) -> None:
    from chuangyou.campaigns.models import Campaign
    from chuangyou.campaigns.services import create_campaign
    from chuangyou.org.rules import SYSTEM

    s = build(world)
    other = create_campaign(
        actor=SYSTEM, school=world.other_school, year=s.campaign.year, title="二中方案", theme="争优"
    )
    campaigns = list(
        Campaign.objects.prefetch_related("phases")
        .select_related("school")
        .filter(pk__in=[s.campaign.pk, other.pk])
    )
    with CaptureQueriesContext(connection) as one:
        facts_for(campaigns[:1], with_classes=True)
    with CaptureQueriesContext(connection) as two:
        facts = facts_for(campaigns, with_classes=True)
    assert len(one) == len(two)
    o = facts[world.other_school.pk]
    assert (o.activities.published, o.volunteering.hours, o.commitments.items) == (0, Decimal("0.00"), 0)
    assert o.activities.students == Share(0, 0)


@pytest.mark.parametrize(
    ("part", "whole", "expected"), [(1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")), (0, 0, None)]
)
def test_shares_round_half_up_and_say_nothing_of_nothing(
    part: int, whole: int, expected: Decimal | None
) -> None:
    assert Share(part, whole).percent == expected


def test_turnout_and_stars_come_from_the_published_results() -> None:
    from chuangyou.reports.facts import _evaluation_facts
    from chuangyou.reports.figures import StarLine

    branch_result = {
        "groups": [{"entitled": 40, "returned": 31}, {"entitled": 10, "returned": 9}],
        "subjects": [{"stars": 5, "name": "第一党支部"}, {"stars": 3}, {"stars": 3}, {"stars": None}],
    }
    teacher_result = {"groups": [{"entitled": 50, "returned": 40}], "subjects": [{"stars": None}]}
    e = _evaluation_facts(
        {"n": 3, "published": 2},
        [("branch", branch_result, "五星级党支部创评"), ("teacher", teacher_result, "师德标兵民主测评")],
    )
    assert (e.held, e.published, e.entitled, e.returned, e.turnout) == (3, 2, 100, 80, Decimal("80.0"))
    assert [(line.title, line.turnout) for line in e.lines] == [
        ("五星级党支部创评", Decimal("80.0")),
        ("师德标兵民主测评", Decimal("80.0")),
    ]
    assert e.five_star == ["第一党支部"]
    assert e.branches_rated == 3
    assert e.stars == [
        StarLine(5, 1, Decimal("33.3"), 10),
        StarLine(4, 0, Decimal("0.0"), 30),
        StarLine(3, 2, Decimal("66.7"), 40),
        StarLine(2, 0, Decimal("0.0"), None),
        StarLine(1, 0, Decimal("0.0"), None),
    ]


def test_a_weekly_set_counts_when_the_plan_starts_inside_its_week(world: World) -> None:
    """A plan made mid-year starts on the day it was made; that week's set (dated by its Monday,
    before the plan's first day) still belongs to it. This failed on every day but a Monday."""
    import datetime as dt

    from django.utils import timezone

    from chuangyou.campaigns.models import Campaign
    from chuangyou.campaigns.services import create_campaign
    from chuangyou.org.rules import SYSTEM, actor_for
    from chuangyou.practice import services as practice

    year = timezone.localdate().year + 1
    wednesday = dt.date(year, 3, 1) + dt.timedelta(days=(2 - dt.date(year, 3, 1).weekday()) % 7)
    campaign = create_campaign(
        actor=SYSTEM, school=world.school, year=year, title="方案", theme="争优", today=wednesday
    )
    monday = wednesday - dt.timedelta(days=2)
    tian = actor_for(world.tian)
    exercise_set = practice.create_set(
        actor=tian,
        school=world.school,
        title="练习",
        subject="数学",
        week=monday,
        deadline=timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=4), dt.time(18))),
        classes=[world.class_1],
    )
    practice.add_question(
        actor=tian, exercise_set=exercise_set, kind="open", prompt="说说你的想法。", points=Decimal(5)
    )
    practice.publish_set(actor=tian, exercise_set=exercise_set)
    loaded = Campaign.objects.prefetch_related("phases").select_related("school").get(pk=campaign.pk)
    span = loaded.span()
    assert span is not None
    assert span[0] == wednesday
    p = facts_for([loaded])[world.school.pk].practice
    assert (p.sets, p.expected, p.submitted) == (1, 1, 0)


def test_nominations_honors_and_prize_money_are_counted(world: World) -> None:
    from chuangyou.honors.models import Payable
    from chuangyou.honors.services import mark_paid
    from chuangyou.reports.summary_context import summary_context
    from chuangyou.reports.tests.scenario import commend

    s = build(world)
    before = facts_for([s.campaign])[world.school.pk].honors
    empty = (before.nominations, before.total, before.by_type, before.prize_money, before.prize_paid)
    assert empty == (0, 0, [], Decimal("0.00"), Decimal("0.00"))
    assert summary_context(facts_for([s.campaign])[world.school.pk])["honors_by_type"] == ""
    commend(world, s.campaign)
    f = facts_for([s.campaign], with_classes=True)[world.school.pk]
    h = f.honors
    assert (h.nominations, h.total, h.prize_money, h.prize_paid) == (2, 1, Decimal("100.00"), Decimal("0.00"))
    assert [(t.name, t.count) for t in h.by_type] == [("优秀学生干部", 1)]
    keys = ("nominations", "honors_total", "honors_by_type", "prize_due", "prize_paid", "prize_unpaid")
    context = summary_context(f)
    assert {k: context[k] for k in keys} == {
        "nominations": 2,
        "honors_total": 1,
        "honors_by_type": "优秀学生干部1人",
        "prize_due": "100元",
        "prize_paid": "0元",
        "prize_unpaid": "100元",
    }
    mark_paid(actor=actor_for(world.wang), payable=Payable.objects.get(), paid_on=timezone.localdate())
    paid = facts_for([s.campaign])[world.school.pk].honors
    assert (paid.prize_money, paid.prize_paid) == (Decimal("100.00"), Decimal("100.00"))
