from __future__ import annotations

from decimal import Decimal

import pytest

from chuangyou.reports.personal import personal_facts
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import PERSONAS, World

BASE = "/school/yizhong/reports/"
MAY_SEE_XIAO = {"xiao", "ma", "hu", "alice", "bella", "wang", "su", "ju"}


def test_xiao_sees_her_own_figures_and_no_one_else(world: World) -> None:
    s = build(world)
    f = personal_facts(s.campaign, world.student_xiao)
    assert [(a.title, a.award) for a in f.activities] == [("红色经典诵读", "一等奖"), ("数学竞赛", "")]
    assert f.hours == Decimal("2.5")
    p = f.practice
    assert (p.expected, p.submitted, p.on_time, p.on_time_rate) == (1, 1, 1, Decimal("100.0"))
    assert f.honors == []

    for name in ("xiao", "ma"):
        response = world.client(name).get(f"{BASE}me/", follow=True)
        assert response.redirect_chain[-1][0] == f"{BASE}students/{world.student_xiao.pk}/"
        page = response.content.decode()
        assert "肖同学的活动小结" in page
        assert "100.0%" in page
        assert "红色经典诵读" in page
        # No other child, no rank, no comparison.
        assert "明同学" not in page
        assert "初一（2）班" not in page
        for word in ("名次", "排第", "第1名", "平均", "超过", "班级排名"):
            assert word not in page


def test_ming_has_his_own_figures(world: World) -> None:
    s = build(world)
    f = personal_facts(s.campaign, world.student_ming)
    assert [a.title for a in f.activities] == ["数学竞赛"]
    assert (f.hours, f.practice.expected, f.practice.on_time_rate) == (Decimal("0.0"), 0, None)
    page = world.client("ming").get(f"{BASE}students/{world.student_ming.pk}/").content.decode()
    assert "肖同学" not in page
    assert "暂无数据" in page


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_child_the_parent_the_head_teacher_and_the_office_see_it(world: World, name: str) -> None:
    build(world)
    status = world.client(name).get(f"{BASE}students/{world.student_xiao.pk}/").status_code
    assert status == (200 if name in MAY_SEE_XIAO else 403)
