"""The stand-alone verifier against the engine: the same numbers on the weighted multi-group cases of
test_counting, and a loud failure on a changed ballot, a changed digest or a bad signature. No
database: both sides are plain functions over the same inputs."""

import hashlib
import io
import json
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import SigningKey

from chuangyou.evaluations import counting, rubrics, verify_count
from chuangyou.evaluations.counting import BallotIn, GroupIn, PaperIn, SubjectIn
from chuangyou.evaluations.proof import to_bytes, verdict_word

POINTS = {
    "name": "t",
    "criteria": [{"title": "总分", "weight": "1", "scale": {"kind": "points", "low": 0, "high": 100}}],
}
META = {"school": "s1", "school_name": "一中", "id": 7, "title": "测评", "published_on": "2026-11-21"}


def rules(**kw: Any) -> dict[str, Any]:
    return counting.rules_from_json(rubrics.preset_rules("") | kw).to_json()


def subject(key: str, name: str = "", **kw: Any) -> SubjectIn:
    return SubjectIn(key=key, name=name or key, sort_key=counting.surname_key(name or key), **kw)


def points_ballots(group: str, *rows: dict[str, Any]) -> list[BallotIn]:
    return [
        BallotIn(f"{group}-{i}", group, {s: {"c1": v} for s, v in row.items()}) for i, row in enumerate(rows)
    ]


def both(
    rubric: dict[str, Any],
    rule_set: dict[str, Any],
    subjects: list[SubjectIn],
    groups: list[GroupIn],
    ballots: list[BallotIn],
    papers: tuple[PaperIn, ...] = (),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The engine's result and the ballot file the page would offer for the same inputs."""
    r, rl = counting.rubric_from_json(rubric), counting.rules_from_json(rule_set)
    result = counting.count(
        rubric=r, rules=rl, subjects=subjects, groups=groups, ballots=ballots, papers=papers
    )
    data = {
        "format": verify_count.BALLOTS_FORMAT,
        "evaluation": META,
        "rubric": rubric,
        "rules": rule_set,
        "subjects": [
            {
                "key": s.key,
                "name": s.name,
                "sort_key": s.sort_key,
                "has_project": s.has_project,
                "not_rated": s.not_rated,
            }
            for s in subjects
        ],
        "groups": [
            {"key": g.key, "name": g.name, "weight": str(g.weight), "entitled": g.entitled, "codes_issued": 0}
            for g in groups
        ],
        "ballots": [
            {
                "group": b.group,
                "verdict": verdict_word(counting.verdict(b, r, rl)),
                "receipt_hash": f"{i:064x}",
                "content": b.content,
            }
            for i, b in enumerate(ballots)
        ],
        "paper": [
            {
                "group": p.group,
                "issued": p.issued,
                "returned": p.returned,
                "void": p.void,
                "blank": p.blank,
                "tallies": p.tallies,
            }
            for p in papers
        ],
    }
    return result, data


def assert_agree(result: dict[str, Any], data: dict[str, Any]) -> None:
    counted = verify_count.recount(data)
    assert counted.problems == []
    engine = {s["key"]: tuple(s[f] for f in verify_count.SUBJECT_FIGURES) for s in result["subjects"]}
    mine = {k: tuple(s[f] for f in verify_count.SUBJECT_FIGURES) for k, s in counted.subjects.items()}
    assert mine == engine
    engine_groups = {g["key"]: tuple(g[f] for f in verify_count.GROUP_FIGURES) for g in result["groups"]}
    assert {
        k: tuple(g[f] for f in verify_count.GROUP_FIGURES) for k, g in counted.groups.items()
    } == engine_groups


def test_group_weights_make_the_same_weighted_mean() -> None:
    result, data = both(
        POINTS, rules(), [subject("a"), subject("b")],
        [GroupIn("lead", "领导", Fraction(2), 1), GroupIn("peer", "同事", Fraction(1), 1)],
        [*points_ballots("lead", {"a": 90, "b": 70}), *points_ballots("peer", {"a": 60, "b": 75})],
    )  # fmt: skip
    assert_agree(result, data)
    assert {k: s["total"] for k, s in verify_count.recount(data).subjects.items()} == {
        "a": "80.00",
        "b": "71.67",
    }


def test_trimmed_means_voids_blanks_and_a_group_without_quorum() -> None:
    six = [{"a": m, "b": 50, "c": 70} for m in [60, 70, 80, 90, 100, 40]]
    result, data = both(
        POINTS, rules(top_band_max=1), [subject("a"), subject("b"), subject("c")],
        [GroupIn("peer", "同事", Fraction(3), 8), GroupIn("parent", "家长", Fraction(1), 10),
         GroupIn("stud", "学生", Fraction("1.5"), 4)],
        [*points_ballots("peer", *six, {"a": 80, "b": 80, "c": 80}, {"a": None, "b": None, "c": None}),
         *points_ballots("parent", *({"a": 95, "b": 92, "c": 10} for _ in range(4)),
                         {"a": 30, "b": 60, "c": 61}),
         *points_ballots("stud", {"a": 88, "b": None, "c": 77}, {"a": 66, "b": 55, "c": 44},
                         {"a": 91, "b": 1, "c": 2})],
    )  # fmt: skip
    assert [g["quorum_met"] for g in result["groups"]] == [True, False, True]
    assert_agree(result, data)


def test_paper_totals_merge_as_in_the_engine() -> None:
    paper = PaperIn(
        group="g", issued=4, returned=4, void=1, blank=0,
        tallies={"a": {"c1": {"100": 1, "70": 2}}, "b": {"c1": {"50": 2}}},
    )  # fmt: skip
    result, data = both(
        POINTS, rules(), [subject("a"), subject("b")],
        [GroupIn("g", "家长", Fraction(1), 2), GroupIn("h", "教师", Fraction(2), 2)],
        [*points_ballots("g", {"a": 90, "b": 60}, {"a": 80, "b": 70}),
         *points_ballots("h", {"a": 70, "b": 75}, {"a": 72, "b": 71})],
        (paper,),
    )  # fmt: skip
    assert_agree(result, data)


def test_levels_caps_and_ties_as_in_the_engine() -> None:
    people = [subject("p1", "王"), subject("p2", "丁"), subject("p3", "李"), subject("p4", "张"),
              subject("p5", "赵"), subject("p6", "刘")]  # fmt: skip
    votes = {
        "p1": ["优秀", "优秀", "优秀"], "p2": ["优秀", "优秀", "合格"], "p3": ["优秀", "优秀", "合格"],
        "p4": ["优秀", "优秀", "合格"], "p5": ["合格", "合格", "合格"],
        "p6": ["基本合格", "基本合格", "基本合格"],
    }  # fmt: skip
    cast = [BallotIn(str(i), "g", {p: {"c1": votes[p][i]} for p in votes}) for i in range(3)]
    result, data = both(
        rubrics.PARTY_MEMBER_RUBRIC, counting.rules_from_json(rubrics.preset_rules("party_member")).to_json(),
        people, [GroupIn("g", "党员", Fraction(1), 3)], cast,
    )  # fmt: skip
    assert [s["level"] for s in result["subjects"]] == ["优秀", "优秀", "合格", "合格", "合格", "基本合格"]
    assert_agree(result, data)


def test_stars_and_a_branch_not_rated() -> None:
    marks = {f"c{i}": 18 for i in range(1, 6)} | {"c6": 9}
    result, data = both(
        rubrics.FIVE_STAR_RUBRIC, counting.rules_from_json(rubrics.preset_rules("five_star")).to_json(),
        [subject("old", has_project=True), subject("new", not_rated=True), subject("mid")],
        [GroupIn("g", "评审组", Fraction(1), 2)],
        [BallotIn("1", "g", {"old": marks, "new": marks | {"c6": 2}, "mid": marks | {"c1": 10}}),
         BallotIn("2", "g", {"old": marks | {"c2": 12}, "new": marks, "mid": marks | {"c3": 5}})],
    )  # fmt: skip
    assert_agree(result, data)


@pytest.mark.parametrize("seed", range(6))
def test_random_weighted_level_scale_counts_agree(seed: int) -> None:
    """Many raters in three weighted groups on the 五个模范 level scale, with voids, blanks, abstentions
    and paper totals: the verifier and the engine give the same figures to the cent."""
    rng = random.Random(seed)
    rubric = rubrics.FIVE_MODELS_RUBRIC
    criteria = counting.rubric_from_json(rubric).criteria
    levels = [label for label, _ in criteria[0].scale.levels]
    subjects = [
        subject(f"t{i}", name)
        for i, name in enumerate(["王武", "白拉", "胡班", "田师", "丁一", "李四", "张三"])
    ]
    groups = [GroupIn("peer", "同事", Fraction(2), 14), GroupIn("parent", "家长", Fraction(1), 30),
              GroupIn("lead", "领导", Fraction("1.5"), 5)]  # fmt: skip
    cast = []
    for g in groups:
        for i in range(rng.randint(g.entitled // 2, g.entitled)):
            kind = rng.random()
            content: dict[str, dict[str, Any]] = {}
            for s in subjects:
                if kind < 0.05:
                    content[s.key] = {c.key: None for c in criteria}
                elif kind < 0.1:
                    content[s.key] = {c.key: levels[0] for c in criteria}
                else:
                    content[s.key] = {
                        c.key: rng.choice([*levels, levels[0], levels[1], None]) for c in criteria
                    }
            cast.append(BallotIn(f"{g.key}{i}", g.key, content))
    paper = PaperIn("parent", issued=6, returned=5, void=1, blank=1, tallies={
        s.key: {c.key: {levels[rng.randrange(4)]: 1, levels[0]: 2} for c in criteria} for s in subjects[:4]
    })  # fmt: skip
    rule_set = rules(top_band_max=rng.choice([None, 3, 5]))
    result, data = both(rubric, rule_set, subjects, groups, cast, (paper,))
    assert any(s["total"] for s in result["subjects"])
    assert_agree(result, data)


# --- the check of the files -------------------------------------------------------------------


KEY = SigningKey(bytes(range(32)))


def published_files(
    data: dict[str, Any], result: dict[str, Any], key: SigningKey = KEY
) -> tuple[bytes, bytes]:
    ballots = to_bytes(data)
    signed = {
        "evaluation": data["evaluation"],
        "result": result,
        "ballots_sha256": hashlib.sha256(ballots).hexdigest(),
        "rubric": data["rubric"],
        "rules": data["rules"],
    }
    public = bytes(key.verify_key).hex()
    signature = {
        "algorithm": "Ed25519",
        "public_key": public,
        "fingerprint": verify_count.fingerprint(public),
        "value": key.sign(verify_count.canonical(signed)).signature.hex(),
    }
    return ballots, to_bytes({"format": verify_count.RESULT_FORMAT, "signed": signed, "signature": signature})


@pytest.fixture
def files() -> tuple[dict[str, Any], dict[str, Any]]:
    return both(
        POINTS, rules(), [subject("a", "王武"), subject("b", "白拉")],
        [GroupIn("lead", "领导", Fraction(2), 2), GroupIn("peer", "同事", Fraction(1), 3)],
        [*points_ballots("lead", {"a": 90, "b": 70}, {"a": 85, "b": 72}),
         *points_ballots("peer", {"a": 60, "b": 75}, {"a": 65, "b": 78})],
    )  # fmt: skip


def test_the_pure_python_ed25519_agrees_with_libsodium() -> None:
    message = verify_count.canonical({"结果": [1, "二"]})
    signature = KEY.sign(message).signature
    public = bytes(KEY.verify_key)
    assert verify_count.ed25519_verify(public, message, signature) is True
    assert verify_count.ed25519_verify(public, message + b" ", signature) is False
    assert verify_count.ed25519_verify(public, message, signature[:-1] + bytes([signature[-1] ^ 1])) is False
    other = bytes(SigningKey(bytes(32)).verify_key)
    assert verify_count.ed25519_verify(other, message, signature) is False


def test_good_files_pass_and_print_the_published_totals(
    files: tuple[dict[str, Any], dict[str, Any]], tmp_path: Path
) -> None:
    result, data = files
    ballots, signed = published_files(data, result)
    (tmp_path / "ballots.json").write_bytes(ballots)
    (tmp_path / "result.json").write_bytes(signed)
    out = io.StringIO()
    fp = verify_count.fingerprint(bytes(KEY.verify_key).hex())
    code = verify_count.main(
        [str(tmp_path / "ballots.json"), str(tmp_path / "result.json"), "--fingerprint", fp], out
    )
    text = out.getvalue()
    assert code == 0, text
    assert "✓ 王武: 79.17 · 1 · — · —" in text  # (2×87.5 + 62.5)/3
    assert "✓ 白拉: 72.83 · 2 · — · —" in text  # (2×71 + 76.5)/3
    assert "签名有效" in text
    assert "核查通过" in text
    assert fp in text


def test_one_changed_ballot_fails_loudly(files: tuple[dict[str, Any], dict[str, Any]]) -> None:
    result, data = files
    ballots, signed = published_files(data, result)
    changed = ballots.replace(b'"c1": 60', b'"c1": 100', 1)
    assert changed != ballots
    report = verify_count.check(changed, signed)
    assert not report.ok
    assert any("选票文件的 SHA-256 与签名结果中记录的不一致" in p for p in report.problems)
    assert any("王武" in p and "重算" in p for p in report.problems)  # and the recount says where


def test_a_changed_ballot_with_a_matching_digest_fails_on_the_signature(
    files: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    """Whoever changes a ballot and writes the new digest into result.json cannot sign it."""
    result, data = files
    ballots, signed = published_files(data, result)
    changed = ballots.replace(b'"c1": 60', b'"c1": 100', 1)
    forged = json.loads(signed)
    forged["signed"]["ballots_sha256"] = hashlib.sha256(changed).hexdigest()
    report = verify_count.check(changed, to_bytes(forged))
    assert any(p.startswith("签名无效") for p in report.problems)


def test_a_changed_result_or_a_key_of_ones_own_fails(files: tuple[dict[str, Any], dict[str, Any]]) -> None:
    result, data = files
    ballots, signed = published_files(data, result)
    forged = json.loads(signed)
    forged["signed"]["result"]["subjects"][0]["total"] = "99.00"
    report = verify_count.check(ballots, to_bytes(forged))
    assert any(p.startswith("签名无效") for p in report.problems)
    assert any("公布" in p and "99.00" in p for p in report.problems)
    # re-signed with another key: the signature holds, the fingerprint does not
    _, resigned = published_files(data, forged["signed"]["result"], SigningKey(bytes(32)))
    report = verify_count.check(
        ballots, resigned, expected_fingerprint=verify_count.fingerprint(bytes(KEY.verify_key).hex())
    )
    assert any("公钥指纹不是给定的" in p for p in report.problems)


def test_a_verdict_changed_in_the_file_is_named(files: tuple[dict[str, Any], dict[str, Any]]) -> None:
    result, data = files
    data["ballots"][0]["verdict"] = "void"
    ballots, signed = published_files(data, result)
    report = verify_count.check(ballots, signed)
    assert report.problems == [
        "第 1 张选票按公布的规则应判为 valid，文件中写的是 void "
        "/ ballot 1 is valid under the published rules, the file says void"
    ]


def test_files_that_are_not_json_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("not json")
    out = io.StringIO()
    assert verify_count.main([str(tmp_path / "a.json"), str(tmp_path / "a.json")], out) == 2
    assert "无法读取文件" in out.getvalue()
