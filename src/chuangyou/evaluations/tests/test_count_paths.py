"""The count in the database (GROUP BY over the stored verdicts and marks) and the recount from the
raw ballots in Python give the same result, on a random but seeded set of ballots."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from chuangyou.evaluations import services
from chuangyou.evaluations.models import Ballot, Evaluation, GroupKind, Source
from chuangyou.org.rules import Actor, actor_for
from chuangyou.testing import World

RUBRIC = {
    "name": "混合量表",
    "criteria": [
        {"key": "c1", "title": "分数", "weight": "3/5", "scale": {"kind": "points", "low": 0, "high": 100}},
        {
            "key": "c2",
            "title": "等级",
            "weight": "2/5",
            "scale": {
                "kind": "levels",
                "levels": [["满意", 100], ["比较满意", 80], ["基本满意", 60], ["不满意", 40]],
            },
        },
    ],
}


def build(world: World, codes_per_group: int) -> tuple[Evaluation, dict[str, list[str]]]:
    wang = actor_for(world.wang)
    now = timezone.now()
    evaluation = services.create_evaluation(
        actor=wang,
        school=world.school,
        title="随机选票",
        subject_type="class",
        preset="",
        rubric=RUBRIC,
        rules={"top_band_max": 2, "trim_above": 5},
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=1),
    )
    services.add_subjects(
        actor=wang,
        evaluation=evaluation,
        specs=[services.SubjectSpec("class", None, name) for name in ("一班", "二班", "三班", "四班")],
    )
    codes = {}
    for name, weight in (("家长", Decimal(1)), ("群众", Decimal("1.5"))):
        group = services.add_group(
            actor=wang,
            evaluation=evaluation,
            kind=GroupKind.PUBLIC,
            name=name,
            source=Source.CODES,
            weight=weight,
        )
        codes[name] = services.issue_codes(actor=wang, group=group, count=codes_per_group)
    services.open_voting(actor=wang, evaluation=evaluation)
    return evaluation, codes


def random_marks(rng: random.Random, subjects: list[str]) -> dict[str, dict[str, str]]:
    shape = rng.random()
    if shape < 0.08:  # blank
        return {}
    if shape < 0.16:  # the same score everywhere: void
        return {s: {"c1": "80", "c2": "比较满意"} for s in subjects}
    marks = {}
    for s in subjects:
        marks[s] = {
            "c1": "" if rng.random() < 0.1 else str(rng.choice([40, 55, 60, 72.5, 80, 88, 90, 95, 100])),
            "c2": "" if rng.random() < 0.1 else rng.choice(["满意", "比较满意", "基本满意", "不满意"]),
        }
    return marks


def test_the_sql_count_and_the_raw_recount_agree_on_a_random_dataset(world: World) -> None:
    evaluation, codes = build(world, codes_per_group=40)
    subjects = [str(pk) for pk in evaluation.subjects.values_list("pk", flat=True)]
    rng = random.Random(20121)
    cast = 0
    for name, group_codes in codes.items():
        for code in group_codes[
            : 30 if name == "家长" else 19
        ]:  # 家长 30 of 40 (quorum), 群众 19 of 40 (not)
            services.cast_ballot(
                actor=Actor(user=None),
                entitlement=services.entitlement_for_code(code),
                code=code,
                marks=random_marks(rng, subjects),
                accept_void=True,  # told it would be void, the voter submits anyway
            )
            cast += 1
    services.close_voting(actor=actor_for(world.wang), evaluation=evaluation)
    verdicts = sorted(set(Ballot.objects.filter(evaluation=evaluation).values_list("verdict", flat=True)))
    assert verdicts == ["blank", "same_score", "too_many_top", "valid"]  # every path is exercised

    in_sql = services.compute_result(evaluation)
    from_raw = services.compute_result(evaluation, from_raw=True)
    assert in_sql == from_raw
    assert sum(g["returned"] for g in in_sql["groups"]) == cast == 49
    assert [g["quorum_met"] for g in in_sql["groups"]] == [True, False]

    # a ballot stored before verdicts existed is judged in Python and still counts the same
    Ballot.objects.filter(pk=Ballot.objects.filter(evaluation=evaluation, verdict="valid").first().pk).update(
        verdict=""
    )  # type: ignore[union-attr]
    assert services.compute_result(evaluation) == from_raw
