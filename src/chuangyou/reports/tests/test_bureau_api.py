from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from chuangyou.audit.models import AuditEntry
from chuangyou.campaigns.services import create_campaign
from chuangyou.evaluations.models import Evaluation, State, SubjectType
from chuangyou.nominations.models import Nomination
from chuangyou.org.models import School
from chuangyou.org.rules import SYSTEM
from chuangyou.reports.models import Document
from chuangyou.reports.summary import docx_text
from chuangyou.reports.tests.scenario import Scenario, build
from chuangyou.reports.tests.test_bureau_honors import at_bureau_level
from chuangyou.testing import PERSONAS, World

API = "/api/v1/bureaus/county"


def two_schools(world: World) -> Scenario:
    s = build(world)
    create_campaign(
        actor=SYSTEM, school=world.other_school, year=s.campaign.year, title="二中方案", theme="争优"
    )
    return s


def test_the_schools_side_by_side(world: World) -> None:
    s = two_schools(world)
    body = world.client("ju").get(f"{API}/{s.campaign.year}/schools").json()
    assert [row["code"] for row in body] == ["erzhong", "yizhong"]  # by school code
    second, first = body
    picked = {
        k: first[k]
        for k in (
            "students_taking_part",
            "students_total",
            "students_share",
            "activities_held",
            "volunteer_hours",
            "commitments",
            "commitment_items",
            "commitments_fulfilled",
            "fulfilment_rate",
            "honors",
        )
    }
    assert picked == {
        "students_taking_part": 1,  # a sign-up for the contest to come is not participation yet
        "students_total": 2,
        "students_share": "50.0",
        "activities_held": 1,
        "volunteer_hours": "2.5",
        "commitments": 1,
        "commitment_items": 2,
        "commitments_fulfilled": 1,
        "fulfilment_rate": "50.0",
        "honors": 0,
    }
    assert [(b["stars"], b["count"], b["target"]) for b in first["stars"]] == [
        (5, 0, 10),
        (4, 0, 30),
        (3, 0, 40),
        (2, 0, None),
        (1, 0, None),
    ]
    assert (second["students_total"], second["students_share"], second["volunteer_hours"]) == (0, None, "0.0")


def test_the_ranking_sorts_by_the_column_asked_for(world: World) -> None:
    s = two_schools(world)
    client = world.client("ju")
    by_share = client.get(f"{API}/{s.campaign.year}/ranking", {"sort": "students"}).json()
    assert [(r["code"], r["rank"], r["values"]["students"]) for r in by_share["rows"]] == [
        ("yizhong", 1, "50.0"),
        ("erzhong", None, None),  # no students: nothing to rank it by
    ]
    assert by_share["columns"]["students"] == "学生参与率（%）"
    by_name = client.get(f"{API}/{s.campaign.year}/ranking").json()
    assert [(r["code"], r["rank"]) for r in by_name["rows"]] == [("yizhong", None), ("erzhong", None)]
    wrong = client.get(f"{API}/{s.campaign.year}/ranking", {"sort": "height"})
    assert wrong.status_code == 422


def test_two_schools_compared(world: World) -> None:
    s = two_schools(world)
    client = world.client("ju")
    body = client.get(f"{API}/{s.campaign.year}/comparison", {"school": ["erzhong", "yizhong"]}).json()
    assert body["schools"] == ["示例县第二中学", "示例县第一中学"]
    rows = {r["key"]: r["values"] for r in body["rows"]}
    assert (rows["students"], rows["hours"], rows["filed"]) == ([None, "50.0"], ["0.0", "2.5"], [0, 0])
    one = client.get(f"{API}/{s.campaign.year}/comparison", {"school": ["yizhong"]})
    unknown = client.get(f"{API}/{s.campaign.year}/comparison", {"school": ["yizhong", "sanzhong"]})
    assert (one.status_code, unknown.status_code) == (422, 404)


def branch_result(school: School, marks: list[str]) -> Evaluation:
    """A published branch evaluation as the counting engine leaves it: only the result is read here,
    so the row is written directly rather than voted through the evaluations app."""
    opens = timezone.now() - dt.timedelta(days=3)
    return Evaluation.objects.create(
        school=school,
        title="五星级党支部创评",
        subject_type=SubjectType.BRANCH,
        rubric={},
        rules={},
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=1),
        state=State.PUBLISHED,
        published_on=timezone.localdate(),
        result={
            "groups": [{"key": "g1", "entitled": 10, "returned": 8}],
            "subjects": [
                {
                    "key": "b1",
                    "stars": 4,
                    "groups": [
                        {
                            "counted": True,
                            "criteria": [{"key": f"c{i}", "used": m} for i, m in enumerate(marks, start=1)],
                        }
                    ],
                }
            ],
        },
    )


def test_the_benchmark_sets_a_school_beside_the_exemplar(world: World) -> None:
    s = two_schools(world)
    client = world.client("ju")
    assert client.get(f"{API}/{s.campaign.year}/schools/erzhong/benchmark").status_code == 404
    branch_result(world.school, ["90", "80"])
    branch_result(world.other_school, ["70", "75"])
    body = client.get(f"{API}/{s.campaign.year}/schools/erzhong/benchmark").json()
    assert body == {
        "school": "示例县第二中学",
        "exemplar": "示例县第一中学",
        "criteria": [
            {"key": "c1", "school": "70.0", "exemplar": "90.0"},
            {"key": "c2", "school": "75.0", "exemplar": "80.0"},
        ],
    }


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_bureau_admin_reads_the_bureau_api(world: World, name: str) -> None:
    s = two_schools(world)
    client = world.client(name)
    year = s.campaign.year
    answers = [
        client.get(f"{API}/{year}/schools").status_code,
        client.get(f"{API}/{year}/ranking", {"sort": "hours"}).status_code,
        client.get(f"{API}/{year}/comparison", {"school": ["yizhong", "erzhong"]}).status_code,
        client.get(f"{API}/documents").status_code,
        client.get(f"{API}/nominations").status_code,
    ]
    assert answers == ([200] * 5 if name == "ju" else [403] * 5)


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_bureau_admin_asks_for_the_bureau_summary(
    world: World, name: str, django_capture_on_commit_callbacks: Any
) -> None:
    s = two_schools(world)
    before = AuditEntry.objects.count()
    client = world.client(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/{s.campaign.year}/summary")
    if name != "ju":
        assert response.status_code == 403
        assert not Document.objects.exists()
        assert AuditEntry.objects.count() == before
        return
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["state"]) == ("bureau_summary", "queued")
    document = Document.objects.get()
    assert document.state == "done"
    listed = client.get(f"{API}/documents").json()
    assert [(d["id"], d["state"]) for d in listed] == [(document.pk, "done")]
    download = client.get(f"{API}/documents/{document.pk}.docx")
    assert download.status_code == 200
    text = docx_text(b"".join(download.streaming_content))  # type: ignore[arg-type]
    assert "全系统2所学校" in text
    assert "_" not in text


@pytest.mark.parametrize("name", PERSONAS)
def test_nobody_else_downloads_a_bureau_document(
    world: World, name: str, django_capture_on_commit_callbacks: Any
) -> None:
    s = two_schools(world)
    with django_capture_on_commit_callbacks(execute=True):
        world.client("ju").post(f"{API}/{s.campaign.year}/summary")
    document = Document.objects.get()
    response = world.client(name).get(f"{API}/documents/{document.pk}.docx")
    assert response.status_code == (200 if name == "ju" else 403)


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_bureau_admin_decides_in_the_api(world: World, name: str) -> None:
    n = at_bureau_level(world)
    before = AuditEntry.objects.count()
    client = world.client(name)
    listed = client.get(f"{API}/nominations")
    response = client.post(
        f"{API}/nominations/{n.pk}/decision",
        {"decision": "select", "reason": "局评审"},
        content_type="application/json",
    )
    n.refresh_from_db()
    if name == "ju":
        assert [(r["id"], r["school"], r["nominee_name"]) for r in listed.json()] == [
            (n.pk, "yizhong", "肖同学")
        ]
        assert (response.status_code, response.json()["status"], n.status) == (200, "selected", "selected")
    else:
        assert (listed.status_code, response.status_code) == (403, 403)
        assert (n.level, n.status) == ("bureau", "active")
        assert AuditEntry.objects.count() == before


def test_the_bureau_declines_with_a_reason(world: World) -> None:
    n = at_bureau_level(world)
    client = world.client("ju")
    url = f"{API}/nominations/{n.pk}/decision"
    empty = client.post(url, {"decision": "decline", "reason": ""}, content_type="application/json")
    odd = client.post(url, {"decision": "maybe"}, content_type="application/json")
    assert (empty.status_code, odd.status_code) == (422, 422)
    assert Nomination.objects.get(pk=n.pk).status == "active"
    declined = client.post(
        url, {"decision": "decline", "reason": "名额已满"}, content_type="application/json"
    )
    assert (declined.status_code, declined.json()["status"]) == (200, "not_advanced")
