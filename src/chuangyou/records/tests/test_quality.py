"""综合素质评价 on the evaluation engine: rated by the 班主任 and teachers, with the student's own
写实记录 beside each dimension."""

import datetime as dt

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.books import services as book_services
from chuangyou.evaluations import services
from chuangyou.evaluations.models import (
    Evaluation,
    Portfolio,
)
from chuangyou.evaluations.tests.uses_helpers import WINDOW, by_name, close_and_publish, vote
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.org.models import Staff
from chuangyou.org.rules import actor_for
from chuangyou.records import selectors as record_selectors
from chuangyou.records.services import create_quality_evaluation, sign_portfolio, write_portfolio
from chuangyou.testing import PERSONAS, World


@pytest.fixture
def quality(world: World) -> Evaluation:
    tian = Staff.objects.get(user=world.tian)
    return create_quality_evaluation(
        actor=actor_for(world.wang),
        school_class=world.class_1,
        term="2026 春季学期",
        teachers=[tian],
        **WINDOW,
    )


def test_quality_is_rated_by_the_head_teacher_and_teachers_with_the_cap(
    world: World, quality: Evaluation
) -> None:
    assert quality.title == "2026 春季学期综合素质评价·初一（1）班"
    assert [(g.name, g.user_ids) for g in quality.groups.all()] == [
        ("班主任", [world.hu.pk]),
        ("任课教师", [world.tian.pk]),
    ]
    services.open_voting(actor=actor_for(world.wang), evaluation=quality)
    xiao = by_name(quality)["肖同学"]
    for name in ("hu", "tian"):
        vote(world, quality, name, {xiao: {f"c{i}": "A" for i in range(1, 6)}})
    quality = close_and_publish(world, quality)
    row = quality.result["subjects"][0]
    # 100 by the band is A, but A is capped at 30% of 1 student rated = 0 places: it drops to B
    assert (row["total"], row["level_by_band"], row["level"]) == ("100.00", "A", "B")


def test_the_student_writes_and_signs_the_portfolio_and_raters_see_it(
    world: World, quality: Evaluation
) -> None:
    xiao = actor_for(world.xiao)
    book_services.recommend(
        actor=xiao, school=world.school, title="红岩", author="罗广斌", review="读后很受鼓舞。"
    )
    lines = record_selectors.student_lines(world.student_xiao.pk)["好书推荐"]
    key = record_selectors.line_key(lines[0])
    portfolio = Portfolio.objects.get(evaluation=quality)
    write_portfolio(
        actor=xiao,
        portfolio=portfolio,
        entries={"c2": {"text": "坚持每月读一本书。", "lines": [key]}, "c5": {"text": ""}},
    )
    with pytest.raises(Invalid, match="只能选择本人参与档案中的记录"):
        write_portfolio(actor=xiao, portfolio=portfolio, entries={"c1": {"lines": ["别人的记录"]}})
    with pytest.raises(Invalid, match="签名须与本人姓名一致"):
        sign_portfolio(actor=xiao, portfolio=portfolio, signature="马家长")
    sign_portfolio(actor=xiao, portfolio=portfolio, signature="肖同学", today=dt.date(2026, 6, 30))
    portfolio.refresh_from_db()
    assert (portfolio.entries, portfolio.signature, portfolio.signed_on) == (
        {"c2": {"text": "坚持每月读一本书。", "lines": [key]}},
        "肖同学",
        dt.date(2026, 6, 30),
    )
    with pytest.raises(Conflict, match="已签名确认"):
        write_portfolio(actor=xiao, portfolio=portfolio, entries={})

    services.open_voting(actor=actor_for(world.wang), evaluation=quality)
    subject = quality.subjects.get()
    evidence = record_selectors.quality_evidence(quality, [subject])[subject.pk]
    assert (evidence["c2"].text, evidence["c2"].selected) == ("坚持每月读一本书。", [key])
    assert [line.title for line in evidence["c2"].lines] == ["《红岩》罗广斌"]
    assert (evidence["c1"].text, evidence["c1"].lines) == ("", [])
    head_group = quality.groups.get(name="班主任")
    page = (
        world.client("hu")
        .get(f"/school/yizhong/evaluations/{quality.pk}/vote/{head_group.pk}/")
        .content.decode()
    )
    assert "本人写实记录（已签名）：坚持每月读一本书。" in page
    assert "《红岩》罗广斌" in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_nobody_but_the_student_writes_the_portfolio(world: World, quality: Evaluation, persona: str) -> None:
    portfolio = Portfolio.objects.get(evaluation=quality)
    entries = {"c1": {"text": "代写的内容"}}
    page = world.client(persona).post(
        f"/school/yizhong/records/quality/{quality.pk}/portfolio/",
        {"action": "save", "text-c1": "代写的内容"},
    )
    if persona == "xiao":
        assert page.status_code == 302
        portfolio.refresh_from_db()
        assert portfolio.entries == {"c1": {"text": "代写的内容", "lines": []}}
    else:
        assert page.status_code == 403
        with pytest.raises(NotAllowed):
            write_portfolio(actor=actor_for(world.persona(persona)), portfolio=portfolio, entries=entries)
        portfolio.refresh_from_db()
        assert portfolio.entries == {}
        assert not AuditEntry.objects.filter(action="evaluation.portfolio_write").exists()


def test_my_ballots_page_offers_the_students_own_portfolio_and_no_one_elses(
    world: World, quality: Evaluation
) -> None:
    """The records app adds the 写实记录 to the engine's 我的评议投票 (evaluations.uses), for its student."""
    link = f"/school/yizhong/records/quality/{quality.pk}/portfolio/"
    mine = world.client("xiao").get("/school/yizhong/evaluations/mine/").content.decode()
    assert 'data-testid="my-portfolios"' in mine
    assert link in mine
    teacher = world.client("hu").get("/school/yizhong/evaluations/mine/").content.decode()
    assert 'data-testid="my-portfolios"' not in teacher
