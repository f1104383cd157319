"""The counting rules against hand-computed cases. No database: counting is plain functions."""

from fractions import Fraction
from typing import Any

from chuangyou.evaluations import counting, rubrics
from chuangyou.evaluations.counting import BallotIn, GroupIn, PaperIn, SubjectIn

POINTS = counting.rubric_from_json(
    {
        "name": "t",
        "criteria": [{"title": "总分", "weight": "1", "scale": {"kind": "points", "low": 0, "high": 100}}],
    }
)


def rules(**kw: Any) -> counting.Rules:
    return counting.rules_from_json(rubrics.preset_rules("") | kw)


def ballots(group: str, *rows: dict[str, Any]) -> list[BallotIn]:
    return [
        BallotIn(key=f"{group}-{i}", group=group, content={s: {"c1": v} for s, v in row.items()})
        for i, row in enumerate(rows)
    ]


def subject(key: str, name: str = "", **kw: Any) -> SubjectIn:
    return SubjectIn(key=key, name=name or key, sort_key=counting.surname_key(name or key), **kw)


def cell(result: dict[str, Any], subject_key: str, group: str = "g") -> dict[str, Any]:
    row = next(s for s in result["subjects"] if s["key"] == subject_key)
    part = next(p for p in row["groups"] if p["group"] == group)
    return part["criteria"][0] | {"score": part["score"], "counted": part["counted"]}


def test_more_than_five_raters_drop_the_highest_and_lowest() -> None:
    marks = [60, 70, 80, 90, 100, 40]  # mean 440/6 = 73.33; without 100 and 40: 300/4 = 75
    result = counting.count(
        rubric=POINTS,
        rules=rules(),
        subjects=[subject("a"), subject("b")],
        groups=[GroupIn("g", "同事", Fraction(1), 6)],
        ballots=ballots("g", *({"a": m, "b": 50} for m in marks)),
    )
    a = cell(result, "a")
    assert (a["count"], a["mean"], a["trimmed_mean"], a["used"]) == (6, "73.33", "75.00", "75.00")
    assert a["dropped"] == ["100.00", "40.00"]
    assert result["subjects"][0]["total"] == "75.00"


def test_five_raters_take_the_plain_mean() -> None:
    result = counting.count(
        rubric=POINTS,
        rules=rules(),
        subjects=[subject("a"), subject("b")],
        groups=[GroupIn("g", "同事", Fraction(1), 5)],
        ballots=ballots("g", *({"a": m, "b": 50} for m in [60, 70, 80, 90, 100])),
    )
    a = cell(result, "a")
    assert (a["count"], a["mean"], a["trimmed_mean"], a["used"], a["dropped"]) == (
        5,
        "80.00",
        None,
        "80.00",
        [],
    )


def test_void_ballots_same_score_and_too_many_top_and_blank_is_abstention() -> None:
    result = counting.count(
        rubric=POINTS,
        rules=rules(top_band_max=1),
        subjects=[subject("a"), subject("b"), subject("c")],
        groups=[GroupIn("g", "同事", Fraction(1), 5)],
        ballots=ballots(
            "g",
            {"a": 80, "b": 80, "c": 80},  # every subject the same: void
            {"a": 95, "b": 90, "c": 70},  # two in the top band (>= 90) with at most 1 allowed: void
            {"a": None, "b": None, "c": None},  # blank: an abstention
            {"a": 90, "b": 70, "c": None},  # valid; c abstained
        ),
    )
    g = result["groups"][0]
    assert (g["returned"], g["valid"], g["void"], g["blank"]) == (4, 1, 2, 1)
    assert g["void_reasons"] == {"same_score": 1, "too_many_top": 1}
    c = cell(result, "c")
    assert (c["count"], c["abstentions"], c["void"], c["mean"]) == (0, 1, 2, None)
    assert cell(result, "a")["mean"] == "90.00"
    # c has no marks, so no group score and no total; it is not ranked.
    c_row = next(s for s in result["subjects"] if s["key"] == "c")
    assert (c_row["total"], c_row["rank"]) == (None, None)


def test_quorum_is_more_than_half_of_the_entitled() -> None:
    def run(returned: int) -> dict[str, Any]:
        return counting.count(
            rubric=POINTS,
            rules=rules(),
            subjects=[subject("a"), subject("b")],
            groups=[GroupIn("g", "学生", Fraction(1), 4)],
            ballots=ballots("g", *({"a": 90, "b": 60} for _ in range(returned))),
        )

    half = run(2)
    assert half["groups"][0]["quorum_met"] is False
    assert half["groups"][0]["turnout"] == "50.00"
    assert cell(half, "a")["counted"] is False
    assert half["subjects"][0]["total"] is None  # shown invalid, not silently dropped
    assert next(p for p in half["subjects"][0]["groups"])["why_not"] == "quorum"
    more = run(3)
    assert more["groups"][0]["quorum_met"] is True
    assert more["subjects"][0]["total"] == "90.00"


def test_void_and_blank_ballots_do_not_make_a_quorum() -> None:
    """As published: 有效参与 counts valid ballots only. Entitled 10, returned 6, 5 of them void:
    one valid ballot must not decide the result."""
    five_void = [{"a": 80, "b": 80} for _ in range(5)]
    result = counting.count(
        rubric=POINTS,
        rules=rules(),
        subjects=[subject("a"), subject("b")],
        groups=[GroupIn("g", "家长", Fraction(1), 10)],
        ballots=ballots("g", *five_void, {"a": 90, "b": 60}),
    )
    g = result["groups"][0]
    assert (g["returned"], g["void"], g["valid"], g["quorum_met"]) == (6, 5, 1, False)
    assert result["subjects"][0]["total"] is None
    blanks = [{"a": None, "b": None} for _ in range(3)]
    valid = [{"a": 90, "b": 60} for _ in range(3)]
    mixed = counting.count(
        rubric=POINTS,
        rules=rules(),
        subjects=[subject("a"), subject("b")],
        groups=[GroupIn("g", "家长", Fraction(1), 6)],
        ballots=ballots("g", *blanks, *valid),
    )
    assert (mixed["groups"][0]["returned"], mixed["groups"][0]["quorum_met"]) == (6, False)
    assert counting.has_quorum(entitled=6, valid=4, rules=rules()) is True


def test_group_weights_make_a_weighted_mean_of_group_scores() -> None:
    result = counting.count(
        rubric=POINTS,
        rules=rules(),
        subjects=[subject("a"), subject("b")],
        groups=[GroupIn("lead", "领导", Fraction(2), 1), GroupIn("peer", "同事", Fraction(1), 1)],
        ballots=[*ballots("lead", {"a": 90, "b": 70}), *ballots("peer", {"a": 60, "b": 75})],
    )
    totals = {s["key"]: s["total"] for s in result["subjects"]}
    assert totals == {"a": "80.00", "b": "71.67"}  # (2×90 + 60)/3 = 80; (2×70 + 75)/3 = 71.666…


def test_level_scale_percentages_and_weighted_criteria() -> None:
    rubric = counting.rubric_from_json(rubrics.FIVE_GOODS_RUBRIC)
    good = {f"c{i}": "好" for i in range(1, 6)}
    fair = good | {"c1": "较好"}
    result = counting.count(
        rubric=rubric,
        rules=rules(void_same_score=False),
        subjects=[subject("a")],
        groups=[GroupIn("g", "党员", Fraction(1), 3)],
        ballots=[
            BallotIn("1", "g", {"a": good}),
            BallotIn("2", "g", {"a": good}),
            BallotIn("3", "g", {"a": fair}),
        ],
    )
    c1 = result["subjects"][0]["groups"][0]["criteria"][0]
    assert c1["levels"] == {"好": "66.67", "较好": "33.33", "一般": "0.00", "差": "0.00"}
    assert c1["mean"] == "93.33"
    # c1 = 280/3 weighted 1/5, c2..c5 = 100 weighted 1/5: 56/3 + 80 = 98.67
    assert result["subjects"][0]["total"] == "98.67"


def test_caps_in_rank_order_with_the_tie_break() -> None:
    """民主评议党员: 优秀 at most 1/3 of those rated. Six rated, so two 优秀."""
    rubric = counting.rubric_from_json(rubrics.PARTY_MEMBER_RUBRIC)
    people = [subject("p1", "王"), subject("p2", "丁"), subject("p3", "李"), subject("p4", "张"),
              subject("p5", "赵"), subject("p6", "刘")]  # fmt: skip
    votes = {  # three raters each; totals: p1 100, p2 93.33, p3 93.33, p4 93.33, p5 80, p6 60
        "p1": ["优秀", "优秀", "优秀"],
        "p2": ["优秀", "优秀", "合格"],
        "p3": ["优秀", "优秀", "合格"],
        "p4": ["优秀", "优秀", "合格"],
        "p5": ["合格", "合格", "合格"],
        "p6": ["基本合格", "基本合格", "基本合格"],
    }
    cast = [BallotIn(str(i), "g", {p: {"c1": votes[p][i]} for p in votes}) for i in range(3)]
    result = counting.count(
        rubric=rubric,
        rules=counting.rules_from_json(rubrics.preset_rules("party_member")),
        subjects=people,
        groups=[GroupIn("g", "党员", Fraction(1), 3)],
        ballots=cast,
    )
    order = [(s["key"], s["total"], s["level_by_band"], s["level"]) for s in result["subjects"]]
    # Ties at 93.33 (same 优秀 share) go by 姓氏笔画: 丁 (2 strokes), then 张 and 李 (7 each, by code point).
    assert order == [
        ("p1", "100.00", "优秀", "优秀"),
        ("p2", "93.33", "优秀", "优秀"),
        ("p4", "93.33", "优秀", "合格"),
        ("p3", "93.33", "优秀", "合格"),
        ("p5", "80.00", "合格", "合格"),
        ("p6", "60.00", "基本合格", "基本合格"),
    ]


def test_ties_on_total_go_first_to_the_higher_top_share() -> None:
    rubric = counting.rubric_from_json(rubrics.PARTY_MEMBER_RUBRIC)
    # Both total 80: x has one 优秀 and one 基本合格 (100+60), y two 合格 (80+80).
    cast = [
        BallotIn("1", "g", {"y": {"c1": "合格"}, "x": {"c1": "优秀"}}),
        BallotIn("2", "g", {"y": {"c1": "合格"}, "x": {"c1": "基本合格"}}),
    ]
    result = counting.count(
        rubric=rubric,
        rules=rules(void_same_score=False),
        subjects=[subject("y", "丁"), subject("x", "张")],
        groups=[GroupIn("g", "党员", Fraction(1), 2)],
        ballots=cast,
    )
    assert [(s["key"], s["rank"], s["top_share"]) for s in result["subjects"]] == [
        ("x", 1, "50.00"),
        ("y", 2, "0.00"),
    ]


def test_star_bands_from_the_total() -> None:
    r = counting.rules_from_json(rubrics.preset_rules("five_star"))
    got = [
        counting.stars(Fraction(95), True, r),
        counting.stars(Fraction(95), False, r),  # no innovation project: ★4 at most
        counting.stars(Fraction(80), False, r),
        counting.stars(Fraction(7999, 100), False, r),
        counting.stars(Fraction(60), False, r),
        counting.stars(Fraction(59), True, r),
        counting.stars(None, True, r),
    ]
    assert got == [5, 4, 4, 3, 2, 1, None]
    assert counting.rubric_from_json(rubrics.FIVE_STAR_RUBRIC).max_total == 110


def test_a_branch_under_a_year_old_is_not_rated() -> None:
    rubric = counting.rubric_from_json(rubrics.FIVE_STAR_RUBRIC)
    marks = {f"c{i}": 18 for i in range(1, 6)} | {"c6": 9}
    result = counting.count(
        rubric=rubric,
        rules=counting.rules_from_json(rubrics.preset_rules("five_star")),
        subjects=[subject("old", has_project=True), subject("new", not_rated=True)],
        groups=[GroupIn("g", "评审组", Fraction(1), 1)],
        ballots=[BallotIn("1", "g", {"old": marks, "new": marks | {"c6": 2}})],
    )
    rows = {s["key"]: s for s in result["subjects"]}
    assert (rows["old"]["total"], rows["old"]["stars"], rows["old"]["rank"]) == ("99.00", 5, 1)
    assert (rows["new"]["stars"], rows["new"]["rank"]) == (None, None)


def test_paper_tallies_merge_into_the_same_count() -> None:
    online = ballots("g", {"a": 90, "b": 60}, {"a": 80, "b": 70})
    paper = PaperIn(
        group="g", issued=4, returned=4, void=1, blank=0,
        tallies={"a": {"c1": {"100": 1, "70": 2}}, "b": {"c1": {"50": 2}}},
    )  # fmt: skip
    result = counting.count(
        rubric=POINTS,
        rules=rules(),
        subjects=[subject("a"), subject("b")],
        groups=[GroupIn("g", "家长", Fraction(1), 2)],
        ballots=online,
        papers=[paper],
    )
    g = result["groups"][0]
    assert (g["entitled"], g["returned"], g["valid"], g["void"]) == (6, 6, 5, 1)
    a = cell(result, "a")
    # 90, 80, 100, 70, 70: five marks, plain mean 82
    assert (a["count"], a["mean"], a["abstentions"]) == (5, "82.00", 0)
    b = cell(result, "b")
    assert (b["count"], b["mean"], b["abstentions"]) == (4, "57.50", 1)


def test_reliability_flags_far_and_straight_lined_ballots() -> None:
    rubric = counting.rubric_from_json(rubrics.FIVE_MODELS_RUBRIC)
    good = {f"c{i}": "好" for i in range(1, 6)}
    bad = {f"c{i}": "差" for i in range(1, 6)}
    mixed = good | {"c2": "较好"}
    cast = [BallotIn(str(i), "g", {"t": mixed}) for i in range(4)] + [BallotIn("odd", "g", {"t": bad})]
    flags = counting.reliability(rubric=rubric, rules=rules(), ballots=cast)
    # consensus: c1, c3–c5 (4×100+40)/5 = 88, 48 away; c2 (4×80+40)/5 = 72, 32 away; (4×48+32)/5 = 44.8
    assert flags == [
        {"ballot": "odd", "group": "g", "kind": "far", "gap": "44.80"},
        {"ballot": "odd", "group": "g", "kind": "straight", "gap": None},
    ]


def test_satisfaction_rate_under_60_percent_is_flagged_over_the_groups_that_count() -> None:
    rubric = counting.rubric_from_json(rubrics.COMMITMENT_RUBRIC)
    level = {
        "a": ["满意", "满意", "比较满意", "基本满意", "不满意"],
        "b": ["满意", "比较满意", "不满意", "不满意", "不满意"],
    }
    rows = [{"a": level["a"][i], "b": level["b"][i]} for i in range(5)]
    result = counting.count(
        rubric=rubric,
        rules=rules(void_same_score=False),
        subjects=[subject("a"), subject("b")],
        groups=[GroupIn("g", "群众", Fraction(1), 5), GroupIn("h", "党员", Fraction(1), 4)],
        # h misses its quorum (1 of 4), so its 不满意 marks are left out of the 满意率 as of the total
        ballots=[*ballots("g", *rows), *ballots("h", {"a": "不满意", "b": "满意"})],
    )
    got = {s["key"]: (s["satisfaction"], s["satisfaction_low"]) for s in result["subjects"]}
    assert got == {"a": ("60.00", False), "b": ("40.00", True)}
    assert result["satisfaction_floor"] == 60
    points_only = counting.count(
        rubric=POINTS, rules=rules(), subjects=[subject("a")], groups=[GroupIn("g", "g", Fraction(1), 1)],
        ballots=ballots("g", {"a": 50}),
    )  # fmt: skip
    assert (points_only["subjects"][0]["satisfaction"], points_only["subjects"][0]["satisfaction_low"]) == (
        None,
        False,
    )
