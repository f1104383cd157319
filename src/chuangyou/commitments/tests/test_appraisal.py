"""评诺 on the evaluation engine: 党员评, 群众评 and 组织评 of each published commitment item, with the
result beside each item."""

from decimal import Decimal

from chuangyou.commitments import appraisal
from chuangyou.commitments.tests.helpers import make_campaign, published
from chuangyou.evaluations import services
from chuangyou.evaluations.models import (
    Entitlement,
    Source,
)
from chuangyou.evaluations.tests.uses_helpers import WINDOW, by_name, close_and_publish, vote
from chuangyou.org.rules import Actor, actor_for
from chuangyou.testing import World


def test_commitment_appraisal_by_members_public_and_organization(world: World) -> None:
    wang = actor_for(world.wang)
    campaign = make_campaign(world)
    published(world, campaign, "wang", 2)
    evaluation = appraisal.create_commitment_appraisal(
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
    page = world.client("wang").get(f"/school/yizhong/commitments/appraisal/{evaluation.pk}/items/")
    rows = page.content.decode().split('data-testid="commitment-item"')[1:]
    assert "每月精读一本教育专著" in rows[0]
    assert "<td>93.33</td><td>满意</td>" in rows[0]
    assert "所带班级数学平均分提高 5 分" in rows[1]
    assert "<td>60.00</td><td>基本满意</td>" in rows[1]
    assert "33.33%，低于 60%" in rows[1]
    assert "低于" not in rows[0]
