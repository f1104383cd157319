"""Eligibility gates: each gate kind is a small function that returns pass/fail and a Chinese reason.

A gate is data (`Gate.kind` + `Gate.params`), so a school reads the rules before anyone is nominated
and the system checks them the same way on the page, in the API and at every level.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext

from chuangyou.nominations.models import AwardType, Gate, GateKind, Objection, ObjectionStatus
from chuangyou.volunteering.models import Claim, ClaimStatus


@dataclass(frozen=True)
class Nominee:
    kind: str
    student_id: int | None = None
    staff_id: int | None = None


@dataclass(frozen=True)
class GateResult:
    gate: str  # the gate's description
    passed: bool
    explanation: str


def person_filter(nominee: Nominee, prefix: str = "") -> dict[str, int | None]:
    if nominee.student_id is not None:
        return {f"{prefix}student_id": nominee.student_id}
    return {f"{prefix}staff_id": nominee.staff_id}


def _min_volunteer_hours(
    params: dict[str, Any], award: AwardType, nominee: Nominee, year: int
) -> tuple[bool, str]:
    need = Decimal(str(params.get("hours", 0)))
    got = Claim.objects.filter(**person_filter(nominee), status=ClaimStatus.APPROVED).aggregate(
        s=Sum("hours")
    )["s"] or Decimal(0)
    text = gettext("已认证志愿服务 %(got)s 小时，要求不少于 %(need)s 小时。") % {
        "got": format(got, "g"),
        "need": format(need, "g"),
    }
    return got >= need, text


def _no_upheld_objection(
    params: dict[str, Any], award: AwardType, nominee: Nominee, year: int
) -> tuple[bool, str]:
    years = int(params.get("years", 3))
    upheld = Objection.objects.filter(
        **person_filter(nominee, "nomination__"),
        outcome=ObjectionStatus.UPHELD,
        nomination__campaign__year__gt=year - years,
    ).exists()
    if upheld:
        return False, gettext("近 %(years)s 年内有经核实成立的异议。") % {"years": years}
    return True, gettext("近 %(years)s 年内无成立的异议。") % {"years": years}


Check = Callable[[dict[str, Any], AwardType, Nominee, int], tuple[bool, str]]

# Gate kinds → their checks. The two that read honors already won are registered by the honors app
# (honors/gates.py, at start-up): honors builds on nominations, so nominations must not import it.
CHECKS: dict[str, Check] = {
    GateKind.MIN_VOLUNTEER_HOURS: _min_volunteer_hours,
    GateKind.NO_UPHELD_OBJECTION: _no_upheld_objection,
}


def register(kind: str) -> Callable[[Check], Check]:
    """Make `check` the rule for gates of `kind`."""

    def add(check: Check) -> Check:
        CHECKS[kind] = check
        return check

    return add


def evaluate(
    award: AwardType, nominee: Nominee, year: int, gates: list[Gate] | None = None
) -> list[GateResult]:
    return [
        GateResult(g.get_kind_display(), *CHECKS[g.kind](g.params, award, nominee, year))
        for g in (gates if gates is not None else list(award.gates.all()))
    ]


def failures(results: list[GateResult]) -> str | None:
    failed = [r.explanation for r in results if not r.passed]
    return gettext("不符合评选条件：") + "".join(failed) if failed else None
