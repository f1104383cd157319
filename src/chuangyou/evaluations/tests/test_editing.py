"""A draft's rubric (criteria, weights, scales), subjects and groups can be changed from the pages and
the API; once voting opens every such change is refused, with a Chinese message, and nothing moves."""

import json

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.evaluations import services
from chuangyou.evaluations.models import Evaluation
from chuangyou.evaluations.tests.conftest import build_teacher_evaluation
from chuangyou.lib.errors import Conflict
from chuangyou.org.rules import actor_for
from chuangyou.testing import PERSONAS, World

BASE = "/school/yizhong/evaluations"
ONE_CRITERION = {
    "name": "简化",
    "criteria": [{"title": "总评", "weight": "1", "scale": {"kind": "points", "low": 0, "high": 100}}],
}
SATISFACTION = [["满意", 100], ["比较满意", 80], ["基本满意", 60], ["不满意", 40]]
API = "/api/v1/schools/yizhong/evaluations"


def rubric_post(*rows: dict[str, str]) -> dict[str, str]:
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data |= {f"form-{i}-{k}": v for k, v in row.items()}
    return data


TWO_CRITERIA = rubric_post(
    {
        "title": "师德",
        "description": "为人师表",
        "weight": "3/5",
        "scale": "satisfaction",
        "low": "",
        "high": "",
    },
    {"title": "教学", "description": "", "weight": "0.4", "scale": "points", "low": "0", "high": "50"},
    {"title": "删掉的", "description": "", "weight": "1", "scale": "good", "DELETE": "on"},
)


def test_the_rubric_is_edited_on_the_page_before_voting_opens(world: World) -> None:
    evaluation = build_teacher_evaluation(world)
    page = world.client("wang").get(f"{BASE}/{evaluation.pk}/rubric/").content.decode()
    assert page.count('data-testid="criterion"') == 6  # the five 模范 and one empty row to add
    response = world.client("wang").post(f"{BASE}/{evaluation.pk}/rubric/", TWO_CRITERIA)
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.rubric == {
        "name": "五个模范（师德标兵）",
        "criteria": [
            {"key": "c1", "title": "师德", "description": "为人师表", "weight": "3/5",
             "scale": {"kind": "levels", "levels": SATISFACTION}},
            {"key": "c2", "title": "教学", "description": "", "weight": "0.4",
             "scale": {"kind": "points", "low": 0, "high": 50}},
        ],
    }  # fmt: skip
    assert AuditEntry.objects.filter(action="evaluation.rubric_update").count() == 1
    bad = world.client("wang").post(
        f"{BASE}/{evaluation.pk}/rubric/", rubric_post({"title": "x", "weight": "一半", "scale": "good"})
    )
    assert "权重须为数字或分数" in bad.content.decode()


def test_after_opening_the_rubric_subjects_and_groups_stay_as_they_are(world: World) -> None:
    evaluation = build_teacher_evaluation(world)
    wang = actor_for(world.wang)
    services.open_voting(actor=wang, evaluation=evaluation)
    before = (evaluation.rubric, evaluation.subjects.count(), evaluation.groups.count())
    with pytest.raises(Conflict, match="投票开始后评价标准不能再修改。"):
        services.update_rubric(actor=wang, evaluation=evaluation, rubric=ONE_CRITERION)
    page = world.client("wang").post(f"{BASE}/{evaluation.pk}/rubric/", TWO_CRITERIA)
    assert "投票开始后评价标准不能再修改。" in page.content.decode()
    client = world.client("wang")
    subject, group = evaluation.subjects.first(), evaluation.groups.first()
    assert subject is not None
    assert group is not None
    removed = client.post(f"{BASE}/{evaluation.pk}/subjects/{subject.pk}/remove/", follow=True)
    assert "投票开始后不能再修改评议对象。" in removed.content.decode()
    api_subject = client.delete(f"{API}/{evaluation.pk}/subjects/{subject.pk}")
    api_group = client.delete(f"{API}/{evaluation.pk}/groups/{group.pk}")
    api_rubric = client.put(
        f"{API}/{evaluation.pk}/rubric", json.dumps(ONE_CRITERION), content_type="application/json"
    )
    assert [r.status_code for r in (api_subject, api_group, api_rubric)] == [409, 409, 409]
    assert api_group.json() == {"detail": "投票开始后不能再修改评议主体。"}
    evaluation.refresh_from_db()
    assert (evaluation.rubric, evaluation.subjects.count(), evaluation.groups.count()) == before
    assert not AuditEntry.objects.filter(
        action__in=["evaluation.rubric_update", "evaluation.subject_remove", "evaluation.group_remove"]
    ).exists()


def test_subjects_and_groups_are_removed_from_a_draft_by_page_and_api(world: World) -> None:
    evaluation = build_teacher_evaluation(world)
    client = world.client("wang")
    hu = evaluation.subjects.get(name="胡班")
    assert client.post(f"{BASE}/{evaluation.pk}/subjects/{hu.pk}/remove/").status_code == 302
    parents = evaluation.groups.get(name="家长")
    assert client.delete(f"{API}/{evaluation.pk}/groups/{parents.pk}").status_code == 204
    rubric = {
        "name": "简化",
        "criteria": [{"title": "总评", "weight": "1", "scale": {"kind": "points", "low": 0, "high": 100}}],
    }
    assert (
        client.put(
            f"{API}/{evaluation.pk}/rubric", json.dumps(rubric), content_type="application/json"
        ).status_code
        == 200
    )
    evaluation.refresh_from_db()
    assert list(evaluation.subjects.values_list("name", flat=True)) == [
        "王武",
        "田师",
        "白拉",
        "艾丽",
        "苏监",
    ]
    assert list(evaluation.groups.values_list("name", flat=True)) == ["教师互评"]
    assert evaluation.rubric == rubric


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_edits_a_draft(world: World, persona: str) -> None:
    evaluation: Evaluation = build_teacher_evaluation(world)
    subject = evaluation.subjects.get(name="胡班")
    group = evaluation.groups.get(name="家长")
    client = world.client(persona)
    responses = [
        client.post(f"{BASE}/{evaluation.pk}/rubric/", TWO_CRITERIA),
        client.post(f"{BASE}/{evaluation.pk}/subjects/{subject.pk}/remove/"),
        client.post(f"{BASE}/{evaluation.pk}/groups/{group.pk}/remove/"),
    ]
    evaluation.refresh_from_db()
    if persona in {"alice", "bella", "wang"}:
        assert [r.status_code for r in responses] == [302, 302, 302]
        assert (
            len(evaluation.rubric["criteria"]),
            evaluation.subjects.count(),
            evaluation.groups.count(),
        ) == (2, 5, 1)
    else:
        # outsiders and the bureau can't see the school's office (403 or 404); nobody else may edit
        assert all(r.status_code in (403, 404) for r in responses)
        assert (
            len(evaluation.rubric["criteria"]),
            evaluation.subjects.count(),
            evaluation.groups.count(),
        ) == (5, 6, 2)
        assert not AuditEntry.objects.filter(
            action__in=["evaluation.rubric_update", "evaluation.subject_remove", "evaluation.group_remove"]
        ).exists()
