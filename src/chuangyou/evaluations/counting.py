"""The count: pure functions over plain data, so the page, the API and `chuangyou recount` agree.

Arithmetic is exact (fractions); numbers are rounded only when written out, half up to 2 places.
Inputs are a frozen rubric, the counting rules, the subjects, the rater groups with their entitled
numbers, the online ballots and the paper tallies. The output is plain JSON.

The rules as applied (each one is a field of `Rules`, published before voting opens):
- a blank ballot is an abstention; a blank cell is an abstention for that subject and criterion;
- a ballot is void if it gives every subject it scores the same score (2 or more subjects), or
  scores more subjects in the top band than allowed;
- per subject, criterion and group: with more than `trim_above` marks the single highest and lowest
  are dropped before averaging, otherwise the plain mean is taken;
- a group counts only with a quorum: its valid ballots (void and blank ones not included) number
  more than `quorum` of its entitled raters (`quorum_met`, which the rules page states in the same
  words); below it the group is shown as invalid and left out of the weighted total;
- a subject's group score is the weighted sum of its criterion scores; its total is the
  group-weighted mean of its valid group scores;
- ranking: total descending; ties go to the higher share of top-level marks, then 姓氏笔画;
- levels come from the total's band, then caps apply in rank order: a subject beyond a level's
  cap drops to the next level; stars come from the star bands;
- 满意率: over the groups that counted and the criteria on a satisfaction scale (one whose levels
  include every `satisfied_levels` label), the share of those marks; below `satisfaction_floor`
  the subject is flagged.
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext

from chuangyou.lib.strokes import stroke_key

Value = int | float | str | None


# --- the rubric ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """Points within [low, high], or named levels each worth some points (first level is the top)."""

    kind: str  # "points" or "levels"
    low: int = 0
    high: int = 100
    levels: tuple[tuple[str, int], ...] = ()

    @property
    def top(self) -> int:
        return self.levels[0][1] if self.kind == "levels" else self.high

    def points(self, value: Value) -> Fraction | None:
        """The points a mark is worth; None for a blank; ValueError for a mark off the scale.
        Cached: a count sees the same few marks millions of times."""
        if value is None or value == "":
            return None
        return _points(self, value)

    def _parse(self, value: Value) -> Fraction | None:
        if value is None or value == "":
            return None
        if self.kind == "levels":
            for label, worth in self.levels:
                if value == label:
                    return Fraction(worth)
            raise ValueError(gettext("「%(value)s」不是本量表的等级。") % {"value": value})
        pts = Fraction(str(value))
        if not self.low <= pts <= self.high:
            raise ValueError(
                gettext("分数须在 %(low)s–%(high)s 之间。") % {"low": self.low, "high": self.high}
            )
        return pts


@functools.lru_cache(maxsize=4096)
def _points(scale: Scale, value: int | float | str) -> Fraction | None:
    return scale._parse(value)


@dataclass(frozen=True)
class Criterion:
    key: str
    title: str
    description: str
    weight: Fraction
    scale: Scale


@dataclass(frozen=True)
class Rubric:
    name: str
    criteria: tuple[Criterion, ...]

    def criterion(self, key: str) -> Criterion:
        return next(c for c in self.criteria if c.key == key)

    @property
    def max_total(self) -> Fraction:
        return sum((c.weight * c.scale.top for c in self.criteria), Fraction(0))


def rubric_from_json(data: Mapping[str, Any]) -> Rubric:
    criteria = []
    for i, c in enumerate(data["criteria"], start=1):
        s = c["scale"]
        scale = Scale(
            kind=s["kind"],
            low=int(s.get("low", 0)),
            high=int(s.get("high", 100)),
            levels=tuple((str(label), int(pts)) for label, pts in s.get("levels", ())),
        )
        criteria.append(
            Criterion(
                key=c.get("key") or f"c{i}",
                title=c["title"],
                description=c.get("description", ""),
                weight=Fraction(str(c.get("weight", 1))),
                scale=scale,
            )
        )
    return Rubric(name=data.get("name", ""), criteria=tuple(criteria))


# --- the rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    trim_above: int = 5
    quorum: str = "1/2"  # a group counts when more than this share of its entitled raters voted
    void_same_score: bool = True
    top_band_percent: int = 90  # a subject scored at or above this share of the maximum is "top band"
    top_band_max: int | None = None  # void a ballot with more top-band subjects than this
    level_bands: tuple[tuple[str, str], ...] = ()  # (minimum total, level), highest first
    level_caps: tuple[tuple[str, str], ...] = ()  # (level, largest share of those rated, e.g. "1/3")
    star_bands: tuple[tuple[str, int, bool], ...] = ()  # (minimum total, stars, needs an innovation project)
    consensus_gap: int = 25  # flag a ballot whose marks stray this many points (per 100) from the mean
    burst_size: int = 10  # flag a network that used this many codes within ten minutes
    # 满意率: the share of 满意 and 比较满意 among the marks on a satisfaction scale; flagged below the floor
    satisfied_levels: tuple[str, ...] = ("满意", "比较满意")
    satisfaction_floor: int = 60

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def rules_from_json(data: Mapping[str, Any]) -> Rules:
    return Rules(
        trim_above=int(data.get("trim_above", 5)),
        quorum=str(data.get("quorum", "1/2")),
        void_same_score=bool(data.get("void_same_score", True)),
        top_band_percent=int(data.get("top_band_percent", 90)),
        top_band_max=None if data.get("top_band_max") is None else int(data["top_band_max"]),
        level_bands=tuple((str(a), str(b)) for a, b in data.get("level_bands", ())),
        level_caps=tuple((str(a), str(b)) for a, b in data.get("level_caps", ())),
        star_bands=tuple((str(a), int(b), bool(c)) for a, b, c in data.get("star_bands", ())),
        consensus_gap=int(data.get("consensus_gap", 25)),
        burst_size=int(data.get("burst_size", 10)),
        satisfied_levels=tuple(str(x) for x in data.get("satisfied_levels", ("满意", "比较满意"))),
        satisfaction_floor=int(data.get("satisfaction_floor", 60)),
    )


# --- the inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectIn:
    key: str
    name: str
    sort_key: str  # 姓氏笔画 key, the last tie-break
    has_project: bool = False
    not_rated: bool = False  # e.g. a branch under a year old


@dataclass(frozen=True)
class GroupIn:
    key: str
    name: str
    weight: Fraction
    entitled: int


@dataclass(frozen=True)
class BallotIn:
    key: str
    group: str
    content: Mapping[str, Mapping[str, Value]]  # subject → criterion → mark (None: blank)


@dataclass(frozen=True)
class PaperIn:
    """A group's paper ballots as totals: how many returned, void and blank, and per subject and
    criterion how many times each mark was given."""

    group: str
    issued: int
    returned: int
    void: int
    blank: int
    tallies: Mapping[str, Mapping[str, Mapping[str, int]]]


# --- helpers ------------------------------------------------------------------------------------


def surname_key(name: str) -> str:
    """姓氏笔画 as a sortable string: per character, strokes then code point, fixed width."""
    return "".join(f"{strokes:02d}{point:06x}" for strokes, point in stroke_key(name))


def fmt(x: Fraction | None) -> str | None:
    if x is None:
        return None
    d = Decimal(x.numerator) / Decimal(x.denominator)
    return str(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fraction(text: str) -> Fraction:
    return Fraction(text)


def trimmed(
    marks: Mapping[Fraction, int], trim_above: int
) -> tuple[Fraction | None, Fraction | None, list[Fraction]]:
    """(mean, trimmed mean or None, the dropped marks), from how many times each mark was given."""
    n = sum(marks.values())
    if not n:
        return None, None, []
    total = sum((value * times for value, times in marks.items()), Fraction(0))
    if n <= trim_above:
        return total / n, None, []
    high, low = max(marks), min(marks)
    return total / n, (total - high - low) / (n - 2), [high, low]


def _ballot_subject_scores(ballot: BallotIn, rubric: Rubric) -> dict[str, tuple[Fraction, Fraction]]:
    """Per subject this ballot scored: (weighted points, weighted maximum of the criteria filled)."""
    scores: dict[str, tuple[Fraction, Fraction]] = {}
    for subject, marks in ballot.content.items():
        got, most = Fraction(0), Fraction(0)
        for c in rubric.criteria:
            pts = c.scale.points(marks.get(c.key))
            if pts is not None:
                got += c.weight * pts
                most += c.weight * c.scale.top
        if most:
            scores[subject] = (got, most)
    return scores


def void_reason(ballot: BallotIn, rubric: Rubric, rules: Rules) -> str | None:
    scores = _ballot_subject_scores(ballot, rubric)
    if rules.void_same_score and len(scores) >= 2 and len({got for got, _ in scores.values()}) == 1:
        return "same_score"
    if rules.top_band_max is not None:
        top = sum(1 for got, most in scores.values() if got * 100 >= most * rules.top_band_percent)
        if top > rules.top_band_max:
            return "too_many_top"
    return None


def is_blank(ballot: BallotIn) -> bool:
    return all(v is None or v == "" for marks in ballot.content.values() for v in marks.values())


# --- the count ----------------------------------------------------------------------------------


@dataclass
class _Cell:
    marks: Counter[Fraction] = field(default_factory=Counter)
    labels: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    abstentions: int = 0


VERDICTS = ("valid", "blank", "same_score", "too_many_top")


def verdict(ballot: BallotIn, rubric: Rubric, rules: Rules) -> str:
    """What a ballot is, judged alone: "valid", "blank" (an abstention) or its void reason. It says
    nothing about the voter, so it is stored on the ballot row when cast, for the count in SQL."""
    if is_blank(ballot):
        return "blank"
    return void_reason(ballot, rubric, rules) or "valid"


@dataclass
class Tally:
    """The online ballots as the count needs them: per group, how many of each verdict; per subject,
    criterion and group, how many times each mark was given on the valid ballots. The database can
    produce exactly this with GROUP BY, so the engine need not read each ballot."""

    verdicts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    marks: dict[tuple[str, str, str], Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, other: Tally) -> None:
        for g, counts in other.verdicts.items():
            self.verdicts[g].update(counts)
        for key, counts in other.marks.items():
            self.marks[key].update(counts)


def tally(ballots: Iterable[BallotIn], rubric: Rubric, rules: Rules) -> Tally:
    """The pure path: judge and tally each raw ballot (what `chuangyou recount` does)."""
    out = Tally()
    for ballot in ballots:
        judged = verdict(ballot, rubric, rules)
        out.verdicts[ballot.group][judged] += 1
        if judged != "valid":
            continue
        for s, marks in ballot.content.items():
            for c in rubric.criteria:
                value = marks.get(c.key)
                if c.scale.points(value) is not None:
                    out.marks[(s, c.key, ballot.group)][str(value)] += 1
    return out


def has_quorum(*, entitled: int, valid: int, rules: Rules) -> bool:
    """有效参与: more valid ballots than `quorum` of the entitled. A void ballot and a blank one
    (an abstention) are returned but are not valid participation, so they cannot make a quorum."""
    return entitled > 0 and valid > fraction(rules.quorum) * entitled


@dataclass
class _GroupTotals:
    """One rater group's ballots: online and paper together."""

    entitled: int
    returned: int = 0
    valid: int = 0
    void: int = 0
    blank: int = 0
    void_reasons: dict[str, int] = field(default_factory=dict)


_Cells = dict[tuple[str, str, str], _Cell]  # (subject, criterion, group) → its marks


def _online_totals(online: Tally, groups: Sequence[GroupIn]) -> dict[str, _GroupTotals]:
    totals = {}
    for g in groups:
        verdicts = online.verdicts.get(g.key, Counter())
        returned, blank, valid = sum(verdicts.values()), verdicts["blank"], verdicts["valid"]
        totals[g.key] = _GroupTotals(
            entitled=g.entitled,
            returned=returned,
            valid=valid,
            void=returned - blank - valid,
            blank=blank,
            void_reasons={r: n for r, n in verdicts.items() if r not in ("valid", "blank") and n},
        )
    return totals


def _add_marks(
    cell: _Cell, criterion: Criterion, marks: Mapping[Any, int], valid: int, *, paper: bool
) -> None:
    """Marks given in one cell; every valid ballot that left the cell blank abstained on it. Online
    marks were checked when cast; a paper tally's unknown marks and non-positive counts are skipped."""
    given = 0
    for value, times in marks.items():
        pts = criterion.scale.points(value)
        if paper and (pts is None or times <= 0):
            continue
        cell.marks[pts or Fraction(0)] += times
        given += times
        if criterion.scale.kind == "levels":
            cell.labels[value] += times
    cell.abstentions += max(valid - given, 0) if paper else valid - given


def _fill_cells(
    cells: _Cells,
    rubric: Rubric,
    subject_keys: Sequence[str],
    online: Tally,
    papers: Sequence[PaperIn],
    totals: dict[str, _GroupTotals],
) -> None:
    for gk, group in totals.items():
        for s in subject_keys:
            for c in rubric.criteria:
                _add_marks(
                    cells[(s, c.key, gk)],
                    c,
                    online.marks.get((s, c.key, gk), Counter()),
                    group.valid,
                    paper=False,
                )
    for paper in papers:
        group = totals[paper.group]
        valid = paper.returned - paper.void - paper.blank
        group.entitled += paper.issued
        group.returned += paper.returned
        group.void += paper.void
        group.blank += paper.blank
        group.valid += valid
        for s in subject_keys:
            for c in rubric.criteria:
                _add_marks(
                    cells[(s, c.key, paper.group)],
                    c,
                    paper.tallies.get(s, {}).get(c.key, {}),
                    valid,
                    paper=True,
                )


def _group_row(g: GroupIn, totals: _GroupTotals, quorum_met: bool) -> dict[str, Any]:
    return {
        "key": g.key,
        "name": g.name,
        "weight": fmt(g.weight),
        "entitled": totals.entitled,
        "returned": totals.returned,
        "valid": totals.valid,
        "void": totals.void,
        "void_reasons": dict(sorted(totals.void_reasons.items())),
        "blank": totals.blank,
        "turnout": fmt(Fraction(totals.returned * 100, totals.entitled)) if totals.entitled else None,
        "quorum_met": quorum_met,
    }


@dataclass
class _LevelShares:
    """Across a subject's groups: how many marks were the top level, and satisfaction (满意度)."""

    top: int = 0
    marks: int = 0
    satisfied: int = 0
    rated: int = 0


def _criterion_row(
    c: Criterion, cell: _Cell, void: int, quorum_met: bool, rules: Rules, shares: _LevelShares
) -> tuple[dict[str, Any], Fraction | None]:
    """One cell's line of the explanation, and the figure it adds to the group's score."""
    mean, trim, dropped = trimmed(cell.marks, rules.trim_above)
    used = trim if trim is not None else mean
    n = sum(cell.marks.values())
    levels = (
        {label: fmt(Fraction(cell.labels.get(label, 0) * 100, n)) for label, _ in c.scale.levels}
        if c.scale.kind == "levels" and n
        else {}
    )
    if c.scale.kind == "levels":
        shares.top += cell.labels.get(c.scale.levels[0][0], 0)
        shares.marks += n
        if quorum_met and _is_satisfaction(c.scale, rules):
            shares.satisfied += sum(cell.labels.get(label, 0) for label in rules.satisfied_levels)
            shares.rated += n
    row = {
        "key": c.key,
        "count": n,
        "abstentions": cell.abstentions,
        "void": void,
        "mean": fmt(mean),
        "trimmed_mean": fmt(trim),
        "dropped": [fmt(d) for d in dropped],
        "used": fmt(used),
        "weight": fmt(c.weight),
        "weighted": fmt(c.weight * used) if used is not None else None,
        "levels": levels,
    }
    return row, used


def _subject_row(
    subject: SubjectIn,
    groups: Sequence[GroupIn],
    rubric: Rubric,
    rules: Rules,
    cells: _Cells,
    totals: dict[str, _GroupTotals],
    quorum_met: dict[str, bool],
) -> tuple[dict[str, Any], Fraction | None, Fraction]:
    """A subject's result line, its exact weighted total and its share of top-level marks."""
    group_parts = []
    weighted, weights = Fraction(0), Fraction(0)
    shares = _LevelShares()
    for g in groups:
        criteria_rows = []
        score: Fraction | None = Fraction(0)
        for c in rubric.criteria:
            cell = cells[(subject.key, c.key, g.key)]
            row, used = _criterion_row(c, cell, totals[g.key].void, quorum_met[g.key], rules, shares)
            criteria_rows.append(row)
            score = None if used is None or score is None else score + c.weight * used
        counted = quorum_met[g.key] and score is not None and g.weight > 0
        if counted and score is not None:
            weighted += g.weight * score
            weights += g.weight
        group_parts.append(
            {
                "group": g.key,
                "score": fmt(score),
                "counted": counted,
                "why_not": None if counted else ("quorum" if not quorum_met[g.key] else "no_marks"),
                "criteria": criteria_rows,
            }
        )
    total = weighted / weights if weights else None
    top_share = Fraction(shares.top, shares.marks) if shares.marks else Fraction(0)
    satisfaction = Fraction(shares.satisfied * 100, shares.rated) if shares.rated else None
    row = {
        "key": subject.key,
        "name": subject.name,
        "total": fmt(total),
        "weight_sum": fmt(weights) if weights else None,
        "not_rated": subject.not_rated,
        "has_project": subject.has_project,
        "top_share": fmt(top_share * 100),
        "satisfaction": fmt(satisfaction),
        "satisfaction_low": satisfaction is not None and satisfaction < rules.satisfaction_floor,
        "groups": group_parts,
    }
    return row, (None if subject.not_rated else total), top_share


def count(
    *,
    rubric: Rubric,
    rules: Rules,
    subjects: Sequence[SubjectIn],
    groups: Sequence[GroupIn],
    ballots: Iterable[BallotIn] = (),
    papers: Sequence[PaperIn] = (),
    tallied: Tally | None = None,
) -> dict[str, Any]:
    """The count, from raw ballots or from their tally (the same numbers either way): each group's
    ballots and quorum, each subject's explained score, then rank, levels and stars."""
    online = tallied if tallied is not None else tally(ballots, rubric, rules)
    totals = _online_totals(online, groups)
    cells: _Cells = defaultdict(_Cell)
    _fill_cells(cells, rubric, [s.key for s in subjects], online, papers, totals)
    quorum_met = {
        g.key: has_quorum(entitled=totals[g.key].entitled, valid=totals[g.key].valid, rules=rules)
        for g in groups
    }
    exact: dict[str, Fraction | None] = {}
    top_share: dict[str, Fraction] = {}
    subject_rows: list[dict[str, Any]] = []
    for subject in subjects:
        row, exact[subject.key], top_share[subject.key] = _subject_row(
            subject, groups, rubric, rules, cells, totals, quorum_met
        )
        subject_rows.append(row)

    ranked = rank(subjects, exact, top_share)
    assigned = assign_levels(ranked, exact, rules)
    by_key = {row["key"]: row for row in subject_rows}
    for position, key in enumerate(ranked, start=1):
        by_key[key]["rank"] = position
    for row in subject_rows:
        row.setdefault("rank", None)
        row["level"] = assigned.get(row["key"])
        row["level_by_band"] = band_level(exact[row["key"]], rules)
        row["stars"] = stars(exact[row["key"]], row["has_project"], rules) if not row["not_rated"] else None
    return {
        "max_total": fmt(rubric.max_total),
        "satisfaction_floor": rules.satisfaction_floor,
        "groups": [_group_row(g, totals[g.key], quorum_met[g.key]) for g in groups],
        "subjects": sorted(subject_rows, key=lambda r: (r["rank"] is None, r["rank"] or 0)),
    }


def _is_satisfaction(scale: Scale, rules: Rules) -> bool:
    labels = {label for label, _pts in scale.levels}
    return bool(rules.satisfied_levels) and set(rules.satisfied_levels) <= labels


def rank(
    subjects: Sequence[SubjectIn], totals: Mapping[str, Fraction | None], top_share: Mapping[str, Fraction]
) -> list[str]:
    """Subjects with a total, best first: total, then share of top-level marks, then 姓氏笔画."""
    rated = [s for s in subjects if totals[s.key] is not None]
    rated.sort(key=lambda s: (-(totals[s.key] or 0), -top_share[s.key], s.sort_key, s.key))
    return [s.key for s in rated]


def band_level(total: Fraction | None, rules: Rules) -> str | None:
    if total is None:
        return None
    for minimum, level in rules.level_bands:
        if total >= fraction(minimum):
            return level
    return None


def assign_levels(
    ranked: Sequence[str], totals: Mapping[str, Fraction | None], rules: Rules
) -> dict[str, str]:
    """Band levels, then caps in rank order: once a level is full, the next subjects drop a level."""
    if not rules.level_bands:
        return {}
    order = [level for _, level in rules.level_bands]
    caps = {level: math.floor(fraction(share) * len(ranked)) for level, share in rules.level_caps}
    used: dict[str, int] = defaultdict(int)
    out: dict[str, str] = {}
    for key in ranked:
        level = band_level(totals[key], rules)
        if level is None:
            continue
        i = order.index(level)
        while order[i] in caps and used[order[i]] >= caps[order[i]] and i + 1 < len(order):
            i += 1
        out[key] = order[i]
        used[order[i]] += 1
    return out


def stars(total: Fraction | None, has_project: bool, rules: Rules) -> int | None:
    if total is None or not rules.star_bands:
        return None
    for minimum, star, needs_project in rules.star_bands:
        if total >= fraction(minimum) and (has_project or not needs_project):
            return star
    return 1


# --- reliability --------------------------------------------------------------------------------


def reliability(*, rubric: Rubric, rules: Rules, ballots: Sequence[BallotIn]) -> list[dict[str, Any]]:
    """Flags for the supervision group, by ballot (anonymous): far from the consensus, straight-lined."""
    sums: dict[tuple[str, str, str], list[Fraction]] = defaultdict(list)
    for b in ballots:
        for s, marks in b.content.items():
            for c in rubric.criteria:
                pts = c.scale.points(marks.get(c.key))
                if pts is not None:
                    sums[(b.group, s, c.key)].append(pts * 100 / c.scale.top)
    means = {k: sum(v, Fraction(0)) / len(v) for k, v in sums.items()}
    flags = []
    for b in ballots:
        gaps, values = [], []
        for s, marks in b.content.items():
            for c in rubric.criteria:
                pts = c.scale.points(marks.get(c.key))
                if pts is None:
                    continue
                values.append(marks.get(c.key))
                gaps.append(abs(pts * 100 / c.scale.top - means[(b.group, s, c.key)]))
        if gaps and sum(gaps, Fraction(0)) / len(gaps) >= rules.consensus_gap:
            gap = fmt(sum(gaps, Fraction(0)) / len(gaps))
            flags.append({"ballot": b.key, "group": b.group, "kind": "far", "gap": gap})
        if len(values) >= 3 and len({str(v) for v in values}) == 1:
            flags.append({"ballot": b.key, "group": b.group, "kind": "straight", "gap": None})
    return flags
