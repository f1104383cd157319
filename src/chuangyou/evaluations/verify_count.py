"""核查计票 / check a published count, with nothing but Python's standard library.

    python verify_count.py ballots.json result.json [--fingerprint "ab12 cd34 …"]

Both files are downloaded from the result page. The check:
1. the SHA-256 of ballots.json is the one in the signed result;
2. the Ed25519 signature over the result (canonical JSON: sorted keys, no spaces) is good, and the
   public key's fingerprint is printed to compare with the one on the school's public page (or given
   with --fingerprint and compared here);
3. the rubric and rules in ballots.json are the signed ones;
4. every ballot is judged again under the published rules (valid / void / blank), and the count is
   done again from the ballots and the paper totals: per group the returned, valid, void and blank
   ballots and the quorum; per subject the group-weighted total, the rank, the level and the stars.
It prints the totals and exits 0 when everything agrees, 1 when anything does not (saying what), and
2 when a file cannot be read.

This file is self-contained on purpose (no Django, no PyNaCl): copy it anywhere. The counting rules
are re-implemented here from the published rules, independently of `counting.py`; the tests hold the
two to the same numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

BALLOTS_FORMAT = "chuangyou-ballots/1"
RESULT_FORMAT = "chuangyou-result/1"


# --- canonical JSON and the fingerprint ----------------------------------------------------------


def canonical(data: Any) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def fingerprint(public_key_hex: str) -> str:
    """What the school's public page shows: the first 128 bits of SHA-256 of the key, in groups of 4."""
    digest = hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


# --- Ed25519 verification (RFC 8032, section 6), pure Python ------------------------------------

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)

Point = tuple[int, int, int, int]


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    if x2 % _P == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


_GY = 4 * pow(5, _P - 2, _P) % _P
_GX = _recover_x(_GY, 0) or 0
_G: Point = (_GX, _GY, 1, _GX * _GY % _P)


def _add(p: Point, q: Point) -> Point:
    a = (p[1] - p[0]) * (q[1] - q[0]) % _P
    b = (p[1] + p[0]) * (q[1] + q[0]) % _P
    c = 2 * p[3] * q[3] * _D % _P
    d = 2 * p[2] * q[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _mul(s: int, p: Point) -> Point:
    q: Point = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, p)
        p = _add(p, p)
        s >>= 1
    return q


def _equal(p: Point, q: Point) -> bool:
    return (p[0] * q[2] - q[0] * p[2]) % _P == 0 and (p[1] * q[2] - q[1] * p[2]) % _P == 0


def _decompress(s: bytes) -> Point | None:
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a = _decompress(public_key)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little") % _L
    return _equal(_mul(s, _G), _add(r, _mul(h, a)))


# --- the rubric and the rules, read from the file ------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: Fraction
    kind: str
    low: int
    high: int
    levels: tuple[tuple[str, int], ...]

    @property
    def top(self) -> int:
        return self.levels[0][1] if self.kind == "levels" else self.high

    def points(self, value: Any) -> Fraction | None:
        """None for a blank; ValueError for a mark off the scale."""
        if value is None or value == "":
            return None
        if self.kind == "levels":
            for label, worth in self.levels:
                if value == label:
                    return Fraction(worth)
            raise ValueError(f"「{value}」不是指标 {self.key} 的等级 / not a level of criterion {self.key}")
        pts = Fraction(str(value))
        if not self.low <= pts <= self.high:
            raise ValueError(f"{value} 不在 {self.low}–{self.high} 之间 / out of range")
        return pts


def criteria_of(rubric: Mapping[str, Any]) -> list[Criterion]:
    out = []
    for i, c in enumerate(rubric["criteria"], start=1):
        s = c["scale"]
        out.append(
            Criterion(
                key=c.get("key") or f"c{i}",
                weight=Fraction(str(c.get("weight", 1))),
                kind=s["kind"],
                low=int(s.get("low", 0)),
                high=int(s.get("high", 100)),
                levels=tuple((str(label), int(pts)) for label, pts in s.get("levels", ())),
            )
        )
    return out


@dataclass(frozen=True)
class Rules:
    trim_above: int
    quorum: Fraction
    void_same_score: bool
    top_band_percent: int
    top_band_max: int | None
    level_bands: tuple[tuple[Fraction, str], ...]
    level_caps: dict[str, Fraction]
    star_bands: tuple[tuple[Fraction, int, bool], ...]


def rules_of(data: Mapping[str, Any]) -> Rules:
    top_max = data.get("top_band_max")
    return Rules(
        trim_above=int(data.get("trim_above", 5)),
        quorum=Fraction(str(data.get("quorum", "1/2"))),
        void_same_score=bool(data.get("void_same_score", True)),
        top_band_percent=int(data.get("top_band_percent", 90)),
        top_band_max=None if top_max is None else int(top_max),
        level_bands=tuple((Fraction(str(a)), str(b)) for a, b in data.get("level_bands", ())),
        level_caps={str(a): Fraction(str(b)) for a, b in data.get("level_caps", ())},
        star_bands=tuple((Fraction(str(a)), int(b), bool(c)) for a, b, c in data.get("star_bands", ())),
    )


def fmt(x: Fraction | None) -> str | None:
    """Half up to 2 places, as the result is written."""
    if x is None:
        return None
    d = Decimal(x.numerator) / Decimal(x.denominator)
    return str(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- judging a ballot ---------------------------------------------------------------------------


def judge(content: Mapping[str, Mapping[str, Any]], criteria: Sequence[Criterion], rules: Rules) -> str:
    """ "blank", "void" or "valid", as the published rules say (ValueError: a mark off the scale)."""
    if all(v is None or v == "" for marks in content.values() for v in marks.values()):
        return "blank"
    scores = []
    for marks in content.values():
        got, most = Fraction(0), Fraction(0)
        for c in criteria:
            pts = c.points(marks.get(c.key))
            if pts is not None:
                got += c.weight * pts
                most += c.weight * c.top
        if most:
            scores.append((got, most))
    if rules.void_same_score and len(scores) >= 2 and len({got for got, _ in scores}) == 1:
        return "void"
    if rules.top_band_max is not None:
        top = sum(1 for got, most in scores if got * 100 >= most * rules.top_band_percent)
        if top > rules.top_band_max:
            return "void"
    return "valid"


# --- the count ----------------------------------------------------------------------------------


@dataclass
class Count:
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    subjects: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class _Marks:
    """Every valid mark, by (subject, criterion, group): its points, and its level's name."""

    def __init__(self, subjects: Iterable[str]) -> None:
        self.wanted = set(subjects)
        self.points: dict[tuple[str, str, str], Counter[Fraction]] = defaultdict(Counter)
        self.labels: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)

    def add(self, subject: str, c: Criterion, group: str, value: Any, times: int) -> None:
        pts = c.points(value)
        if pts is None or times <= 0 or subject not in self.wanted:
            return
        self.points[(subject, c.key, group)][pts] += times
        if c.kind == "levels":
            self.labels[(subject, c.key, group)][str(value)] += times


def _judge_ballots(
    data: Mapping[str, Any],
    criteria: list[Criterion],
    rules: Rules,
    figures: dict[str, Any],
    marks: _Marks,
    out: Count,
) -> None:
    """Judge each ballot again under the published rules; count it, and its marks when valid."""
    for n, ballot in enumerate(data["ballots"], start=1):
        group = ballot["group"]
        if group not in figures:
            out.problems.append(f"第 {n} 张选票的评议主体 {group} 不在文件中 / ballot {n}: unknown group")
            continue
        try:
            judged = judge(ballot["content"], criteria, rules)
        except ValueError as exc:
            out.problems.append(f"第 {n} 张选票：{exc} / ballot {n}: mark off the scale")
            continue
        if judged != ballot.get("verdict"):
            out.problems.append(
                f"第 {n} 张选票按公布的规则应判为 {judged}，文件中写的是 {ballot.get('verdict')} "
                f"/ ballot {n} is {judged} under the published rules, the file says {ballot.get('verdict')}"
            )
        figures[group]["returned"] += 1
        figures[group][judged] += 1
        if judged == "valid":
            for subject, per_criterion in ballot["content"].items():
                for c in criteria:
                    marks.add(subject, c, group, per_criterion.get(c.key), 1)


def _add_paper(
    data: Mapping[str, Any], criteria: list[Criterion], figures: dict[str, Any], marks: _Marks, out: Count
) -> None:
    """Add the paper ballots' entered totals, group by group."""
    for paper in data.get("paper", ()):
        group = paper["group"]
        if group not in figures:
            out.problems.append(f"纸质票的评议主体 {group} 不在文件中 / paper totals: unknown group")
            continue
        f = figures[group]
        f["entitled"] += int(paper["issued"])
        f["returned"] += int(paper["returned"])
        f["void"] += int(paper["void"])
        f["blank"] += int(paper["blank"])
        f["valid"] += int(paper["returned"]) - int(paper["void"]) - int(paper["blank"])
        for subject in marks.wanted:
            for c in criteria:
                for value, times in paper["tallies"].get(subject, {}).get(c.key, {}).items():
                    try:
                        marks.add(subject, c, group, value, int(times))
                    except ValueError as exc:
                        out.problems.append(f"纸质票：{exc} / paper totals: mark off the scale")


def _subject_total(
    subject: str,
    groups: list[Mapping[str, Any]],
    criteria: list[Criterion],
    rules: Rules,
    marks: _Marks,
    counted_groups: dict[str, Fraction],
) -> tuple[Fraction | None, Fraction]:
    """A subject's weighted total over the groups that count (quorum met, weight above 0), and its share
    of top-level marks (the tie-break)."""
    weighted, weight_sum = Fraction(0), Fraction(0)
    top = everything = 0
    for g in groups:
        score: Fraction | None = Fraction(0)
        for c in criteria:
            cell = marks.points.get((subject, c.key, g["key"]), Counter())
            n = sum(cell.values())
            if c.kind == "levels":
                top += marks.labels.get((subject, c.key, g["key"]), Counter())[c.levels[0][0]]
                everything += n
            if not n:
                score = None
                continue
            total = sum((v * t for v, t in cell.items()), Fraction(0))
            used = total / n if n <= rules.trim_above else (total - max(cell) - min(cell)) / (n - 2)
            if score is not None:
                score += c.weight * used
        weight = counted_groups.get(g["key"])
        if weight is not None and score is not None:
            weighted += weight * score
            weight_sum += weight
    return (weighted / weight_sum if weight_sum else None), (
        Fraction(top, everything) if everything else Fraction(0)
    )


def recount(data: Mapping[str, Any]) -> Count:
    """The count from a ballot file: the same figures `counting.count` publishes."""
    out = Count()
    criteria = criteria_of(data["rubric"])
    rules = rules_of(data["rules"])
    subjects = data["subjects"]
    groups = data["groups"]
    figures = {
        g["key"]: {"entitled": int(g["entitled"]), "returned": 0, "valid": 0, "void": 0, "blank": 0}
        for g in groups
    }
    marks = _Marks(s["key"] for s in subjects)
    _judge_ballots(data, criteria, rules, figures, marks, out)
    _add_paper(data, criteria, figures, marks, out)

    counted_groups: dict[str, Fraction] = {}
    for g in groups:
        f = figures[g["key"]]
        f["quorum_met"] = f["entitled"] > 0 and f["valid"] > rules.quorum * f["entitled"]
        out.groups[g["key"]] = f | {"name": g["name"]}
        weight = Fraction(str(g["weight"]))
        if f["quorum_met"] and weight > 0:
            counted_groups[g["key"]] = weight

    exact: dict[str, Fraction | None] = {}
    top_share: dict[str, Fraction] = {}
    for s in subjects:
        total, top_share[s["key"]] = _subject_total(s["key"], groups, criteria, rules, marks, counted_groups)
        exact[s["key"]] = None if s.get("not_rated") else total
        out.subjects[s["key"]] = {"name": s["name"], "total": fmt(total)}

    ranked = sorted(
        (s for s in subjects if exact[s["key"]] is not None),
        key=lambda s: (-(exact[s["key"]] or 0), -top_share[s["key"]], s["sort_key"], s["key"]),
    )
    for position, s in enumerate(ranked, start=1):
        out.subjects[s["key"]]["rank"] = position
    levels = _levels([s["key"] for s in ranked], exact, rules)
    for s in subjects:
        row = out.subjects[s["key"]]
        row.setdefault("rank", None)
        row["level"] = levels.get(s["key"])
        row["stars"] = (
            None if s.get("not_rated") else _stars(exact[s["key"]], bool(s.get("has_project")), rules)
        )
    return out


def _band(total: Fraction | None, rules: Rules) -> str | None:
    if total is None:
        return None
    return next((level for minimum, level in rules.level_bands if total >= minimum), None)


def _levels(ranked: Sequence[str], totals: Mapping[str, Fraction | None], rules: Rules) -> dict[str, str]:
    order = [level for _, level in rules.level_bands]
    caps = {level: math.floor(share * len(ranked)) for level, share in rules.level_caps.items()}
    used: Counter[str] = Counter()
    out = {}
    for key in ranked:
        level = _band(totals[key], rules)
        if level is None:
            continue
        i = order.index(level)
        while order[i] in caps and used[order[i]] >= caps[order[i]] and i + 1 < len(order):
            i += 1
        out[key] = order[i]
        used[order[i]] += 1
    return out


def _stars(total: Fraction | None, has_project: bool, rules: Rules) -> int | None:
    if total is None or not rules.star_bands:
        return None
    for minimum, star, needs_project in rules.star_bands:
        if total >= minimum and (has_project or not needs_project):
            return star
    return 1


# --- the check ----------------------------------------------------------------------------------


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


GROUP_FIGURES = ("entitled", "returned", "valid", "void", "blank", "quorum_met")
SUBJECT_FIGURES = ("total", "rank", "level", "stars")


def check(ballots_bytes: bytes, result_bytes: bytes, *, expected_fingerprint: str = "") -> Report:
    """Every check on the two files, as bytes. Problems are collected, not stopped at."""
    report = Report()
    say, wrong = report.lines.append, report.problems.append
    ballots = json.loads(ballots_bytes.decode("utf-8"))
    published = json.loads(result_bytes.decode("utf-8"))
    if ballots.get("format") != BALLOTS_FORMAT or published.get("format") != RESULT_FORMAT:
        wrong(
            "文件格式不对：需要结果页上下载的 ballots.json 和 result.json "
            "/ not the files from the result page"
        )
        return report
    signed = published["signed"]

    digest = hashlib.sha256(ballots_bytes).hexdigest()
    say(f"选票文件 SHA-256 / ballot file SHA-256: {digest}")
    if digest != signed.get("ballots_sha256"):
        wrong(
            "选票文件的 SHA-256 与签名结果中记录的不一致：选票文件被改动过，或不是这次公布的文件 "
            f"/ the ballot file's SHA-256 is not the signed one ({signed.get('ballots_sha256')})"
        )

    signature = published.get("signature", {})
    key_hex = signature.get("public_key", "")
    try:
        good = ed25519_verify(
            bytes.fromhex(key_hex), canonical(signed), bytes.fromhex(signature.get("value", ""))
        )
        fp = fingerprint(key_hex)
    except ValueError:
        good, fp = False, "?"
    say(
        f"学校公钥指纹 / school key fingerprint: {fp}  "
        "（请与学校公开页面上的指纹核对 / compare with the school's public page）"
    )
    if not good:
        wrong("签名无效：结果文件被改动过，或不是用这把公钥签的 / bad signature: the result file was changed")
    else:
        say("签名有效（Ed25519，纯 Python 验证）/ signature good (Ed25519, verified in pure Python)")
    if expected_fingerprint and expected_fingerprint.replace(" ", "").lower() != fp.replace(" ", ""):
        wrong(f"公钥指纹不是给定的 {expected_fingerprint} / the key is not the expected one")

    for part in ("rubric", "rules", "evaluation"):
        if ballots.get(part) != signed.get(part):
            wrong(
                f"选票文件中的 {part} 与签名结果中的不一致 / the ballot file's {part} is not the signed one"
            )

    counted = recount(ballots)
    report.problems.extend(counted.problems)
    result = signed["result"]
    stated_groups = {g["key"]: g for g in result.get("groups", [])}
    say("")
    say(
        "评议主体 / group: 应投 entitled · 收回 returned · 有效 valid · 废票 void · 弃权 blank"
        " · 达到法定人数 quorum"
    )
    for key, g in counted.groups.items():
        mine = tuple(g[f] for f in GROUP_FIGURES)
        theirs = tuple(stated_groups.get(key, {}).get(f) for f in GROUP_FIGURES)
        mark = "✓" if mine == theirs else "✗"
        say(f"  {mark} {g['name']}: " + " · ".join(str(v) for v in mine))
        if mine != theirs:
            wrong(
                f"「{g['name']}」重算 {mine}，公布 {theirs} "
                f"/ group {key}: recounted {mine}, published {theirs}"
            )
    stated_subjects = {s["key"]: s for s in result.get("subjects", [])}
    say("")
    say("对象 / subject: 总分 total · 名次 rank · 等次 level · 星级 stars")
    for key, s in sorted(
        counted.subjects.items(), key=lambda kv: (kv[1]["rank"] is None, kv[1]["rank"] or 0)
    ):
        mine = tuple(s[f] for f in SUBJECT_FIGURES)
        theirs = tuple(stated_subjects.get(key, {}).get(f) for f in SUBJECT_FIGURES)
        mark = "✓" if mine == theirs else "✗"
        say(f"  {mark} {s['name']}: " + " · ".join("—" if v is None else str(v) for v in mine))
        if mine != theirs:
            wrong(
                f"「{s['name']}」重算 {mine}，公布 {theirs} "
                f"/ subject {key}: recounted {mine}, published {theirs}"
            )
    for key in stated_subjects.keys() - counted.subjects.keys():
        wrong(f"公布结果中的对象 {key} 不在选票文件中 / published subject {key} is not in the ballot file")
    return report


def main(argv: Sequence[str] | None = None, out: Any = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(
        prog="verify_count.py",
        description="核查已公布的计票：校验摘要与签名，按公布的规则重新计票 / check a published count",
    )
    parser.add_argument("ballots", help="ballots.json（选票文件）")
    parser.add_argument("result", help="result.json（签名的结果）")
    parser.add_argument(
        "--fingerprint", default="", help="学校公开页面上的公钥指纹 / the fingerprint to expect"
    )
    args = parser.parse_args(argv)

    def say(text: str) -> None:
        out.write(text + "\n")

    try:
        with open(args.ballots, "rb") as a, open(args.result, "rb") as b:
            ballots_bytes, result_bytes = a.read(), b.read()
        report = check(ballots_bytes, result_bytes, expected_fingerprint=args.fingerprint)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        say(f"无法读取文件 / cannot read the files: {exc!r}")
        return 2
    for line in [*report.lines, ""]:
        say(line)
    if report.ok:
        say("核查通过：摘要、签名和重新计票的结果都与公布的一致。/ OK: digest, signature and recount agree.")
        return 0
    say("核查未通过 / CHECK FAILED:")
    for problem in report.problems:
        say(f"  ✗ {problem}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
