import datetime as dt

import pytest
from django.urls import reverse

from chuangyou.campaigns.models import Campaign
from chuangyou.honors import records, selectors, services
from chuangyou.honors.models import LongTermRecognition, LongTermRule
from chuangyou.lib.errors import Invalid, NotAllowed
from chuangyou.nominations.models import AwardType
from chuangyou.nominations.tests.helpers import award_of, notice_for, selected
from chuangyou.org import services as org_services
from chuangyou.org.models import Student
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, World


def _honor_in(world: World, award: AwardType, year: int, students: list[Student]) -> None:
    campaign = Campaign.objects.create(
        school=world.school, year=year, title=f"{year}年创先争优", theme="争先"
    )
    noms = [selected(world, award, campaign, s) for s in students]
    notice = notice_for(world, campaign, noms, dt.date(year, 5, 6))
    services.issue_notice(actor=actor_for(world.bella), notice=notice, today=dt.date(year, 6, 30))


@pytest.fixture
def history(world: World) -> tuple[AwardType, Student]:
    """xiao: 2024, 2025, 2026 (three in a row); ding: 2024 and 2026 (a gap)."""
    award = award_of(world)
    ding = org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="S009", name="丁同学", gender="M",
        guardians=[("丁家长", "13800000009")],
    )  # fmt: skip
    _honor_in(world, award, 2024, [world.student_xiao, ding])
    _honor_in(world, award, 2025, [world.student_xiao])
    _honor_in(world, award, 2026, [world.student_xiao, ding])
    return award, ding


def test_long_term_rule_proposes_then_a_leader_confirms(
    world: World, history: tuple[AwardType, Student]
) -> None:
    award, ding = history
    wang = world.client("wang")
    wang.post(
        reverse("honors:long_term", args=["yizhong"]), {"award": award.pk, "years": 3, "title": "长期优秀"}
    )
    rule = LongTermRule.objects.get()
    found = selectors.long_term_candidates(actor_for(world.wang), world.school)
    assert [(c.student.name, c.years) for c in found] == [("肖同学", [2024, 2025, 2026])]
    with pytest.raises(NotAllowed):
        services.confirm_long_term(actor=actor_for(world.wang), rule=rule, student=world.student_xiao)
    with pytest.raises(Invalid) as exc:
        services.confirm_long_term(actor=actor_for(world.bella), rule=rule, student=ding)
    assert exc.value.message == "丁同学 没有连续 3 年获得「优秀学生干部」，不符合「长期优秀」。"
    world.client("bella").post(
        reverse("honors:long_term_confirm", args=["yizhong", rule.pk, world.student_xiao.pk])
    )
    rec = LongTermRecognition.objects.get()
    assert (rec.student_id, rec.years_text, rec.confirmed_by_id) == (
        world.student_xiao.pk,
        "2024、2025、2026",
        world.bella.pk,
    )
    assert selectors.long_term_candidates(actor_for(world.wang), world.school) == []


def test_a_revoked_year_breaks_the_run(world: World, history: tuple[AwardType, Student]) -> None:
    award, _ding = history
    rule = services.create_long_term_rule(actor=actor_for(world.wang), award=award, years=3, title="长期优秀")
    from chuangyou.honors.models import Honor

    services.revoke(actor=actor_for(world.bella), honor=Honor.objects.get(year=2025), reason="材料不实")
    assert selectors.long_term_candidates(actor_for(world.wang), world.school) == []
    assert selectors.qualifying_years(rule, world.student_xiao.pk) is None


def test_record_lines_for_the_participation_record(world: World, history: tuple[AwardType, Student]) -> None:
    lines = records.lines_for_students([world.student_xiao.pk, world.student_ming.pk])
    assert lines[world.student_ming.pk] == []
    assert [(ln.section, ln.on, ln.title, ln.detail) for ln in lines[world.student_xiao.pk]] == [
        ("成绩与获奖", dt.date(2024, 6, 30), "优秀学生干部", "学校级 · 2024 年度 · 证书 2024yizhongGB0001"),
        ("成绩与获奖", dt.date(2025, 6, 30), "优秀学生干部", "学校级 · 2025 年度 · 证书 2025yizhongGB0001"),
        ("成绩与获奖", dt.date(2026, 6, 30), "优秀学生干部", "学校级 · 2026 年度 · 证书 2026yizhongGB0001"),
    ]
    assert lines[world.student_xiao.pk][0].url.startswith("/school/yizhong/honors/")
    assert records.lines_for_staff([world.staff_hu.pk]) == {world.staff_hu.pk: []}


def test_record_lines_cost_the_same_for_one_or_many(
    world: World, history: tuple[AwardType, Student], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(2):
        records.lines_for_students([world.student_xiao.pk])
    with django_assert_num_queries(2):
        records.lines_for_students([world.student_xiao.pk, history[1].pk, world.student_ming.pk])


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_a_students_honors(world: World, history: tuple[AwardType, Student], persona: str) -> None:
    response = world.client(persona).get(reverse("honors:student", args=["yizhong", world.student_xiao.pk]))
    if persona in ("alice", "bella", "wang", "su", "hu", "xiao", "ma", "ju"):
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count('data-testid="person-honor"') == 3
        assert "2025yizhongGB0001" in html
    else:
        assert response.status_code == 403
        assert "您没有权限查看这名学生的荣誉。" in response.content.decode()


def test_staff_page_is_for_the_person_and_the_office(world: World) -> None:
    url = reverse("honors:staff", args=["yizhong", world.staff_hu.pk])
    assert "还没有获得荣誉。" in world.client("hu").get(url).content.decode()
    assert world.client("tian").get(url).status_code == 403
