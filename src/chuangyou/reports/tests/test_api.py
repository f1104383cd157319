from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from chuangyou.audit.models import AuditEntry
from chuangyou.reports.models import Briefing, Document
from chuangyou.reports.summary import docx_text
from chuangyou.reports.tests.scenario import build
from chuangyou.testing import PERSONAS, World

API = "/api/v1/schools/yizhong/reports"


def test_the_api_gives_the_same_figures(world: World) -> None:
    s = build(world)
    body = world.client("bella").get(f"{API}/{s.campaign.year}/facts").json()
    picked = {
        k: body[k] for k in ("activities_published", "activities_held", "students_taking_part", "photos")
    }
    assert picked == {"activities_published": 2, "activities_held": 1, "students_taking_part": 1, "photos": 1}
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


def briefing_body(**extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "period_start": str(today - dt.timedelta(days=30)),
        "period_end": str(today),
        "to_report": "县教育局",
        **extra,
    }


@pytest.mark.parametrize("name", PERSONAS)
def test_asking_for_a_briefing_in_the_api_checks_the_same_rights(world: World, name: str) -> None:
    build(world)
    before = AuditEntry.objects.count()
    client = world.client(name)
    response = client.post(f"{API}/briefings", briefing_body(), content_type="application/json")
    listed = client.get(f"{API}/briefings")
    year = timezone.localdate().year
    if name in {"alice", "bella", "wang"}:
        body = response.json()
        assert response.status_code == 201
        assert (body["label"], body["issuer"], body["distribution"], body["document"]["state"]) == (
            f"{year}年第1期",
            "示例县第一中学",
            {"报": "县教育局"},
            "queued",  # on_commit hooks don't run inside the test's transaction
        )
        assert [b["id"] for b in listed.json()] == [body["id"]]
    else:
        assert response.status_code == 403
        assert listed.status_code == (200 if name in {"su", "ju"} else 403)
        assert not Briefing.objects.exists()
        assert not Document.objects.exists()
        assert AuditEntry.objects.count() == before


def test_a_briefing_from_the_api_downloads_as_word_and_pdf(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    build(world)
    client = world.client("wang")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{API}/briefings", briefing_body(), content_type="application/json")
        supplement = client.post(
            f"{API}/briefings",
            briefing_body(is_supplement=True, title="读书节专刊"),
            content_type="application/json",
        )
    year = timezone.localdate().year
    assert supplement.json()["label"] == f"{year}年增刊第1期"
    regular = Briefing.objects.get(is_supplement=False)
    document = regular.document
    assert document.state == "done"
    docx = client.get(f"{API}/documents/{document.pk}.docx")
    assert docx["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    text = docx_text(b"".join(docx.streaming_content))  # type: ignore[attr-defined]
    assert "报：县教育局" in text
    assert "红色经典诵读" in text
    pdf = client.get(f"{API}/documents/{document.pk}.pdf")
    pages = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages  # type: ignore[attr-defined]
    printed = re.sub(r"\s+", "", "".join(p.extract_text() for p in pages))
    assert f"{year}年第1期" in printed
    assert "报：县教育局" in printed
    assert world.client("xiao").get(f"{API}/documents/{document.pk}.pdf").status_code == 403


def test_a_briefing_needs_its_period_in_order(world: World) -> None:
    build(world)
    today = timezone.localdate()
    backwards = briefing_body(period_start=str(today), period_end=str(today - dt.timedelta(days=1)))
    response = world.client("wang").post(f"{API}/briefings", backwards, content_type="application/json")
    untitled = world.client("wang").post(
        f"{API}/briefings", briefing_body(title=""), content_type="application/json"
    )
    assert (response.status_code, untitled.status_code) == (422, 422)
    assert response.json()["errors"] == {"period_end": ["截止日期不能早于起始日期。"]}
    assert not Briefing.objects.exists()
