"""Choosing who is evaluated at school scale (issue 11): the roster narrowed by filters with a box per
row, the chosen added in one step, and several removed in one step; another school's rows never."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from chuangyou.audit.models import AuditEntry
from chuangyou.evaluations import services
from chuangyou.evaluations.models import Evaluation, Subject
from chuangyou.org import services as org_services
from chuangyou.org.models import Staff
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, World

BASE = "/school/yizhong/evaluations"


def _draft(world: World, subject_type: str = "teacher") -> Evaluation:
    now = timezone.now()
    return services.create_evaluation(
        actor=actor_for(world.wang),
        school=world.school,
        title="师德标兵民主测评",
        subject_type=subject_type,
        preset="five_models" if subject_type == "teacher" else "five_goods",
        opens_at=now + dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=3),
    )


def _candidate_ids(html: str) -> dict[str, int]:
    return {name: int(pk) for pk, name in re.findall(r'for="c-(\d+)">([^<]+?)(?: <|</label>)', html)}


def test_the_page_is_reached_from_the_evaluation_and_filters_narrow_the_roster(world: World) -> None:
    evaluation = _draft(world)
    wang = world.client("wang")
    detail = wang.get(f"{BASE}/{evaluation.pk}/").content.decode()
    link = re.search(r'data-testid="pick-subjects" href="([^"]+)"', detail)
    assert link is not None
    everyone = _candidate_ids(wang.get(link.group(1)).content.decode())
    assert set(everyone) == set(Staff.objects.filter(school=world.school).values_list("name", flat=True))
    Staff.objects.filter(user=world.tian).update(subject="数学")  # the world's staff all teach 语文
    by_subject = _candidate_ids(wang.get(link.group(1), {"subject": "数学"}).content.decode())
    assert by_subject == {"田师": everyone["田师"]}
    party = _candidate_ids(wang.get(link.group(1), {"party": "1"}).content.decode())
    assert set(party) == set(
        Staff.objects.filter(school=world.school, is_party_member=True).values_list("name", flat=True)
    )
    assert _candidate_ids(wang.get(link.group(1), {"q": "王"}).content.decode()) == {"王武": everyone["王武"]}
    odd = wang.get(link.group(1), {"grade": "x" * 40, "class": "-1", "subject": "<b>"})
    assert odd.status_code == 200


def test_the_chosen_are_added_at_once_and_several_removed_at_once(world: World) -> None:
    evaluation = _draft(world)
    wang = world.client("wang")
    url = f"{BASE}/{evaluation.pk}/subjects/pick/"
    ids = _candidate_ids(wang.get(url).content.decode())
    chosen = [ids["王武"], ids["田师"], ids["胡班"]]
    before = AuditEntry.objects.count()
    assert wang.post(url, {"object_ids": chosen}).status_code == 302
    assert sorted(Subject.objects.filter(evaluation=evaluation).values_list("name", flat=True)) == sorted(
        ["王武", "田师", "胡班"]
    )
    assert AuditEntry.objects.count() == before + 1
    page = wang.get(url).content.decode()
    assert page.count('text-bg-light">已添加') == 3
    # adding them again changes nothing
    wang.post(url, {"object_ids": chosen})
    assert Subject.objects.filter(evaluation=evaluation).count() == 3
    remove = [s.pk for s in Subject.objects.filter(evaluation=evaluation, name__in=["王武", "胡班"])]
    assert wang.post(f"{BASE}/{evaluation.pk}/subjects/remove/", {"subject_ids": remove}).status_code == 302
    assert list(Subject.objects.filter(evaluation=evaluation).values_list("name", flat=True)) == ["田师"]
    nothing = wang.post(f"{BASE}/{evaluation.pk}/subjects/remove/", {"subject_ids": []}, follow=True)
    assert "请先勾选要移除的评议对象。" in nothing.content.decode()


def test_another_schools_staff_cannot_be_slipped_in(world: World) -> None:
    evaluation = _draft(world)
    stranger = org_services.create_staff(
        actor=SYSTEM, school=world.other_school, staff_no="T900", name="外校人", gender="F"
    )
    response = world.client("wang").post(
        f"{BASE}/{evaluation.pk}/subjects/pick/", {"object_ids": [stranger.pk, "x", "9" * 30]}, follow=True
    )
    assert "请先勾选要添加的评议对象。" in response.content.decode()
    assert not Subject.objects.filter(evaluation=evaluation).exists()


def test_students_are_narrowed_by_grade_and_class(world: World) -> None:
    evaluation = _draft(world, "student")
    page = (
        world.client("wang")
        .get(f"{BASE}/{evaluation.pk}/subjects/pick/", {"class": world.class_1.pk})
        .content.decode()
    )
    names = set(_candidate_ids(page))
    assert "肖同学" in names
    assert "明同学" not in names


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_those_who_run_evaluations_pick_or_remove(world: World, persona: str) -> None:
    evaluation = _draft(world)
    client = world.client(persona)
    page = client.get(f"{BASE}/{evaluation.pk}/subjects/pick/")
    staff = Staff.objects.filter(school=world.school).first()
    assert staff is not None
    added = client.post(f"{BASE}/{evaluation.pk}/subjects/pick/", {"object_ids": [staff.pk]})
    if persona in ("alice", "bella", "wang"):
        assert (page.status_code, added.status_code) == (200, 302)
        assert Subject.objects.filter(evaluation=evaluation).count() == 1
    else:
        assert page.status_code in (403, 404)
        assert added.status_code in (403, 404)
        assert not Subject.objects.filter(evaluation=evaluation).exists()
