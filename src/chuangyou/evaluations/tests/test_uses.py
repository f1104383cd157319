"""The uses built on the engine: the 创新项目 panel review written back to the proposals, 评诺 with the
result beside each item, the 民主测评 presets, and 综合素质评价 with the student's own 写实记录."""

import datetime as dt
from decimal import Decimal

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.books import services as book_services
from chuangyou.commitments.tests.helpers import make_campaign, published
from chuangyou.evaluations import selectors, services
from chuangyou.evaluations.models import (
    Entitlement,
    Evaluation,
    Portfolio,
    Recusal,
    Source,
    State,
    Use,
)
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.org.models import Staff
from chuangyou.org.rules import Actor, actor_for
from chuangyou.projects import services as project_services
from chuangyou.projects.models import Proposal
from chuangyou.projects.models import Status as ProposalStatus
from chuangyou.projects.tests.conftest import make_call, panel_of_three, propose
from chuangyou.testing import PERSONAS, PINNED_NOW, World

WINDOW = {
    "opens_at": PINNED_NOW - dt.timedelta(hours=1),
    "closes_at": PINNED_NOW + dt.timedelta(hours=2),
}


def vote(world: World, evaluation: Evaluation, name: str, marks: dict[str, dict[str, str]]) -> None:
    entitlement = Entitlement.objects.get(evaluation=evaluation, user=world.persona(name))
    services.cast_ballot(actor=actor_for(world.persona(name)), entitlement=entitlement, marks=marks)


def close_and_publish(world: World, evaluation: Evaluation) -> Evaluation:
    wang = actor_for(world.wang)
    services.close_voting(actor=wang, evaluation=evaluation)
    return services.publish(actor=wang, evaluation=evaluation)


def by_name(evaluation: Evaluation) -> dict[str, str]:
    return {s.name: str(s.pk) for s in evaluation.subjects.all()}


# --- 创新项目 ----------------------------------------------------------------------------------


def test_the_panel_review_ranks_the_proposals_and_writes_rank_and_total_back(world: World) -> None:
    wang = actor_for(world.wang)
    call = make_call(world)
    rain = propose(world, world.xiao, call)  # advised by tian
    garden = propose(world, world.ming, call, title="屋顶菜园", advisor=world.staff_hu)
    for who, p in ((world.xiao, rain), (world.ming, garden)):
        project_services.submit_proposal(actor=actor_for(who), proposal=p)
    panel_of_three(world, call)  # hu, bella, su: hu advises 屋顶菜园 and is recused from it
    project_services.open_review(actor=wang, call=call)
    call.refresh_from_db()

    evaluation = services.create_project_review(actor=wang, call=call, **WINDOW)
    assert (evaluation.use, evaluation.use_object_id, evaluation.preset) == (
        Use.PROJECT_REVIEW,
        call.pk,
        "project",
    )
    group = evaluation.groups.get()
    assert (group.name, group.source) == ("评审组", Source.LIST)
    with pytest.raises(Conflict, match="已经建立"):
        services.create_project_review(actor=wang, call=call, **WINDOW)

    services.open_voting(actor=wang, evaluation=evaluation)
    ids = by_name(evaluation)
    recusal = Recusal.objects.get(evaluation=evaluation)
    assert (recusal.user_id, recusal.subject.name) == (world.hu.pk, "屋顶菜园")
    assert AuditEntry.objects.filter(action="evaluation.recuse").count() == 1

    def sheet(*points: int) -> dict[str, str]:
        return {f"c{i}": str(p) for i, p in enumerate(points, start=1)}

    rain_id, garden_id = ids["校园雨水回收装置"], ids["屋顶菜园"]
    vote(world, evaluation, "bella", {rain_id: sheet(25, 25, 20, 10), garden_id: sheet(20, 20, 15, 10)})
    vote(world, evaluation, "su", {rain_id: sheet(27, 25, 20, 12), garden_id: sheet(28, 27, 22, 13)})
    vote(world, evaluation, "hu", {rain_id: sheet(20, 20, 20, 10), garden_id: sheet(30, 30, 25, 15)})
    evaluation = close_and_publish(world, evaluation)
    # 雨水: (80 + 84 + 70) / 3 = 78; 菜园: hu's marks were blanked by the recusal, (65 + 90) / 2 = 77.5
    assert [(s["name"], s["rank"], s["total"]) for s in evaluation.result["subjects"]] == [
        ("校园雨水回收装置", 1, "78.00"),
        ("屋顶菜园", 2, "77.50"),
    ]

    outcomes = services.project_outcomes(evaluation)
    assert [(o.proposal.pk, o.rank, o.total, o.suggest_funded, o.suggest_amount) for o in outcomes] == [
        (rain.pk, 1, Decimal("78.00"), True, Decimal("2000")),
        (garden.pk, 2, Decimal("77.50"), True, Decimal("2000")),
    ]
    # the person decides: only the first is funded, and for less than suggested
    services.record_project_outcomes(
        actor=wang,
        evaluation=evaluation,
        decisions=[
            services.ProjectDecision(rain.pk, True, Decimal("1500")),
            services.ProjectDecision(garden.pk, False, None),
        ],
        reason="评审会第 1 次会议",
    )
    rain.refresh_from_db()
    garden.refresh_from_db()
    assert (rain.status, rain.panel_rank, rain.panel_total, rain.amount_granted) == (
        ProposalStatus.FUNDED, 1, Decimal("78.00"), Decimal("1500.00"),
    )  # fmt: skip
    assert (garden.status, garden.panel_rank, garden.panel_total, garden.amount_granted) == (
        ProposalStatus.NOT_FUNDED, 2, Decimal("77.50"), None,
    )  # fmt: skip
    with pytest.raises(Conflict, match="已有评审决定"):
        services.record_project_outcomes(
            actor=wang,
            evaluation=evaluation,
            decisions=[services.ProjectDecision(garden.pk, False, None)],
            reason="",
        )


def test_the_funding_decision_page_prefills_and_records(world: World) -> None:
    wang = actor_for(world.wang)
    call = make_call(world)
    rain = propose(world, world.xiao, call)
    project_services.submit_proposal(actor=actor_for(world.xiao), proposal=rain)
    panel_of_three(world, call)
    project_services.open_review(actor=wang, call=call)
    call.refresh_from_db()
    evaluation = services.create_project_review(actor=wang, call=call, **WINDOW)
    services.open_voting(actor=wang, evaluation=evaluation)
    for name in ("bella", "su", "hu"):
        vote(
            world,
            evaluation,
            name,
            {by_name(evaluation)[rain.title]: {"c1": "24", "c2": "24", "c3": "20", "c4": "12"}},
        )
    close_and_publish(world, evaluation)
    url = f"/school/yizhong/evaluations/{evaluation.pk}/project-outcome/"
    page = world.client("wang").get(url).content.decode()
    assert f'name="p{rain.pk}-funded" class="form-check-input" id="id_p{rain.pk}-funded" checked' in page
    assert f'name="p{rain.pk}-amount" value="2000.00"' in page
    assert world.client("tian").get(url).status_code == 403
    done = world.client("wang").post(
        url, {f"p{rain.pk}-funded": "on", f"p{rain.pk}-amount": "1800", "reason": ""}
    )
    assert done.status_code == 302
    rain.refresh_from_db()
    assert (rain.status, rain.panel_rank, rain.panel_total, rain.amount_granted) == (
        ProposalStatus.FUNDED, 1, Decimal("80.00"), Decimal("1800.00"),
    )  # fmt: skip


# --- 评诺 --------------------------------------------------------------------------------------


def test_commitment_appraisal_by_members_public_and_organization(world: World) -> None:
    wang = actor_for(world.wang)
    campaign = make_campaign(world)
    published(world, campaign, "wang", 2)
    evaluation = services.create_commitment_appraisal(
        actor=wang, campaign=campaign, branch=world.branch, public_weight=Decimal(2), **WINDOW
    )
    assert [(g.name, g.source, g.weight) for g in evaluation.groups.all()] == [
        ("党员评", Source.BRANCH, Decimal("1.00")),
        ("群众评", Source.CODES, Decimal("2.00")),
        ("组织评", Source.ROLE, Decimal("1.00")),
    ]
    public = evaluation.groups.get(name="群众评")
    codes = services.issue_codes(actor=wang, group=public, count=2)
    services.open_voting(actor=wang, evaluation=evaluation)
    ids = by_name(evaluation)
    study, work = ids["王武：每月精读一本教育专著"], ids["王武：所带班级数学平均分提高 5 分"]
    # wang does not rate his own items: both are recused, so his ballot can only be blank
    assert sorted(
        Entitlement.objects.get(evaluation=evaluation, user=world.wang).recused_subject_ids
    ) == sorted([int(study), int(work)])
    members = evaluation.groups.get(name="党员评")
    vote(world, evaluation, "wang", {study: {"c1": "满意"}})
    bella_members = Entitlement.objects.get(evaluation=evaluation, user=world.bella, group=members)
    services.cast_ballot(
        actor=actor_for(world.bella),
        entitlement=bella_members,
        marks={study: {"c1": "满意"}, work: {"c1": "比较满意"}},
    )
    for code, (a, b) in zip(codes, (("满意", "比较满意"), ("比较满意", "不满意")), strict=True):
        entitlement = services.entitlement_for_code(code)
        services.cast_ballot(
            actor=Actor(user=None),
            entitlement=entitlement,
            code=code,
            marks={study: {"c1": a}, work: {"c1": b}},
        )
    leaders = evaluation.groups.get(name="组织评")
    bella_org = Entitlement.objects.get(evaluation=evaluation, user=world.bella, group=leaders)
    services.cast_ballot(
        actor=actor_for(world.bella),
        entitlement=bella_org,
        marks={study: {"c1": "满意"}, work: {"c1": "基本满意"}},
    )
    evaluation = close_and_publish(world, evaluation)
    members_row = next(g for g in evaluation.result["groups"] if g["name"] == "党员评")
    assert (members_row["returned"], members_row["blank"], members_row["valid"]) == (2, 1, 1)
    # 有效参与 counts valid ballots only: wang's blank (he is recused from both items) leaves 1 valid of
    # 2 entitled, not more than half, so 党员评 does not count; the other two groups decide.
    assert members_row["quorum_met"] is False
    # study: (90×2 + 100×1) / 3 = 93.33; work: (60×2 + 60×1) / 3 = 60
    assert [(s["name"], s["total"], s["level"]) for s in evaluation.result["subjects"]] == [
        ("王武：每月精读一本教育专著", "93.33", "满意"),
        ("王武：所带班级数学平均分提高 5 分", "60.00", "基本满意"),
    ]
    # 满意率 over the groups that counted: study 3 of 3 marks (满意 or 比较满意); work 1 of 3, flagged
    assert [(s["satisfaction"], s["satisfaction_low"]) for s in evaluation.result["subjects"]] == [
        ("100.00", False),
        ("33.33", True),
    ]
    flag = '<span class="badge text-bg-danger" data-testid="satisfaction-low">33.33%，低于 60%</span>'
    result_page = (
        world.client("wang").get(f"/school/yizhong/evaluations/{evaluation.pk}/result/").content.decode()
    )
    assert result_page.count(flag) == 1
    assert "<td>100.00%</td>" in result_page
    supervise = (
        world.client("su").get(f"/school/yizhong/evaluations/{evaluation.pk}/supervise/").content.decode()
    )
    assert supervise.count(flag) == 1
    page = world.client("wang").get(f"/school/yizhong/evaluations/{evaluation.pk}/commitment-items/")
    rows = page.content.decode().split('data-testid="commitment-item"')[1:]
    assert "每月精读一本教育专著" in rows[0]
    assert "<td>93.33</td><td>满意</td>" in rows[0]
    assert "所带班级数学平均分提高 5 分" in rows[1]
    assert "<td>60.00</td><td>基本满意</td>" in rows[1]
    assert "33.33%，低于 60%" in rows[1]
    assert "低于" not in rows[0]


# --- 民主测评 presets --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_office_builds_a_preset_in_one_click(world: World, persona: str) -> None:
    response = world.client(persona).post("/school/yizhong/evaluations/preset/teacher_merit/")
    if persona in {"alice", "bella", "wang"}:
        evaluation = Evaluation.objects.get()
        assert response.status_code == 302
        assert (evaluation.use, evaluation.preset, evaluation.subjects.count()) == (
            Use.TEACHER_MERIT,
            "five_models",
            6,
        )
    else:
        assert response.status_code == 403
        assert Evaluation.objects.count() == 0
        assert not AuditEntry.objects.filter(action__startswith="evaluation.").exists()


def test_the_teacher_merit_preset_has_four_groups_at_equal_weight(world: World) -> None:
    evaluation = services.create_teacher_merit(actor=actor_for(world.alice), school=world.school, **WINDOW)
    assert [(g.name, g.kind, g.source, g.role, g.weight) for g in evaluation.groups.all()] == [
        ("同事互评", "peers", "role", "teacher", Decimal("1.00")),
        ("学生评议", "students", "role", "student", Decimal("1.00")),
        ("家长评议", "parents", "codes", "", Decimal("1.00")),
        ("领导评议", "leaders", "role", "leading_group", Decimal("1.00")),
    ]
    assert next(c["title"] for c in evaluation.rubric["criteria"]) == "自觉学习的模范"
    services.open_voting(actor=actor_for(world.alice), evaluation=evaluation)
    assert Entitlement.objects.filter(evaluation=evaluation, group__name="学生评议").count() == 2


def test_the_five_star_preset_rates_branches_with_star_bands(world: World) -> None:
    evaluation = services.create_five_star(actor=actor_for(world.bella), school=world.school, **WINDOW)
    assert list(evaluation.subjects.values_list("name", "not_rated")) == [("示例县第一中学党支部", False)]
    members = evaluation.groups.get(name="党员评议")
    assert sorted(members.user_ids) == sorted([world.bella.pk, world.wang.pk])
    assert evaluation.rules["star_bands"] == [
        ["90", 5, True],
        ["80", 4, False],
        ["70", 3, False],
        ["60", 2, False],
    ]
    assert sum(c["scale"]["high"] for c in evaluation.rubric["criteria"]) == 110


# --- 综合素质评价 -------------------------------------------------------------------------------


@pytest.fixture
def quality(world: World) -> Evaluation:
    tian = Staff.objects.get(user=world.tian)
    return services.create_quality_evaluation(
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
    lines = selectors.student_lines(world.student_xiao.pk)["好书推荐"]
    key = selectors.line_key(lines[0])
    portfolio = Portfolio.objects.get(evaluation=quality)
    services.write_portfolio(
        actor=xiao,
        portfolio=portfolio,
        entries={"c2": {"text": "坚持每月读一本书。", "lines": [key]}, "c5": {"text": ""}},
    )
    with pytest.raises(Invalid, match="只能选择本人参与档案中的记录"):
        services.write_portfolio(actor=xiao, portfolio=portfolio, entries={"c1": {"lines": ["别人的记录"]}})
    with pytest.raises(Invalid, match="签名须与本人姓名一致"):
        services.sign_portfolio(actor=xiao, portfolio=portfolio, signature="马家长")
    services.sign_portfolio(actor=xiao, portfolio=portfolio, signature="肖同学", today=dt.date(2026, 6, 30))
    portfolio.refresh_from_db()
    assert (portfolio.entries, portfolio.signature, portfolio.signed_on) == (
        {"c2": {"text": "坚持每月读一本书。", "lines": [key]}},
        "肖同学",
        dt.date(2026, 6, 30),
    )
    with pytest.raises(Conflict, match="已签名确认"):
        services.write_portfolio(actor=xiao, portfolio=portfolio, entries={})

    services.open_voting(actor=actor_for(world.wang), evaluation=quality)
    subject = quality.subjects.get()
    evidence = selectors.quality_evidence(quality, [subject])[subject.pk]
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
        f"/school/yizhong/evaluations/{quality.pk}/portfolio/", {"action": "save", "text-c1": "代写的内容"}
    )
    if persona == "xiao":
        assert page.status_code == 302
        portfolio.refresh_from_db()
        assert portfolio.entries == {"c1": {"text": "代写的内容", "lines": []}}
    else:
        assert page.status_code == 403
        with pytest.raises(NotAllowed):
            services.write_portfolio(
                actor=actor_for(world.persona(persona)), portfolio=portfolio, entries=entries
            )
        portfolio.refresh_from_db()
        assert portfolio.entries == {}
        assert not AuditEntry.objects.filter(action="evaluation.portfolio_write").exists()


def test_proposals_stay_untouched_until_a_person_confirms(world: World) -> None:
    """Publishing the panel's count does not decide funding by itself."""
    wang = actor_for(world.wang)
    call = make_call(world)
    rain = propose(world, world.xiao, call)
    project_services.submit_proposal(actor=actor_for(world.xiao), proposal=rain)
    panel_of_three(world, call)
    project_services.open_review(actor=wang, call=call)
    call.refresh_from_db()
    evaluation = services.create_project_review(actor=wang, call=call, **WINDOW)
    services.open_voting(actor=wang, evaluation=evaluation)
    vote(
        world,
        evaluation,
        "su",
        {by_name(evaluation)[rain.title]: {"c1": "20", "c2": "20", "c3": "20", "c4": "10"}},
    )
    evaluation = close_and_publish(world, evaluation)
    assert evaluation.state == State.PUBLISHED
    assert Proposal.objects.get(pk=rain.pk).status == ProposalStatus.UNDER_REVIEW
