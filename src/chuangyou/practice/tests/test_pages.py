import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.practice import records, services
from chuangyou.practice.services import AnswerInput
from chuangyou.practice.tests.helpers import make_set, questions, this_monday
from chuangyou.testing import World


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _students(world: World, count: int, start: int) -> None:
    for i in range(start, start + count):
        org_services.create_student(
            actor=SYSTEM, school_class=world.class_1, student_no=f"S{i:03d}", name=f"学生{i}", gender="F",
            guardians=[(f"家长{i}", f"139{i:08d}")],
        )  # fmt: skip


def test_lists_cost_the_same_queries_at_two_sizes(world: World) -> None:
    first = make_set(world)
    services.submit(actor=actor_for(world.xiao), exercise_set=first, answers={})
    tian, xiao = world.client("tian"), world.client("xiao")
    home, report = "/school/yizhong/practice/", f"/school/yizhong/practice/{first.pk}/report/"
    record = f"/school/yizhong/practice/classes/{world.class_1.pk}/"
    small = [_queries(tian, home), _queries(tian, report), _queries(xiao, home), _queries(tian, record)]
    for i in range(4):
        make_set(world, title=f"练习{i}", week=this_monday() - dt.timedelta(weeks=i + 1))
    _students(world, 6, start=10)
    large = [_queries(tian, home), _queries(tian, report), _queries(xiao, home), _queries(tian, record)]
    assert small == large


def test_report_filters_and_exports_exact_values(world: World) -> None:
    exercise_set = make_set(world, deadline=timezone.now() + dt.timedelta(hours=1))
    _students(world, 2, start=10)
    single = questions(exercise_set)[0]
    services.submit(
        actor=actor_for(world.xiao), exercise_set=exercise_set, answers={single.pk: AnswerInput(chosen=(1,))}
    )
    client = world.client("hu")
    url = f"/school/yizhong/practice/{exercise_set.pk}/report/"
    html = client.get(url + "?status=missing").content.decode()
    assert "学生10" in html
    assert "学生11" in html
    assert "肖同学" not in html
    on_time = client.get(url + "?status=on_time", headers={"HX-Request": "true"}).content.decode()
    assert "肖同学" in on_time
    assert "学生10" not in on_time
    assert "<html" not in on_time
    book = load_workbook(BytesIO(client.get(url.replace("report/", "report.xlsx")).content))
    summary = list(book["各班完成情况"].iter_rows(values_only=True))
    assert summary[2] == ("初一（1）班", 3, 1, 0, 2, "33.3%")
    detail = list(book["学生明细"].iter_rows(values_only=True))
    assert detail[1][:4] == ("初一（1）班", "S001", "肖同学", "按时")
    assert detail[1][5:] == (2.0, None)
    assert detail[2][:4] == ("初一（1）班", "S010", "学生10", "未交")


def test_class_record_gives_the_on_time_rate_per_week(world: World) -> None:
    last_week = this_monday() - dt.timedelta(weeks=1)
    old = make_set(world, week=last_week, title="上周", deadline=timezone.now() + dt.timedelta(hours=1))
    new = make_set(world, title="本周")
    xiao = actor_for(world.xiao)
    services.submit(actor=xiao, exercise_set=old, answers={}, now=timezone.now() + dt.timedelta(hours=2))
    services.submit(actor=xiao, exercise_set=new, answers={})
    _students(world, 1, start=10)
    html = world.client("hu").get(f"/school/yizhong/practice/classes/{world.class_1.pk}/").content.decode()
    assert "按学号排列，不排名次。" in html
    book_bytes = world.client("hu").get(f"/school/yizhong/practice/classes/{world.class_1.pk}.xlsx").content
    weeks = list(load_workbook(BytesIO(book_bytes))["按周按时完成率"].iter_rows(values_only=True))
    assert weeks[2:] == [
        (f"{last_week:%Y-%m-%d}", 1, 2, 0, 1, 1, "0.0%"),
        (f"{this_monday():%Y-%m-%d}", 1, 2, 1, 0, 1, "50.0%"),
        ("合计", 2, 4, 1, 1, 2, "25.0%"),
    ]


def test_record_lines_for_the_participation_record(world: World) -> None:
    exercise_set = make_set(world)
    make_set(world, publish=False, title="草稿")
    services.submit(actor=actor_for(world.xiao), exercise_set=exercise_set, answers={})
    ids = [world.student_xiao.pk, world.student_ming.pk]
    with CaptureQueriesContext(connection) as ctx:
        lines = records.lines_for_students(ids)
    assert len(ctx.captured_queries) == 3
    [line] = lines[world.student_xiao.pk]
    assert (line.section, line.on, line.title, line.detail) == (
        "每周一练",
        this_monday(),
        "数学 · 一元一次方程",
        "按时 · 0.0 分",
    )
    assert line.url == f"/school/yizhong/practice/{exercise_set.pk}/"
    assert lines[world.student_ming.pk] == []
    assert records.lines_for_staff([world.staff_hu.pk]) == {world.staff_hu.pk: []}


def test_a_parent_sees_the_child_result_without_the_key_before_the_deadline(world: World) -> None:
    exercise_set = make_set(world)
    services.submit(
        actor=actor_for(world.xiao), exercise_set=exercise_set,
        answers={questions(exercise_set)[0].pk: AnswerInput(chosen=(1,))},
    )  # fmt: skip
    html = world.client("ma").get("/school/yizhong/practice/").content.decode()
    assert "肖同学的每周一练" in html
    assert "2.0 / 12.0 分" in html
    result = (
        world.client("ma")
        .get(f"/school/yizhong/practice/{exercise_set.pk}/students/{world.student_xiao.pk}/")
        .content.decode()
    )
    # The open question was left blank: it scores 0 at once and waits for nobody.
    assert "2.0 / 12.0 分" in result
    assert "截止时间过后可以看到标准答案。" in result
    assert "答案：B" not in result


@pytest.mark.parametrize("score", ["6", "-1"])
def test_grading_out_of_range_shows_the_error_on_the_card(world: World, score: str) -> None:
    exercise_set = make_set(world)
    open_q = questions(exercise_set)[3]
    services.submit(
        actor=actor_for(world.xiao), exercise_set=exercise_set, answers={open_q.pk: AnswerInput(text="思路")}
    )
    answer = open_q.answers.get()
    html = world.client("tian").post(
        f"/school/yizhong/practice/{exercise_set.pk}/grading/{answer.pk}/", {"score": score},
        headers={"HX-Request": "true"},
    ).content.decode()  # fmt: skip
    assert 'role="alert"' in html
    assert "得分须在 0 至 5.0 分之间。" in html
    assert open_q.answers.get().score is None
