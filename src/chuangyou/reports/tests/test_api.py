from __future__ import annotations

from typing import Any

import pytest

from chuangyou.reports.models import Document
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import PERSONAS, World

API = "/api/v1/schools/yizhong/reports"


def test_the_api_gives_the_same_figures(world: World) -> None:
    s = build(world)
    body = world.client("bella").get(f"{API}/{s.campaign.year}/facts").json()
    picked = {
        k: body[k] for k in ("activities_published", "activities_held", "students_taking_part", "photos")
    }
    assert picked == {"activities_published": 2, "activities_held": 1, "students_taking_part": 2, "photos": 1}
    assert body["volunteer_hours"] == "2.5"


@pytest.mark.parametrize("name", PERSONAS)
def test_asking_for_the_summary_in_the_api_checks_the_same_rights(
    world: World, name: str, django_capture_on_commit_callbacks: Any
) -> None:
    s = build(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(name).post(f"{API}/{s.campaign.year}/summary")
    if name in {"alice", "bella", "wang"}:
        assert response.status_code == 201
        assert response.json()["state"] == "queued"  # answered before the task ran
        assert Document.objects.get().state == "done"
    else:
        assert response.status_code == 403
        assert not Document.objects.exists()


@pytest.mark.parametrize("name", PERSONAS)
def test_the_personal_summary_in_the_api(world: World, name: str) -> None:
    build(world)
    response = world.client(name).get(f"{API}/students/{world.student_xiao.pk}")
    if name in {"xiao", "ma", "hu", "alice", "bella", "wang", "su", "ju"}:
        body = response.json()
        assert (body["activities"], body["hours"], body["practice_on_time"]) == (
            ["红色经典诵读", "数学竞赛"],
            "2.5",
            1,
        )
    else:
        assert response.status_code == 403
