"""工作台 (issue 11): each person lands on what they must do now, one click each, with its deadline;
what is done leaves the list; nobody sees another's or another school's work."""

from __future__ import annotations

import re

from django.test import Client

from chuangyou.evaluations.tests.conftest import build_teacher_evaluation
from chuangyou.nominations import services as nominations
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.practice.tests.helpers import make_set
from chuangyou.testing import PINNED_TODAY, World
from chuangyou.volunteering.tests.test_claims import claim


def _todos(client: Client) -> list[tuple[str, str, str]]:
    """(kind, title, link) of each entry on the home page."""
    html = client.get("/").content.decode()
    rows = html.split('data-testid="todo" ')[1:]
    found = []
    for row in rows:
        kind = re.search(r'data-kind="([a-z]+)"', row)
        link = re.search(r'href="([^"]+)" data-testid="todo-link">([^<]+)<', row)
        assert kind
        assert link
        found.append((kind.group(1), link.group(2), link.group(1).replace("&amp;", "&")))
    return found


def _count(client: Client) -> int:
    badge = client.get("/todos/count/").content.decode()
    match = re.search(r'data-testid="todo-count"[^>]*>(\d+)<', badge)
    return int(match.group(1)) if match else 0


def test_a_teacher_finds_the_ballot_on_home_and_it_leaves_once_cast(world: World) -> None:
    evaluation = build_teacher_evaluation(world, codes=1)
    world.client("wang").post(f"/school/yizhong/evaluations/{evaluation.pk}/open/")
    tian = world.client("tian")
    [(_kind, title, url)] = [t for t in _todos(tian) if t[0] == "ballot"]
    assert title == f"为「{evaluation.title}」投票"
    assert _count(tian) >= 1
    ballot = tian.get(url)
    assert ballot.status_code == 200
    assert 'data-testid="ballot-subject"' in ballot.content.decode()
    subjects = list(evaluation.subjects.all())
    marks = {f"m-{s.pk}-c{i}": "好" for s in subjects for i in range(1, 6)} | {
        f"m-{subjects[0].pk}-c1": "较好"
    }
    assert "您的回执码" in tian.post(url, marks).content.decode()
    assert [t for t in _todos(tian) if t[0] == "ballot"] == []
    # a student is not entitled to the teachers' evaluation and sees no ballot
    assert [t for t in _todos(world.client("xiao")) if t[0] == "ballot"] == []


def test_the_supervision_leader_sees_each_open_objection_until_it_is_archived(world: World) -> None:
    campaign = campaign_of(world)
    n = selected(world, award_of(world), campaign)
    notice = notice_for(world, campaign, [n], PINNED_TODAY)
    o, _code = nominations.file_objection(
        notice=notice, nomination=n, anonymous=False, name="张三", phone="13700000000",
        grounds="时长不符。", today=PINNED_TODAY,
    )  # fmt: skip
    su = world.client("su")
    [(kind, title, url)] = _todos(su)
    assert (kind, title, url) == (
        "objection",
        f"办理异议 #{o.pk}：肖同学",
        f"/school/yizhong/nominations/objections/{o.pk}/",
    )
    assert su.get(url).status_code == 200
    for step in (
        {"to_status": "accepted"},
        {"to_status": "verifying", "note": "核实"},
        {"to_status": "rejected", "note": "不符", "reply": "经核实，异议不成立。"},
        {"to_status": "replied"},
        {"to_status": "archived"},
    ):
        assert su.post(url, step).status_code == 302, step
    assert _todos(su) == []
    assert "眼下没有需要您处理的事项。" in su.get("/").content.decode()
    # the leading group reads objections but does not handle them: no entry
    assert [t for t in _todos(world.client("bella")) if t[0] == "objection"] == []


def test_a_student_and_the_parent_see_the_practice_that_is_due(world: World) -> None:
    exercise_set = make_set(world)
    [(_kind, title, url)] = [t for t in _todos(world.client("xiao")) if t[0] == "practice"]
    assert title == f"完成每周一练「{exercise_set.title}」"
    assert world.client("xiao").get(url).status_code in (200, 302)
    [(_k, parent_title, _u)] = [t for t in _todos(world.client("ma")) if t[0] == "practice"]
    assert parent_title == f"提醒肖同学完成每周一练「{exercise_set.title}」"
    # ming is in another class: nothing for him
    assert [t for t in _todos(world.client("ming")) if t[0] == "practice"] == []


def test_the_organizer_is_asked_to_certify_hours_and_the_parent_to_consent(world: World) -> None:
    claim(world)
    tian_todos = [t for t in _todos(world.client("tian")) if t[0] == "hours"]
    assert tian_todos == [("hours", "认证 1 条志愿服务时长", "/school/yizhong/volunteering/review/")]
    consent = [t for t in _todos(world.client("ma")) if t[0] == "consent"]
    assert len(consent) == 1
    assert world.client("ma").get(consent[0][2]).status_code == 200


def test_another_schools_admin_and_a_stranger_see_nothing_of_ours(world: World) -> None:
    claim(world)
    make_set(world)
    assert _todos(world.client("oscar")) == []
    assert _count(world.client("oscar")) == 0
    anonymous = Client().get("/todos/count/")
    assert anonymous.status_code == 302  # to the login page


def test_the_navigation_links_the_workbench_on_every_page(world: World) -> None:
    make_set(world)
    page = world.client("xiao").get("/school/yizhong/practice/").content.decode()
    assert 'data-testid="todo-nav"' in page
    assert 'hx-get="/todos/count/"' in page
    assert _count(world.client("xiao")) == 1
