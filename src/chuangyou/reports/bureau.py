"""The bureau's view across its schools: the figures side by side, a sortable ranking, 对标定位
against the exemplar, and the bureau's 总结 with a per-school table and totals."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from docx import Document as new_docx

from chuangyou.campaigns.models import Campaign
from chuangyou.evaluations.models import Evaluation, State, SubjectType
from chuangyou.lib import gbt9704
from chuangyou.org.models import Bureau
from chuangyou.reports.facts import facts_for
from chuangyou.reports.figures import SchoolFacts, percent
from chuangyou.reports.summary import day, num, pct, yuan
from chuangyou.reports.summary_context import school_year


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # the Chinese msgid (marked with gettext_noop); read it through .title
    value: Callable[[SchoolFacts], Decimal | int | None]

    @property
    def title(self) -> str:
        return gettext(self.label)


COLUMNS: tuple[Column, ...] = (
    Column("phases", gettext_noop("已完成阶段"), lambda f: f.phases_done),
    Column("students", gettext_noop("学生参与率（%）"), lambda f: f.activities.students.percent),
    Column("activities", gettext_noop("已举办活动"), lambda f: f.activities.held),
    Column("on_time", gettext_noop("一练按时率（%）"), lambda f: f.practice.on_time_rate),
    Column("hours", gettext_noop("志愿时长"), lambda f: f.volunteering.hours),
    Column("filed", gettext_noop("承诺备案"), lambda f: f.commitments.filed),
    Column("fulfilled", gettext_noop("承诺兑现率（%）"), lambda f: f.commitments.fulfilment_rate),
    Column("turnout", gettext_noop("评议参评率（%）"), lambda f: f.evaluations.turnout),
    Column("five_star", gettext_noop("五星支部"), lambda f: f.evaluations.stars[0].count),
    Column("honors", gettext_noop("表彰人次"), lambda f: f.honors.total),
    Column("prizes", gettext_noop("奖金（元）"), lambda f: f.honors.prize_money),
    Column("budget", gettext_noop("经费预算（元）"), lambda f: f.budget.planned),
)
COLUMN_KEYS = {c.key for c in COLUMNS}


def ranking(facts: Sequence[SchoolFacts], sort: str) -> list[SchoolFacts]:
    """Schools by one column, highest first; a school with nothing to count goes last."""
    column = next((c for c in COLUMNS if c.key == sort), None)
    if column is None:
        return sorted(facts, key=lambda f: f.school_name)
    with_value = [f for f in facts if column.value(f) is not None]
    without = [f for f in facts if column.value(f) is None]
    return sorted(with_value, key=lambda f: Decimal(column.value(f) or 0), reverse=True) + without


@dataclass(frozen=True)
class Benchmark:
    """对标定位: a school's mean mark per criterion of its branch evaluations beside the exemplar's."""

    criteria: list[str]
    school: list[Decimal | None]
    exemplar: list[Decimal | None]
    exemplar_name: str


def criterion_means(campaigns: Sequence[Campaign]) -> dict[int, dict[str, Decimal]]:
    """Per school, the mean of each criterion's counted marks over its published branch evaluations."""
    marks: dict[int, dict[str, list[Fraction]]] = defaultdict(lambda: defaultdict(list))
    spans = {c.school_id: c.span() for c in campaigns}
    rows = Evaluation.objects.filter(
        school_id__in=list(spans), state=State.PUBLISHED, subject_type=SubjectType.BRANCH
    ).values_list("school_id", "opens_at", "result")
    for school_id, opens_at, result in rows:
        span = spans[school_id]
        if span is not None and not (span[0] <= opens_at.date() <= span[1]):
            continue
        for subject in (result or {}).get("subjects", []):
            for group in subject.get("groups", []):
                if not group.get("counted"):
                    continue
                for criterion in group.get("criteria", []):
                    if criterion.get("used") is not None:
                        marks[school_id][criterion["key"]].append(Fraction(criterion["used"]))
    return {
        school_id: {
            key: Decimal(float(sum(values) / len(values))).quantize(Decimal("0.1"))
            for key, values in by_key.items()
        }
        for school_id, by_key in marks.items()
    }


def benchmark(
    facts: Sequence[SchoolFacts], means: dict[int, dict[str, Decimal]], school_id: int
) -> Benchmark | None:
    """The exemplar is the school with the highest mean over all criteria (the bureau may pick another)."""
    if not means:
        return None
    exemplar_id = max(means, key=lambda s: sum(means[s].values()) / len(means[s]))
    names = {f.school_id: f.school_name for f in facts}
    keys = sorted({k for by_key in means.values() for k in by_key}, key=lambda k: (len(k), k))
    own = means.get(school_id, {})
    return Benchmark(
        criteria=keys,
        school=[own.get(k) for k in keys],
        exemplar=[means[exemplar_id].get(k) for k in keys],
        exemplar_name=names.get(exemplar_id, ""),
    )


def bureau_facts(bureau: Bureau, year: int) -> list[SchoolFacts]:
    campaigns = list(
        Campaign.objects.filter(school__bureau=bureau, year=year)
        .select_related("school")
        .prefetch_related("phases")
        .order_by("school__code")
    )
    return list(facts_for(campaigns).values())


@dataclass(frozen=True)
class BureauTotals:
    schools: int
    students: int
    taking_part: int
    expected: int
    on_time: int
    items: int
    fulfilled: int
    entitled: int
    returned: int
    hours: Decimal
    prize_due: Decimal
    prize_paid: Decimal

    @classmethod
    def of(cls, facts: Sequence[SchoolFacts]) -> BureauTotals:
        return cls(
            schools=len(facts),
            students=sum(f.activities.students.whole for f in facts),
            taking_part=sum(f.activities.students.part for f in facts),
            expected=sum(f.practice.expected for f in facts),
            on_time=sum(f.practice.on_time for f in facts),
            items=sum(f.commitments.items for f in facts),
            fulfilled=sum(f.commitments.fulfilled for f in facts),
            entitled=sum(f.evaluations.entitled for f in facts),
            returned=sum(f.evaluations.returned for f in facts),
            hours=sum((f.volunteering.hours for f in facts), Decimal(0)),
            prize_due=sum((f.honors.prize_money for f in facts), Decimal("0.00")),
            prize_paid=sum((f.honors.prize_paid for f in facts), Decimal("0.00")),
        )


def bureau_summary_docx(bureau: Bureau, year: int, *, as_of: dt.datetime | None = None) -> bytes:
    """The bureau's 总结 in GB/T 9704 layout: the totals in prose, then one row per school (header
    repeated on each page, rows never split), the problems, and the 落款."""
    now = as_of or timezone.now()
    facts = bureau_facts(bureau, year)
    totals = BureauTotals.of(facts)
    starts = [f.start for f in facts if f.start]
    ends = [f.end for f in facts if f.end]
    label = school_year(min(starts) if starts else None, max(ends) if ends else None, year)
    doc = new_docx()
    gbt9704.setup(doc)
    gbt9704.title(doc, f"{bureau.name}{label}教育系统创先争优活动总结")
    _bureau_prose(doc, facts, totals, label)
    _school_table(doc, facts, totals)
    _bureau_problems(doc, facts)
    gbt9704.signature(doc, bureau.name)
    gbt9704.signature(doc, day(timezone.localdate(now)))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _bureau_prose(doc: Any, facts: Sequence[SchoolFacts], t: BureauTotals, label: str) -> None:
    gbt9704.heading(doc, "一、基本情况")
    gbt9704.body(
        doc, f"{label}，全系统{t.schools}所学校制定并实施了创先争优活动方案，共有学生{t.students}名。"
    )
    gbt9704.heading(doc, "二、主要做法")
    held = sum(f.activities.held for f in facts)
    sets = sum(f.practice.sets for f in facts)
    declared = sum(f.commitments.commitments for f in facts)
    filed = sum(f.commitments.filed for f in facts)
    evaluations = sum(f.evaluations.held for f in facts)
    gbt9704.body(
        doc,
        f"各校共举办活动{held}项，布置每周一练{sets}套，公开承诺{declared}份，"
        f"向我局申报备案{filed}份，开展民主评议{evaluations}次。",
    )
    gbt9704.heading(doc, "三、取得的成效")
    rated = [f for f in facts if f.activities.students.percent is not None]
    best = max(rated, key=lambda f: f.activities.students.percent or 0, default=None)
    prizes = f"应发奖金{yuan(t.prize_due)}，已发{yuan(t.prize_paid)}；" if t.prize_due else ""
    gbt9704.body(
        doc,
        f"学生参加活动{t.taking_part}人，占{pct(percent(t.taking_part, t.students))}"
        + (f"，参与率最高的是{best.school_name}（{pct(best.activities.students.percent)}）" if best else "")
        + f"；每周一练按时完成率{pct(percent(t.on_time, t.expected))}；志愿服务{num(t.hours)}小时；"
        f"承诺事项{t.items}条，兑现{t.fulfilled}条，兑现率{pct(percent(t.fulfilled, t.items))}；"
        f"评议参评率{pct(percent(t.returned, t.entitled))}；"
        f"推荐先进{sum(f.honors.nominations for f in facts)}人次，"
        f"表彰{sum(f.honors.total for f in facts)}人次；{prizes}各校情况见下表。",
    )


def _school_table(doc: Any, facts: Sequence[SchoolFacts], t: BureauTotals) -> None:
    headers = ("学校", "学生参与率", "已举办活动", "一练按时率", "志愿时长", "承诺兑现率", "评议参评率")
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].text = text
    rows = [
        (
            f.school_name,
            pct(f.activities.students.percent),
            num(f.activities.held),
            pct(f.practice.on_time_rate),
            num(f.volunteering.hours),
            pct(f.commitments.fulfilment_rate),
            pct(f.evaluations.turnout),
        )
        for f in facts
    ]
    rows.append(
        (
            "合计",
            pct(percent(t.taking_part, t.students)),
            num(sum(f.activities.held for f in facts)),
            pct(percent(t.on_time, t.expected)),
            num(t.hours),
            pct(percent(t.fulfilled, t.items)),
            pct(percent(t.returned, t.entitled)),
        )
    )
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.paragraphs[0].text = text
    gbt9704.table_layout(table, doc)


def _bureau_problems(doc: Any, facts: Sequence[SchoolFacts]) -> None:
    gbt9704.heading(doc, "四、存在的问题和下一步打算")
    overdue = sum(f.assignments.overdue for f in facts)
    late_items = sum(f.commitments.overdue for f in facts)
    rated = [f for f in facts if f.activities.students.percent is not None]
    low = min(rated, key=lambda f: f.activities.students.percent or 0, default=None)
    problems = []
    if overdue or late_items:
        problems.append(f"各校仍有{overdue}项分工任务、{late_items}条承诺事项逾期未完成")
    if low is not None and len(rated) > 1:
        problems.append(f"{low.school_name}学生参与率最低（{pct(low.activities.students.percent)}）")
    if problems:
        gbt9704.body(doc, "；".join(problems) + "。下一步，我局将逐校督办，推广先进学校的做法。")
    else:
        gbt9704.body(doc, "下一步，我局将总结推广先进学校的做法，推动创先争优活动常态化、长效化。")


def chart_data(bench: Benchmark | None, school_name: str) -> dict[str, Any] | None:
    if bench is None:
        return None
    return {
        "criteria": bench.criteria,
        "series": [
            {"name": school_name, "values": [float(v) if v is not None else None for v in bench.school]},
            {
                "name": gettext("标杆：%(name)s") % {"name": bench.exemplar_name},
                "values": [float(v) if v is not None else None for v in bench.exemplar],
            },
        ],
    }
