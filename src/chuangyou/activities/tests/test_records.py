from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangyou.activities import records, services
from chuangyou.activities.models import ExternalAward
from chuangyou.activities.tests.conftest import add_students, make_activity
from chuangyou.org.rules import SYSTEM
from chuangyou.testing import World


def test_lines_cover_activities_results_and_external_awards_in_fixed_queries(world: World) -> None:
    contest = make_activity(world.school, world.staff_hu, title="数学竞赛")
    relay = make_activity(
        world.school, world.staff_hu, title="接力赛", kind="sports", is_team=True, team_min=2, team_max=4
    )
    mate = add_students(world.class_1, 1)[0]
    reg = services.sign_up(actor=SYSTEM, activity=contest, person=world.student_xiao)
    services.record_result(actor=SYSTEM, registration=reg, rank=1, score=Decimal("98"), award="first")
    team = services.register_team(
        actor=SYSTEM, activity=relay, captain=mate, members=[world.student_xiao], team_name="飞毛腿"
    )
    services.record_result(actor=SYSTEM, registration=team, award="second")
    ExternalAward.objects.create(
        school=world.school, student=world.student_xiao, competition="信息学奥赛",
        level="provincial", award="third",
        awarded_on=contest.starts_at.date(), certificate="x.jpg",
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        lines = records.lines_for_students([world.student_xiao.pk, world.student_ming.pk, mate.pk])
    assert len(queries) == 3
    xiao = {(line.section, line.title, line.detail) for line in lines[world.student_xiao.pk]}
    assert xiao == {
        ("活动", "数学竞赛", "学科竞赛 · 个人"),
        ("成绩与获奖", "数学竞赛", "一等奖 · 第1名 · 98分"),
        ("活动", "接力赛", "体育竞技 · 团队：飞毛腿"),
        ("成绩与获奖", "接力赛", "二等奖"),
        ("成绩与获奖", "信息学奥赛", "省级 · 三等奖"),
    }
    assert world.student_ming.pk not in lines
    assert lines[mate.pk][0].url == f"/school/yizhong/activities/{relay.pk}/"
    assert records.lines_for_staff([world.staff_hu.pk]) == {}
