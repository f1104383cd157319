"""The pages end to end through the Django client: build, slips, vote, turnout, paper, publish, check."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from chuangyou.evaluations import services
from chuangyou.evaluations.models import Ballot, Evaluation, PaperEntry, State
from chuangyou.evaluations.tests.conftest import build_teacher_evaluation
from chuangyou.org import services as org_services
from chuangyou.org.models import Role
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, World

BASE = "/school/yizhong/evaluations"


def test_list_is_paginated_with_a_fixed_query_count(world: World) -> None:
    client = world.client("wang")
    assert "还没有评议" in client.get(f"{BASE}/").content.decode()
    build_teacher_evaluation(world)
    with CaptureQueriesContext(connection) as one:
        client.get(f"{BASE}/")
    for _ in range(4):
        build_teacher_evaluation(world)
    with CaptureQueriesContext(connection) as five:
        page = client.get(f"{BASE}/").content.decode()
    assert page.count("师德标兵民主测评") == 5
    assert len(five) == len(one)


def test_create_from_a_ready_made_rubric_and_print_slips(world: World) -> None:
    client = world.client("wang")
    now = timezone.localtime()
    response = client.post(
        f"{BASE}/new/",
        {
            "title": "五星级党支部创评",
            "subject_type": "branch",
            "preset": "five_star",
            "opens_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    evaluation = Evaluation.objects.get()
    assert response["Location"] == f"{BASE}/{evaluation.pk}/"
    assert evaluation.rubric["criteria"][0]["title"] == "领导班子好"
    client.post(f"{BASE}/{evaluation.pk}/subjects/roster/")
    client.post(
        f"{BASE}/{evaluation.pk}/groups/add/",
        {"kind": "public", "name": "群众", "weight": "1", "source": "codes"},
    )
    group = evaluation.groups.get()
    pdf = client.post(f"{BASE}/{evaluation.pk}/groups/{group.pk}/codes.pdf", {"count": "12"})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert (
        pdf.content.count(b"/Type /Page\n") + pdf.content.count(b"/Type /Page ") >= 2
    )  # 12 slips, 10 a page
    assert evaluation.entitlements.count() == 12
    detail = client.get(f"{BASE}/{evaluation.pk}/").content.decode()
    assert "示例县第一中学党支部" in detail
    assert "每个评议主体的评议人多于 5 人时" in detail


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_open_voting(world: World, persona: str) -> None:
    evaluation = build_teacher_evaluation(world)
    response = world.client(persona).post(f"{BASE}/{evaluation.pk}/open/")
    evaluation.refresh_from_db()
    if persona in {"alice", "bella", "wang"}:
        assert evaluation.state == State.OPEN
    else:
        assert response.status_code == 403
        assert evaluation.state == State.DRAFT
        assert evaluation.entitlements.count() == 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_supervision_group_downloads_the_ballot_table(world: World, persona: str) -> None:
    evaluation = build_teacher_evaluation(world)
    services.open_voting(actor=actor_for(world.wang), evaluation=evaluation)
    services.close_voting(actor=actor_for(world.wang), evaluation=evaluation)
    response = world.client(persona).get(f"{BASE}/{evaluation.pk}/ballots.xlsx")
    recount = world.client(persona).post(f"{BASE}/{evaluation.pk}/recount/")
    if persona == "su":
        assert response.status_code == 200
        assert recount.status_code == 200
    else:
        assert response.status_code == 403
        assert recount.status_code == 403


def test_the_whole_count_through_the_pages(world: World) -> None:
    evaluation = build_teacher_evaluation(world, codes=2)
    codes = evaluation.issued_codes  # type: ignore[attr-defined]
    wang = world.client("wang")
    wang.post(f"{BASE}/{evaluation.pk}/open/")
    peers = evaluation.groups.get(name="教师互评")
    subjects = list(evaluation.subjects.all())

    def form(level: str) -> dict[str, str]:
        return {f"m-{s.pk}-c{i}": level for s in subjects for i in range(1, 6)} | {
            f"m-{subjects[0].pk}-c1": "较好"
        }

    # teachers vote by account; tian twice: the second is refused with a clear message
    for name in ("alice", "bella", "tian", "hu"):
        page = world.client(name).post(f"{BASE}/{evaluation.pk}/vote/{peers.pk}/", form("好"))
        assert "您的回执码" in page.content.decode()
    again = world.client("tian").post(f"{BASE}/{evaluation.pk}/vote/{peers.pk}/", form("好"))
    assert again.status_code == 409
    assert "您已经投过票了" in again.content.decode()
    # a parent by code, no login
    public = wang.__class__()
    ballot_page = public.post("/s/yizhong/evaluations/v/", {"code": codes[0]})
    assert ballot_page.status_code == 200
    assert "echarts" not in ballot_page.content.decode()
    assert f'name="ballot_code" value="{codes[0]}"' in ballot_page.content.decode()
    # not the same mark for every teacher: that ballot would be void, and the page would ask first
    parent_marks = form("较好") | {f"m-{subjects[0].pk}-c1": "好"}
    done = public.post("/s/yizhong/evaluations/v/", {"ballot_code": codes[0], **parent_marks})
    receipt = done.content.decode().split('data-testid="receipt">')[1].split("<")[0]
    check = public.get(f"/s/yizhong/evaluations/{evaluation.pk}/receipt/", {"receipt": receipt})
    assert "已计入" in check.content.decode()
    reuse = public.post("/s/yizhong/evaluations/v/", {"ballot_code": codes[0], **form("好")})
    assert reuse.status_code == 409
    # during voting only turnout shows
    turnout = wang.get(f"{BASE}/{evaluation.pk}/turnout/").content.decode()
    assert "<td>教师互评</td><td>6</td><td>4</td><td>67%</td>" in turnout
    assert "<td>家长</td><td>2</td><td>1</td><td>50%</td>" in turnout
    assert wang.get(f"{BASE}/{evaluation.pk}/result/").status_code == 404

    wang.post(f"{BASE}/{evaluation.pk}/close/")
    # paper ballots for the parents: two entries that disagree block the count
    parents = evaluation.groups.get(name="家长")
    tally = {"issued": "1", "returned": "1", "void": "0", "blank": "0", f"t-{subjects[1].pk}-c1-0": "1"}
    wang.post(f"{BASE}/{evaluation.pk}/groups/{parents.pk}/paper/", tally)
    same_person = wang.post(f"{BASE}/{evaluation.pk}/groups/{parents.pk}/paper/", tally)
    assert "两次录入须由两位不同的工作小组成员完成" in same_person.content.decode()
    assert PaperEntry.objects.count() == 1
    # a second working-group member enters it with a typo: the mismatch blocks publishing
    org_services.grant_role(
        actor=SYSTEM,
        user=world.tian,
        role=Role.WORKING_GROUP,
        school=world.school,
        starts_on=timezone.localdate(),
    )
    tian = world.client("tian")
    typo = tally | {f"t-{subjects[1].pk}-c1-0": "0", f"t-{subjects[1].pk}-c1-1": "1"}
    tian.post(f"{BASE}/{evaluation.pk}/groups/{parents.pk}/paper/", typo)
    assert "两次不一致" in wang.get(f"{BASE}/{evaluation.pk}/").content.decode()
    refused = wang.post(f"{BASE}/{evaluation.pk}/publish/", follow=True).content.decode()
    assert "纸质票两次录入不一致" in refused
    evaluation.refresh_from_db()
    assert evaluation.state == State.CLOSED
    second = PaperEntry.objects.get(round=2)
    tian.post(f"{BASE}/{evaluation.pk}/paper/{second.pk}/withdraw/")
    tian.post(f"{BASE}/{evaluation.pk}/groups/{parents.pk}/paper/", tally)
    wang.post(f"{BASE}/{evaluation.pk}/publish/")
    evaluation.refresh_from_db()
    assert evaluation.state == State.PUBLISHED
    assert evaluation.result is not None
    # 4 of 6 teachers: quorum met; parents 1 online + 1 paper of 3 (2 codes, 1 paper slip): met
    groups = {g["name"]: g for g in evaluation.result["groups"]}
    assert (groups["教师互评"]["returned"], groups["教师互评"]["quorum_met"]) == (4, True)
    assert (groups["家长"]["entitled"], groups["家长"]["returned"], groups["家长"]["quorum_met"]) == (
        3,
        2,
        True,
    )
    page = wang.get(f"{BASE}/{evaluation.pk}/result/").content.decode()
    assert "的总分是怎么算出来的" in page
    # an evaluation of people reads by the leadership, not on the street
    assert public.get(f"/s/yizhong/evaluations/{evaluation.pk}/result/").status_code == 404

    su = world.client("su")
    recount = su.post(f"{BASE}/{evaluation.pk}/recount/").content.decode()
    assert "重新计票结果与公布结果一致" in recount
    table = su.get(f"{BASE}/{evaluation.pk}/ballots.xlsx")
    rows = list(load_workbook(io.BytesIO(table.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][:3] == ("选票编号", "评议主体", "投票日期")
    assert len(rows) == 1 + Ballot.objects.count() == 6
    first = subjects[0]
    bench = wang.get(f"{BASE}/{evaluation.pk}/benchmark/{first.pk}/").content.decode()
    assert "echarts.min.js" in bench
    assert 'data-testid="benchmark-table"' in bench

    # the recount command agrees, and a tampered ballot makes it fail
    out = io.StringIO()
    call_command("recount", str(evaluation.pk), stdout=out)
    assert "一致" in out.getvalue()
    ballot = Ballot.objects.filter(group=peers).first()
    assert ballot is not None
    ballot.content = {k: dict.fromkeys(v, "差") for k, v in ballot.content.items()}
    ballot.save()
    with pytest.raises(SystemExit) as exit_:
        call_command("recount", str(evaluation.pk), stdout=io.StringIO())
    assert exit_.value.code == 1
