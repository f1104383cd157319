import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.projects import records, services
from chuangyou.projects.models import Call, Proposal
from chuangyou.projects.tests.conftest import make_call, propose, staff_of
from chuangyou.records.lines import RecordLine
from chuangyou.testing import World


def _proposals(world: World, call: Call, count: int, start: int = 0) -> None:
    """`count` more students, each leading a submitted proposal advised by tian."""
    day = timezone.localdate() - dt.timedelta(days=30)
    for i in range(start, start + count):
        student = org_services.create_student(
            actor=SYSTEM, school_class=world.class_2, student_no=f"P{i:03d}", name=f"学生{i}", gender="F",
            guardians=[(f"家长{i}", f"139{i:08d}")], on=day,
        )  # fmt: skip
        assert student.user is not None
        proposal = propose(world, student.user, call, title=f"项目{i}", budget_request=Decimal(100 + i))
        services.submit_proposal(actor=actor_for(student.user), proposal=proposal)


def _queries(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/school/yizhong/projects/proposals/", "/school/yizhong/projects/calls/{call}/"]
)
def test_lists_cost_the_same_queries_at_two_sizes(world: World, call: Call, url: str) -> None:
    client = world.client("wang")
    path = url.format(call=call.pk)
    _proposals(world, call, 3)
    small = _queries(client, path)
    _proposals(world, call, 12, start=3)
    assert _queries(client, path) == small
    html = client.get(path).content.decode()
    assert html.count('data-testid="proposal-row"') == 15


def test_calls_list_costs_the_same_at_two_sizes(world: World) -> None:
    client = world.client("xiao")
    make_call(world, semester="2025 秋季学期")
    small = _queries(client, "/school/yizhong/projects/")
    for year in range(2026, 2030):
        make_call(world, semester=f"{year} 春季学期")
    assert _queries(client, "/school/yizhong/projects/") == small
    assert client.get("/school/yizhong/projects/").content.decode().count('data-testid="call-row"') == 5


def test_the_list_filters_with_htmx(world: World, call: Call) -> None:
    _proposals(world, call, 3)
    propose(world, world.xiao, call, title="智能花盆")
    client = world.client("su")
    base = "/school/yizhong/projects/proposals/"
    drafts = client.get(base + "?status=draft", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in drafts
    assert drafts.count('data-testid="proposal-row"') == 1
    assert "智能花盆" in drafts
    by_name = client.get(base + "?q=学生1").content.decode()
    assert by_name.count('data-testid="proposal-row"') == 1
    assert "项目1" in by_name
    nothing = client.get(base + "?q=不存在").content.decode()
    assert "没有符合条件的项目。" in nothing


def test_empty_states(world: World) -> None:
    assert "还没有创新项目征集。点击“发布征集”开始本学期的征集。" in world.client("wang").get(
        "/school/yizhong/projects/"
    ).content.decode("utf-8")
    assert "您还没有可以查看的创新项目。" in world.client("xiao").get(
        "/school/yizhong/projects/proposals/"
    ).content.decode("utf-8")


def test_the_office_exports_the_list(world: World, call: Call) -> None:
    proposal = propose(world, world.xiao, call, members=[world.student_ming])
    services.submit_proposal(actor=actor_for(world.xiao), proposal=proposal)
    response = world.client("su").get("/school/yizhong/projects/proposals/export/?status=submitted")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="projects-yizhong-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("示例县第一中学 创新项目申报一览，导出于 ")
    assert rows[1] == (
        "征集", "项目名称", "负责人", "班级", "团队成员", "指导教师", "申请经费（元）", "状态", "评审排名",
        "评审总分", "资助金额（元）", "提交时间",
    )  # fmt: skip
    assert rows[2][:11] == (
        "2026 秋季学期 · 创新项目征集", "校园雨水回收装置", "肖同学", "初一（1）班", "明同学", "田师", 2000,
        "已提交", None, None, None,
    )  # fmt: skip
    assert len(rows) == 3
    assert world.client("tian").get("/school/yizhong/projects/proposals/export/").status_code == 403


def test_the_print_view_is_a_proposal_form(world: World, call: Call) -> None:
    proposal = propose(world, world.xiao, call, members=[world.student_ming])
    html = (
        world.client("tian").get(f"/school/yizhong/projects/proposals/{proposal.pk}/print/").content.decode()
    )
    assert "创新项目申报书" in html
    assert '<th>项目名称</th><td colspan="3">校园雨水回收装置</td>' in html
    assert "明同学（初一（2）班）" in html
    assert "指导教师签字" in html


def test_an_over_budget_grant_is_shown_on_the_form(world: World, under_review: Proposal) -> None:
    Call.objects.filter(pk=under_review.call_id).update(budget=Decimal("1000"))
    response = world.client("wang").post(
        f"/school/yizhong/projects/proposals/{under_review.pk}/decision/",
        {"decision": "funded", "amount": "1500", "reason": "纪要"},
    )
    assert response.status_code == 200
    assert "资助金额超出本次征集的剩余经费：剩余 1000.00 元，拟资助 1500.00 元。" in response.content.decode()
    assert Proposal.objects.get(pk=under_review.pk).status == "under_review"


def test_record_lines_for_team_and_advisor(world: World, under_review: Proposal, call: Call) -> None:
    services.record_decision(
        actor=actor_for(world.wang), proposal=under_review, funded=True, amount=Decimal("1800"), reason="纪要"
    )
    propose(world, world.xiao, make_call(world, semester="2027 春季学期"), title="草稿不计入")
    tian = staff_of(world.tian)
    url = f"/school/yizhong/projects/proposals/{under_review.pk}/"
    on = timezone.localdate()
    with CaptureQueriesContext(connection) as ctx:
        students = records.lines_for_students([world.student_xiao.pk, world.student_ming.pk])
    assert len(ctx.captured_queries) == 1
    assert students == {
        world.student_xiao.pk: [
            RecordLine(
                "创新项目",
                on,
                "校园雨水回收装置（2026 秋季学期）",
                "负责人 · 已立项资助 · 资助 1800.00 元",
                url=url,
            )
        ],
        world.student_ming.pk: [
            RecordLine(
                "创新项目",
                on,
                "校园雨水回收装置（2026 秋季学期）",
                "成员 · 已立项资助 · 资助 1800.00 元",
                url=url,
            )
        ],
    }
    with CaptureQueriesContext(connection) as ctx:
        staff = records.lines_for_staff([tian.pk, world.staff_hu.pk])
    assert len(ctx.captured_queries) == 1
    assert staff == {
        tian.pk: [
            RecordLine(
                "创新项目",
                on,
                "校园雨水回收装置（2026 秋季学期）",
                "指导教师 · 已立项资助 · 资助 1800.00 元",
                url=url,
            )
        ]
    }
