"""A published result explained, for pages and the API alike: names attached to each group and
criterion (the step-by-step explanation), and 对标定位 (one subject's criteria beside an exemplar's)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from chuangyou.evaluations import counting
from chuangyou.evaluations.models import Evaluation, State
from chuangyou.evaluations.rules import can_read_whole_result
from chuangyou.lib.errors import NotFound
from chuangyou.org.rules import Actor, require


def explain(evaluation: Evaluation, result: dict[str, Any]) -> dict[str, Any]:
    """The result with names attached, for the step-by-step explanation."""
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    titles = {c.key: c.title for c in rubric.criteria}
    group_names = {g["key"]: g["name"] for g in result["groups"]}
    subjects = []
    for s in result["subjects"]:
        parts = []
        for part in s["groups"]:
            parts.append(
                part
                | {
                    "name": group_names.get(part["group"], ""),
                    "criteria": [c | {"title": titles.get(c["key"], c["key"])} for c in part["criteria"]],
                }
            )
        subjects.append(s | {"groups": parts})
    return {
        "groups": result["groups"],
        "subjects": subjects,
        "max_total": result["max_total"],
        "satisfaction_floor": result.get("satisfaction_floor"),
        "rules": counting.rules_from_json(evaluation.rules),
        "criteria": rubric.criteria,
    }


def criterion_profile(result: dict[str, Any], subject_key: str) -> dict[str, Fraction]:
    """A subject's score per criterion: the group-weighted mean over the groups that counted."""
    weights = {g["key"]: Fraction(g["weight"]) for g in result["groups"]}
    subject = next(s for s in result["subjects"] if s["key"] == subject_key)
    sums: dict[str, Fraction] = {}
    total_weight: dict[str, Fraction] = {}
    for part in subject["groups"]:
        if not part["counted"]:
            continue
        for c in part["criteria"]:
            if c["used"] is not None:
                w = weights[part["group"]]
                sums[c["key"]] = sums.get(c["key"], Fraction(0)) + w * Fraction(c["used"])
                total_weight[c["key"]] = total_weight.get(c["key"], Fraction(0)) + w
    return {k: sums[k] / total_weight[k] for k in sums if total_weight[k]}


def benchmark_rows(
    evaluation: Evaluation, result: dict[str, Any], subject_key: str, exemplar_key: str | None
) -> dict[str, Any]:
    ranked = [s for s in result["subjects"] if s["rank"] is not None]
    keys = {s["key"] for s in result["subjects"]}
    if subject_key not in keys:
        raise NotFound(_("没有这个评议对象。"))
    exemplar: str = subject_key
    if exemplar_key in keys:
        exemplar = str(exemplar_key)
    elif ranked:
        exemplar = ranked[0]["key"]
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    mine, best = criterion_profile(result, subject_key), criterion_profile(result, exemplar)
    rows = []
    for c in rubric.criteria:
        a, b = mine.get(c.key), best.get(c.key)
        gap = b - a if a is not None and b is not None else None
        rows.append(
            {"title": c.title, "mine": counting.fmt(a), "best": counting.fmt(b), "gap": counting.fmt(gap)}
        )
    names = {s["key"]: s["name"] for s in result["subjects"]}
    return {
        "subject": names[subject_key],
        "exemplar": names[exemplar],
        "exemplar_key": exemplar,
        "rows": rows,
        "gaps": sorted(
            (r for r in rows if r["gap"] and Decimal(r["gap"]) > 0), key=lambda r: -Decimal(r["gap"])
        ),
        "choices": [(s["key"], s["name"]) for s in result["subjects"]],
    }


def benchmark_for(
    actor: Actor, evaluation: Evaluation, subject_key: str, exemplar_key: str | None
) -> dict[str, Any]:
    """对标定位 for someone who may read the whole published result (pages and API share this rule)."""
    if evaluation.state != State.PUBLISHED or evaluation.result is None:
        raise NotFound(_("评议结果公布后才能对标定位。"))
    require(
        can_read_whole_result(actor, evaluation),
        _("这项评议的结果只向%(who)s公布。") % {"who": evaluation.get_visibility_display()},
    )
    return benchmark_rows(evaluation, evaluation.result, subject_key, exemplar_key)
