"""The inputs schemathesis found a 500 with (issue 9), each answered with a 4xx and a Chinese message, and
nothing changed. One test per cause; the fuzzing itself is test_fuzz.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from chuangyou.accounts.services import create_api_token
from chuangyou.activities.tests.conftest import make_activity
from chuangyou.audit.models import AuditEntry
from chuangyou.campaigns.models import Phase, ResourceLine
from chuangyou.practice.models import ExerciseSet
from chuangyou.practice.tests.helpers import make_set
from chuangyou.testing import World

API = "/api/v1/schools/yizhong"


def api_client(world: World, persona: str) -> Client:
    key = create_api_token(user=world.persona(persona), name="test").key
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def send(client: Client, method: str, path: str, body: Any) -> Any:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("path", [f"{API}%00/classes", f"{API}/classes?grade=%00"])
def test_a_nul_in_the_path_or_query_is_refused_before_any_view(world: World, path: str) -> None:
    response = api_client(world, "alice").get(path)
    assert response.status_code == 400
    assert response.json() == {
        "detail": "输入中含有无法保存的字符（空字符或不成对的代理字符），请删除后再试。"
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw_title",
    [
        '"活动\\u0000方案"',  # NUL: PostgreSQL refuses it in text
        '"活动\\ud800方案"',  # a lone surrogate: UTF-8 has no encoding for it
    ],
)
def test_unreadable_text_in_a_body_is_refused_and_nothing_is_stored(world: World, raw_title: str) -> None:
    client = api_client(world, "alice")  # issuing the token is audited: count after it
    entries = AuditEntry.objects.count()
    body = '{"year": 2026, "title": ' + raw_title + ', "theme": "树先锋"}'
    response = client.post(f"{API}/campaigns", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "输入中含有无法保存的字符（空字符或不成对的代理字符），请删除后再试。"
    }
    assert not Phase.objects.exists()
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
@pytest.mark.parametrize("page", [2**63, 2**64 + 1, 10**30])
def test_a_page_number_past_what_the_database_counts_is_refused(world: World, page: int) -> None:
    response = api_client(world, "alice").get(f"{API}/audit?page={page}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


@pytest.mark.django_db
def test_deleting_a_phase_that_activities_still_use_is_a_409_naming_them(world: World) -> None:
    activity = make_activity(world.school, world.staff_hu)
    phases = Phase.objects.count()
    client = api_client(world, "alice")
    entries = AuditEntry.objects.count()
    response = client.delete(f"{API}/campaigns/{activity.campaign.year}/phases/{activity.phase_id}")
    assert response.status_code == 409
    assert response.json() == {"detail": "还有活动引用它，不能删除。请先处理这些记录。"}
    assert Phase.objects.count() == phases
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["xiao", "tian"])
def test_an_explicit_null_in_a_patch_is_refused_by_the_schema(world: World, persona: str) -> None:
    """xiao may read the published set, tian wrote it; neither may send null for a list."""
    exercise_set = make_set(world, publish=persona != "tian")
    response = send(
        api_client(world, persona), "patch", f"{API}/practice/sets/{exercise_set.pk}", {"class_ids": None}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "class_ids"]
    assert list(
        ExerciseSet.objects.get(pk=exercise_set.pk).set_classes.values_list("school_class", flat=True)
    ) == [world.class_1.pk]


@pytest.mark.django_db
def test_a_student_patching_a_set_is_refused_before_the_classes_are_looked_up(world: World) -> None:
    exercise_set = make_set(world)
    client = api_client(world, "xiao")
    entries = AuditEntry.objects.count()
    response = send(client, "patch", f"{API}/practice/sets/{exercise_set.pk}", {"class_ids": [999]})
    assert response.status_code == 403
    assert response.json() == {"detail": "只有布置这份练习的老师可以修改或批改它。"}
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "10000000000"),  # 12 digits with 2 after the point: at most 9,999,999,999.99
        ("quantity", "件" * 61),  # max_length 60
        ("notes", "注" * 201),  # max_length 200
    ],
)
def test_a_resource_past_its_column_is_refused(world: World, field: str, value: str) -> None:
    campaign = make_activity(world.school, world.staff_hu).campaign
    body: dict[str, Any] = {"kind": "funds", "name": "奖品", "amount": "100.00"} | {field: value}
    response = send(api_client(world, "alice"), "post", f"{API}/campaigns/{campaign.year}/resources", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", field]
    assert not ResourceLine.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "deadline",
    [
        "9999-12-31T23:00:00-05:00",  # past year 9999 once in UTC
        "2026-12-01T04:20:39-22:22",  # no place on earth keeps this offset
        "0001-01-01T00:30:00+05:00",  # before year 1 once in UTC
    ],
)
def test_a_moment_no_clock_shows_is_refused(world: World, deadline: str) -> None:
    body = {"title": "练习", "subject": "数学", "week": "2026-11-16", "deadline": deadline, "class_ids": []}
    response = send(api_client(world, "tian"), "post", f"{API}/practice/sets", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "deadline"]
    assert not ExerciseSet.objects.exists()
