"""The 创新项目 panel review on the evaluation engine: ranked by the panel with recusals, and written
back to the proposals with the funding a person confirms."""

from decimal import Decimal

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.evaluations import services
from chuangyou.evaluations.models import (
    Recusal,
    Source,
    State,
    Use,
)
from chuangyou.evaluations.tests.uses_helpers import WINDOW, by_name, close_and_publish, vote
from chuangyou.lib.errors import Conflict
from chuangyou.org.rules import actor_for
from chuangyou.projects import review
from chuangyou.projects import services as project_services
from chuangyou.projects.models import Proposal
from chuangyou.projects.models import Status as ProposalStatus
from chuangyou.projects.tests.conftest import make_call, panel_of_three, propose
from chuangyou.testing import World


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

    evaluation = review.create_project_review(actor=wang, call=call, **WINDOW)
    assert (evaluation.use, evaluation.use_object_id, evaluation.preset) == (
        Use.PROJECT_REVIEW,
        call.pk,
        "project",
    )
    group = evaluation.groups.get()
    assert (group.name, group.source) == ("评审组", Source.LIST)
    with pytest.raises(Conflict, match="已经建立"):
        review.create_project_review(actor=wang, call=call, **WINDOW)

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

    outcomes = review.project_outcomes(evaluation)
    assert [(o.proposal.pk, o.rank, o.total, o.suggest_funded, o.suggest_amount) for o in outcomes] == [
        (rain.pk, 1, Decimal("78.00"), True, Decimal("2000")),
        (garden.pk, 2, Decimal("77.50"), True, Decimal("2000")),
    ]
    # the person decides: only the first is funded, and for less than suggested
    review.record_project_outcomes(
        actor=wang,
        evaluation=evaluation,
        decisions=[
            review.ProjectDecision(rain.pk, True, Decimal("1500")),
            review.ProjectDecision(garden.pk, False, None),
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
        review.record_project_outcomes(
            actor=wang,
            evaluation=evaluation,
            decisions=[review.ProjectDecision(garden.pk, False, None)],
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
    evaluation = review.create_project_review(actor=wang, call=call, **WINDOW)
    services.open_voting(actor=wang, evaluation=evaluation)
    for name in ("bella", "su", "hu"):
        vote(
            world,
            evaluation,
            name,
            {by_name(evaluation)[rain.title]: {"c1": "24", "c2": "24", "c3": "20", "c4": "12"}},
        )
    close_and_publish(world, evaluation)
    url = f"/school/yizhong/projects/panel-review/{evaluation.pk}/outcome/"
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


def test_proposals_stay_untouched_until_a_person_confirms(world: World) -> None:
    """Publishing the panel's count does not decide funding by itself."""
    wang = actor_for(world.wang)
    call = make_call(world)
    rain = propose(world, world.xiao, call)
    project_services.submit_proposal(actor=actor_for(world.xiao), proposal=rain)
    panel_of_three(world, call)
    project_services.open_review(actor=wang, call=call)
    call.refresh_from_db()
    evaluation = review.create_project_review(actor=wang, call=call, **WINDOW)
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
