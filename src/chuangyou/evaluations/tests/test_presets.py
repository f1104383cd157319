"""The one-click 民主测评 presets: 师德标兵 of every teacher and 五星级 创评 of every branch."""

from decimal import Decimal

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.evaluations import presets, services
from chuangyou.evaluations.models import (
    Entitlement,
    Evaluation,
    Use,
)
from chuangyou.evaluations.tests.uses_helpers import WINDOW
from chuangyou.org.rules import actor_for
from chuangyou.testing import PERSONAS, World


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_builds_a_preset_in_one_click(world: World, persona: str) -> None:
    response = world.client(persona).post("/school/yizhong/evaluations/preset/teacher_merit/")
    if persona in {"alice", "bella", "wang"}:
        evaluation = Evaluation.objects.get()
        assert response.status_code == 302
        assert (evaluation.use, evaluation.preset, evaluation.subjects.count()) == (
            Use.TEACHER_MERIT,
            "five_models",
            6,
        )
    else:
        assert response.status_code == 403
        assert Evaluation.objects.count() == 0
        assert not AuditEntry.objects.filter(action__startswith="evaluation.").exists()


def test_the_teacher_merit_preset_has_four_groups_at_equal_weight(world: World) -> None:
    evaluation = presets.create_teacher_merit(actor=actor_for(world.alice), school=world.school, **WINDOW)
    assert [(g.name, g.kind, g.source, g.role, g.weight) for g in evaluation.groups.all()] == [
        ("同事互评", "peers", "role", "teacher", Decimal("1.00")),
        ("学生评议", "students", "role", "student", Decimal("1.00")),
        ("家长评议", "parents", "codes", "", Decimal("1.00")),
        ("领导评议", "leaders", "role", "leading_group", Decimal("1.00")),
    ]
    assert next(c["title"] for c in evaluation.rubric["criteria"]) == "自觉学习的模范"
    services.open_voting(actor=actor_for(world.alice), evaluation=evaluation)
    assert Entitlement.objects.filter(evaluation=evaluation, group__name="学生评议").count() == 2


def test_the_five_star_preset_rates_branches_with_star_bands(world: World) -> None:
    evaluation = presets.create_five_star(actor=actor_for(world.bella), school=world.school, **WINDOW)
    assert list(evaluation.subjects.values_list("name", "not_rated")) == [("示例县第一中学党支部", False)]
    members = evaluation.groups.get(name="党员评议")
    assert sorted(members.user_ids) == sorted([world.bella.pk, world.wang.pk])
    assert evaluation.rules["star_bands"] == [
        ["90", 5, True],
        ["80", 4, False],
        ["70", 3, False],
        ["60", 2, False],
    ]
    assert sum(c["scale"]["high"] for c in evaluation.rubric["criteria"]) == 110


def test_the_list_links_each_use_to_its_build_page_in_its_app(world: World) -> None:
    """The uses' build pages live in their apps (projects, commitments, records); the list reaches them."""
    wang = world.client("wang")
    page = wang.get("/school/yizhong/evaluations/").content.decode()
    for url in (
        "/school/yizhong/projects/panel-review/new/",
        "/school/yizhong/commitments/appraisal/new/",
        "/school/yizhong/records/quality/new/",
    ):
        assert f'href="{url}"' in page
        response = wang.get(url)
        assert response.status_code == 200
        assert "<form" in response.content.decode()
    assert world.client("xiao").get("/school/yizhong/records/quality/new/").status_code == 403
