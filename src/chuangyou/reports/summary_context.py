"""The fields the 总结 template may print, from a campaign's figures and details.

Each figure comes twice: as a number the template compares with its thresholds (`students_pct`, 0
when there is nothing to count) and as text to print (`students_share`, "暂无数据" when there is
nothing to count). Names (classes, tasks, owners, awards, branches, projects) are joined with "、"
as a person lists them. No sentence is written here: the wording is the template's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from chuangyou.reports.details import Details, Overdue
from chuangyou.reports.figures import ClassLine, SchoolFacts
from chuangyou.reports.summary import day, num, pct, yuan

ORDINALS = "零一二三四五六七八九十"


def school_year(start: dt.date | None, end: dt.date | None, year: int) -> str:
    """ "2026—2027学年" for a plan that runs across the new year, else "2026年度"."""
    if start is not None and end is not None and start.year != end.year:
        return f"{start.year}—{end.year}学年"
    return f"{year}年度"


def rate(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


def summary_context(
    f: SchoolFacts, *, theme: str = "", goals: str = "", principles: str = "", details: Details | None = None
) -> dict[str, Any]:
    """Everything the template may print. Keys are the template's field names."""
    d = details or Details([], [], [], [], [], None)
    return {
        "nth": list(ORDINALS) + [str(n) for n in range(11, 40)],
        **_plan(f, theme),
        "goals": goals.strip(),
        "principles": principles.strip(),
        "held": "、".join(
            f"{h.title}（{h.on.month}月{h.on.day}日，{h.person_times}人次参加，{h.in_charge}负责）"
            for h in d.held
        ),
        **_participation(f),
        **_practice(f),
        **_service_and_commitments(f, d),
        **_evaluations(f),
        **_honors(f, d),
        **_comparison(f, d.previous),
        "classes": [_class_row(line) for line in f.classes],
    }


def _plan(f: SchoolFacts, theme: str) -> dict[str, Any]:
    return {
        "school": f.school_name,
        "year": f.year,
        "school_year": school_year(f.start, f.end, f.year),
        "campaign_title": f.title,
        "theme": theme,
        "as_of": day(f.as_of.date()),
        "start": day(f.start),
        "end": day(f.end),
        "phase_count": len(f.phases),
        "phases": [
            {"name": p.name, "start": day(p.starts_on), "end": day(p.ends_on), "work": p.description.strip()}
            for p in f.phases
        ],
        "current_phase": f.current_phase or "",
        "phases_done": f.phases_done,
        "all_phases_done": bool(f.phases) and f.phases_done == len(f.phases),
        "tasks_total": f.assignments.total,
        "tasks_done": f.assignments.done,
        "tasks_overdue": f.assignments.overdue,
        "tasks_done_pct": rate(_share(f.assignments.done, f.assignments.total)),
    }


def _participation(f: SchoolFacts) -> dict[str, Any]:
    a = f.activities
    with_students = [c for c in f.classes if c.students]
    return {
        "activities_published": a.published,
        "activities_held": a.held,
        "activity_kinds": "、".join(f"{k.label}{k.count}项" for k in a.by_kind),
        "students_total": a.students.whole,
        "students_taking_part": a.students.part,
        "students_pct": rate(a.students.percent),
        "students_share": pct(a.students.percent),
        "staff_total": a.staff.whole,
        "staff_taking_part": a.staff.part,
        "staff_pct": rate(a.staff.percent),
        "staff_share": pct(a.staff.percent),
        "person_times": a.person_times,
        "awards": a.awards,
        "photos": a.photos,
        "class_top": _extreme(with_students, lambda c: c.participation, max),
        "class_low": _extreme(with_students, lambda c: c.participation, min),
    }


def _practice(f: SchoolFacts) -> dict[str, Any]:
    p = f.practice
    given = [c for c in f.classes if c.practice_expected]
    return {
        "practice_sets": p.sets,
        "practice_expected": p.expected,
        "practice_submitted": p.submitted,
        "practice_on_time": p.on_time,
        "practice_completion": pct(p.completion),
        "practice_on_time_rate": pct(p.on_time_rate),
        "completion_pct": rate(p.completion),
        "on_time_pct": rate(p.on_time_rate),
        "on_time_top": _extreme(given, lambda c: c.on_time, max),
        "on_time_low": _extreme(given, lambda c: c.on_time, min),
    }


def _service_and_commitments(f: SchoolFacts, d: Details) -> dict[str, Any]:
    v, c = f.volunteering, f.commitments
    return {
        "volunteer_hours": num(v.hours),
        "volunteer_hours_num": float(v.hours),
        "volunteer_claims": v.claims,
        "volunteer_students": v.students,
        "volunteer_staff": v.staff,
        "commitments": c.commitments,
        "commitment_items": c.items,
        "commitments_fulfilled": c.fulfilled,
        "commitments_not_fulfilled": c.not_fulfilled,
        "commitments_pending": c.pending,
        "commitments_overdue": c.overdue,
        "commitments_filed": c.filed,
        "fulfilment_pct": rate(c.fulfilment_rate),
        "fulfilment_rate": pct(c.fulfilment_rate),
        "overdue_tasks": _overdue(d.overdue_tasks),
        "overdue_items": _overdue(d.overdue_items),
    }


def _evaluations(f: SchoolFacts) -> dict[str, Any]:
    e = f.evaluations
    return {
        "evaluations_held": e.held,
        "evaluations_published": e.published,
        "turnout_pct": rate(e.turnout),
        "turnout": pct(e.turnout),
        "evaluation_turnouts": "、".join(f"“{line.title}”参评率{pct(line.turnout)}" for line in e.lines),
        "lowest_turnout_pct": min((rate(line.turnout) for line in e.lines), default=0.0),
        "branches_rated": e.branches_rated,
        "stars": "、".join(f"{s.stars}星级{s.count}个" for s in e.stars if s.count),
        "five_star": "、".join(e.five_star),
    }


def _honors(f: SchoolFacts, d: Details) -> dict[str, Any]:
    h = f.honors
    return {
        "nominations": h.nominations,
        "honors_total": h.total,
        "honors_by_type": "、".join(f"{t.name}{t.count}人" for t in h.by_type),
        "prize_due": yuan(h.prize_money),
        "prize_paid": yuan(h.prize_paid),
        "prize_unpaid": yuan(h.prize_money - h.prize_paid),
        "prize_due_num": float(h.prize_money),
        "prize_paid_num": float(h.prize_paid),
        "prizes": "、".join(f"{p.activity}{p.award}{p.count}人次" for p in d.prizes),
        "projects": "、".join(f"《{p.title}》（{yuan(p.amount)}）" for p in d.projects),
        "project_count": len(d.projects),
        "budget_planned": yuan(f.budget.planned),
        "budget_planned_num": float(f.budget.planned),
        "budget_granted": yuan(f.budget.granted),
    }


def _comparison(f: SchoolFacts, before: SchoolFacts | None) -> dict[str, Any]:
    """The previous campaign's figures beside this one's, and which way each moved (None: nothing
    to compare for that figure)."""
    if before is None:
        return {"prev": None, "trend": {}}
    pairs: dict[str, tuple[Decimal | int | None, Decimal | int | None]] = {
        "students": (before.activities.students.percent, f.activities.students.percent),
        "on_time": (before.practice.on_time_rate, f.practice.on_time_rate),
        "hours": (before.volunteering.hours, f.volunteering.hours),
        "honors": (before.honors.total, f.honors.total),
    }
    trend = {
        key: None if old is None or new is None else ("up" if new > old else "down" if new < old else "same")
        for key, (old, new) in pairs.items()
    }
    prev = {
        "label": school_year(before.start, before.end, before.year),
        "students_share": pct(before.activities.students.percent),
        "on_time_rate": pct(before.practice.on_time_rate),
        "hours": num(before.volunteering.hours),
        "hours_num": float(before.volunteering.hours),
        "honors_total": before.honors.total,
    }
    return {"prev": prev, "trend": trend}


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole else None


def _extreme(
    lines: Sequence[ClassLine], value: Callable[[ClassLine], Decimal | None], pick: Callable[..., Any]
) -> dict[str, str] | None:
    """The class or classes with the highest (pick=max) or lowest rate; None unless at least two
    classes have a rate and they differ, since one class is neither top nor bottom."""
    rated = [(line, v) for line in lines if (v := value(line)) is not None]
    values = {v for _line, v in rated}
    if len(rated) < 2 or len(values) < 2:
        return None
    best = pick(values)
    names = [line.name for line, v in rated if v == best]
    return {"names": "、".join(names[:3]) + ("等" if len(names) > 3 else ""), "share": pct(best)}


def _overdue(rows: list[Overdue]) -> str:
    return "、".join(f"“{r.what}”（{r.owner}负责，{day(r.deadline)}到期）" for r in rows)


def _class_row(line: ClassLine) -> dict[str, str]:
    return {
        "name": line.name,
        "students": num(line.students),
        "taking_part": num(line.taking_part),
        "participation": pct(line.participation),
        "on_time": pct(line.on_time),
        "hours": num(line.hours),
    }
