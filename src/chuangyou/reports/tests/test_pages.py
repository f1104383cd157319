from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from chuangyou.audit.models import AuditEntry
from chuangyou.reports.models import DocState, Document
from chuangyou.reports.summary import docx_text
from chuangyou.reports.tests.scenario import add_students, build
from chuangyou.testing import PERSONAS, World

BASE = "/school/yizhong/reports/"
READERS = {"alice", "bella", "wang", "su", "ju"}
GENERATORS = {"alice", "bella", "wang"}


def test_the_dashboard_shows_each_figure_with_its_table_and_links(world: World) -> None:
    s = build(world)
    page = world.client("bella").get(BASE).content.decode()
    assert 'data-testid="table-participation"' in page
    assert f'href="/school/yizhong/records/classes/{world.class_1.pk}/"' in page
    assert 'href="/school/yizhong/activities/?kind=theme_education"' in page
    assert f'href="/school/yizhong/campaigns/{s.campaign.year}/assignments/?status=overdue"' in page
    assert "vendor/echarts/echarts.min.js" in page
    assert "50.0%" in page  # xiao took part; ming only signed up for the contest to come


def test_the_dashboard_query_count_does_not_grow_with_the_school(world: World) -> None:
    build(world)
    client = world.client("bella")
    client.get(BASE)  # warm the session and the actor
    with CaptureQueriesContext(connection) as small:
        client.get(BASE)
    add_students(world.class_1, 30)
    add_students(world.class_2, 30, prefix="M")
    with CaptureQueriesContext(connection) as large:
        client.get(BASE)
    assert len(small) == len(large)


def test_the_tables_export_to_one_workbook(world: World) -> None:
    s = build(world)
    response = world.client("alice").get(f"{BASE}?year={s.campaign.year}&format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["各班学生参与率(pct)"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["班级", "参与率（%）", "参与人数", "学生数"],
        ["初一（1）班", 100, 1, 1],
        ["初一（2）班", 0, 0, 1],  # ming has only signed up for the contest to come
    ]


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_office_and_the_bureau_read_the_dashboard(world: World, name: str) -> None:
    build(world)
    status = world.client(name).get(BASE).status_code
    assert status == (200 if name in READERS else 403)


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_groups_that_run_the_campaign_ask_for_the_summary(
    world: World, name: str, django_capture_on_commit_callbacks: Any
) -> None:
    s = build(world)
    before = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client(name).post(f"{BASE}{s.campaign.year}/summary/")
    if name in GENERATORS:
        document = Document.objects.get()
        assert response.status_code == 302
        assert document.state == DocState.DONE  # the immediate backend ran the task
        download = world.client(name).get(f"{BASE}documents/{document.pk}.docx")
        text = docx_text(b"".join(download.streaming_content))  # type: ignore[attr-defined]
        assert "共发布活动2项，已举办1项" in text
    else:
        assert response.status_code == 403
        assert not Document.objects.exists()
        assert AuditEntry.objects.count() == before


def test_the_head_teacher_sees_the_class_and_not_another(world: World) -> None:
    build(world)
    hu = world.client("hu")
    page = hu.get(f"{BASE}classes/{world.class_1.pk}/").content.decode()
    assert "参加过活动的学生" in page
    assert hu.get(f"{BASE}classes/{world.class_2.pk}/").status_code == 403


def test_honors_reach_the_dashboard_the_bureau_and_the_personal_summary(world: World) -> None:
    from chuangyou.campaigns.services import create_campaign
    from chuangyou.org.rules import SYSTEM
    from chuangyou.reports.tests.scenario import commend

    s = build(world)
    commend(world, s.campaign)
    page = world.client("bella").get(BASE).content.decode()
    assert "推荐 2 人次" in page
    assert "表彰 1 人次" in page
    assert "奖金 100.00 元" in page
    assert 'data-testid="table-honors"' in page
    create_campaign(
        actor=SYSTEM, school=world.other_school, year=s.campaign.year, title="二中方案", theme="争优"
    )
    ranking = world.client("ju").get(f"/bureau/county/reports/?year={s.campaign.year}&sort=prizes")
    rows = ranking.content.decode().split('data-testid="ranking"')[1]
    assert rows.index("示例县第一中学") < rows.index("示例县第二中学")
    assert "100.00" in rows
    mine = world.client("ma").get(f"{BASE}students/{world.student_xiao.pk}/").content.decode()
    assert "优秀学生干部" in mine
    theirs = world.client("ming").get(f"{BASE}students/{world.student_ming.pk}/").content.decode()
    assert "优秀学生干部" not in theirs
