"""The campaign (活动方案) and its dated phases (阶段): created with the default phases, edited, reordered."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.campaigns.models import (
    DEFAULT_PHASES,
    Campaign,
    Phase,
)
from chuangyou.campaigns.services.shared import (
    DEFAULT_PHASE_SHARES,
    MIN_DAYS_FOR_REST_OF_YEAR,
    _require_manage,
)
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.lib.validation import clean_text
from chuangyou.org.models import School
from chuangyou.org.rules import Actor

# --- the campaign ------------------------------------------------------------------------------


def plausible_window(year: int) -> tuple[dt.date, dt.date]:
    """Where a plan for `year` may put its phases: a school year may start the autumn before and
    run into the next summer, so from 1 September of the year before to 31 August of the next."""
    return dt.date(year - 1, 9, 1), dt.date(year + 1, 8, 31)


def max_span_days() -> int:
    return settings.CAMPAIGN_MAX_SPAN_DAYS


def default_phase_dates(year: int, *, today: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The four default phases, back to back over the year. A plan made during its own year starts
    today, so no phase begins in the past, unless too little of the year is left to share."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if year == today.year and (end - today).days >= MIN_DAYS_FOR_REST_OF_YEAR:
        start = today
    total = (end - start).days + 1
    phases = []
    cursor = start
    for name, share in zip(DEFAULT_PHASES, DEFAULT_PHASE_SHARES, strict=False):
        length = max(1, round(total * share))
        phases.append((name, cursor, cursor + dt.timedelta(days=length - 1)))
        cursor += dt.timedelta(days=length)
    phases.append((DEFAULT_PHASES[-1], cursor, end))
    return phases


# Past plans are kept as records (the demo's 2012 plan); a plan is drafted at most two years ahead.
FIRST_PLAN_YEAR = 2000


def _check_year(year: int, today: dt.date) -> None:
    if not FIRST_PLAN_YEAR <= year <= today.year + 2:
        message = gettext("年度须在 %(FIRST_PLAN_YEAR)s 至 %(value)s 之间。") % {
            "FIRST_PLAN_YEAR": FIRST_PLAN_YEAR,
            "value": today.year + 2,
        }
        raise Invalid(message, {"year": [message]})


def create_campaign(
    *,
    actor: Actor,
    school: School,
    year: int,
    title: str,
    theme: str,
    goals: str = "",
    principles: str = "",
    is_public: bool = True,
    today: dt.date | None = None,
) -> Campaign:
    """A school's plan for one year, seeded with the default phases over that year."""
    _require_manage(actor, school)
    day = today or timezone.localdate()
    _check_year(year, day)
    title = clean_text(title, field="title", label=gettext("方案名称"), max_length=120)
    theme = clean_text(theme, field="theme", label=gettext("主题"), max_length=200)
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                school=school,
                year=year,
                title=title,
                theme=theme,
                goals=goals.strip(),
                principles=principles.strip(),
                is_public=is_public,
            )
            phases = [
                Phase(school=school, campaign=campaign, order=i, name=name, starts_on=s, ends_on=e)
                for i, (name, s, e) in enumerate(default_phase_dates(year, today=day), start=1)
            ]
            Phase.objects.bulk_create(phases)
            after = snapshot(campaign) | {"phases": [_phase_fact(p) for p in phases]}
            record(actor, change_for("campaign.create", campaign, school_id=school.pk, after=after))
    except IntegrityError as exc:
        message = gettext("%(year)s 年度的活动方案已经存在。") % {"year": year}
        raise Conflict(message) from exc
    return campaign


def update_campaign(
    *,
    actor: Actor,
    campaign: Campaign,
    title: str,
    theme: str,
    goals: str,
    principles: str,
    is_public: bool,
) -> Campaign:
    _require_manage(actor, campaign.school)
    title = clean_text(title, field="title", label=gettext("方案名称"), max_length=120)
    theme = clean_text(theme, field="theme", label=gettext("主题"), max_length=200)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = snapshot(locked)
        locked.title, locked.theme = title, theme
        locked.goals, locked.principles = goals.strip(), principles.strip()
        locked.is_public = is_public
        locked.save(update_fields=["title", "theme", "goals", "principles", "is_public"])
        record(
            actor,
            change_for(
                "campaign.update",
                locked,
                school_id=locked.school_id,
                before=before,
                after=snapshot(locked),
            ),
        )
    return locked


def delete_campaign(*, actor: Actor, campaign: Campaign) -> None:
    """Remove a plan made by mistake, with its phases, 分工 and resources (all kept in the audit log)."""
    _require_manage(actor, campaign.school)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = snapshot(locked) | {
            "phases": [_phase_fact(p) for p in locked.phases.all()],
            "assignments": [snapshot(a) for a in locked.assignments.all()],
            "resources": [snapshot(r) for r in locked.resources.all()],
        }
        record(actor, change_for("campaign.delete", locked, school_id=locked.school_id, before=before))
        locked.delete()


# --- phases ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhasePlan:
    """A phase's place and dates, as the checks see them before anything is saved."""

    pk: int | None
    name: str
    starts_on: dt.date
    ends_on: dt.date


def _phase_fact(phase: Phase) -> dict[str, object]:
    return {"name": phase.name, "starts_on": str(phase.starts_on), "ends_on": str(phase.ends_on)}


def _check_dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        message = gettext("结束日期不能早于开始日期。")
        raise Invalid(message, {"ends_on": [message]})


def check_phase_plan(year: int, plan: list[PhasePlan]) -> None:
    """The phases, in their order, must each end on or after they start, follow one another
    without overlapping, and lie inside the year's plausible window and span."""
    first_day, last_day = plausible_window(year)
    for phase in plan:
        _check_dates(phase.starts_on, phase.ends_on)
        if phase.starts_on < first_day or phase.ends_on > last_day:
            message = gettext(
                "「%(phase_name)s」的日期须在 %(first_day)s 至 %(last_day)s 之间"
                "（%(year)s 年度活动的合理范围）。"
            ) % {
                "phase_name": phase.name,
                "first_day": format(first_day, "%Y-%m-%d"),
                "last_day": format(last_day, "%Y-%m-%d"),
                "year": year,
            }
            raise Invalid(message, {"starts_on": [message]})
    for earlier, later in itertools.pairwise(plan):
        if later.starts_on <= earlier.ends_on:
            message = gettext(
                "「%(later_name)s」须在「%(earlier_name)s」结束（%(ends_on)s）之后开始，阶段不能重叠，也不能颠倒顺序。"
            ) % {
                "later_name": later.name,
                "earlier_name": earlier.name,
                "ends_on": format(earlier.ends_on, "%Y-%m-%d"),
            }
            raise Invalid(message, {"starts_on": [message]})
    if plan:
        span = (plan[-1].ends_on - plan[0].starts_on).days + 1
        if span > max_span_days():
            message = gettext(
                "整个活动从第一阶段开始到最后阶段结束不能超过 %(max_span_days)s 天（现为 %(span)s 天）。"
            ) % {"max_span_days": max_span_days(), "span": span}
            raise Invalid(message, {"ends_on": [message]})


def _locked_phases(campaign: Campaign) -> tuple[Campaign, list[Phase]]:
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    return locked, list(Phase.objects.filter(campaign=locked).order_by("order"))


def _renumber(phases: list[Phase]) -> None:
    """Store `phases` as 1..n in list order. Orders are unique per campaign, so the rows first move
    out of the way (above every current number), then take their places."""
    if not phases:
        return
    offset = max(p.order for p in phases) + len(phases) + 1
    for i, phase in enumerate(phases):
        phase.order = offset + i
    Phase.objects.bulk_update(phases, ["order"])
    for i, phase in enumerate(phases, start=1):
        phase.order = i
    Phase.objects.bulk_update(phases, ["order"])


def add_phase(
    *,
    actor: Actor,
    campaign: Campaign,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str = "",
) -> Phase:
    """A new phase, placed among the others by its start date."""
    _require_manage(actor, campaign.school)
    name = clean_text(name, field="name", label=gettext("阶段名称"), max_length=60)
    _check_dates(starts_on, ends_on)
    with transaction.atomic():
        locked, phases = _locked_phases(campaign)
        new = Phase(
            school_id=locked.school_id,
            campaign=locked,
            order=0,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description.strip(),
        )
        position = sum(1 for p in phases if p.starts_on <= starts_on)
        ordered = [*phases[:position], new, *phases[position:]]
        check_phase_plan(locked.year, [PhasePlan(p.pk, p.name, p.starts_on, p.ends_on) for p in ordered])
        new.order = max((p.order for p in phases), default=0) + 1
        new.save()
        _renumber(ordered)
        record(actor, change_for("phase.create", new, school_id=locked.school_id, after=snapshot(new)))
    return new


def update_phase(
    *,
    actor: Actor,
    phase: Phase,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str,
) -> Phase:
    """Rename, re-date or describe a phase. It keeps its place; the dates must still fit it."""
    _require_manage(actor, phase.school)
    name = clean_text(name, field="name", label=gettext("阶段名称"), max_length=60)
    _check_dates(starts_on, ends_on)
    with transaction.atomic():
        locked, phases = _locked_phases(phase.campaign)
        current = next(p for p in phases if p.pk == phase.pk)
        before = snapshot(current)
        current.name, current.starts_on, current.ends_on = name, starts_on, ends_on
        current.description = description.strip()
        check_phase_plan(locked.year, [PhasePlan(p.pk, p.name, p.starts_on, p.ends_on) for p in phases])
        current.save(update_fields=["name", "starts_on", "ends_on", "description"])
        record(
            actor,
            change_for(
                "phase.update", current, school_id=locked.school_id, before=before, after=snapshot(current)
            ),
        )
    return current


def delete_phase(*, actor: Actor, phase: Phase) -> None:
    """Remove a phase; its tasks stay, without a phase. A plan keeps at least one phase."""
    _require_manage(actor, phase.school)
    with transaction.atomic():
        locked, phases = _locked_phases(phase.campaign)
        if len(phases) <= 1:
            raise Invalid(gettext("活动方案至少要保留一个阶段。"))
        current = next(p for p in phases if p.pk == phase.pk)
        remaining = [p for p in phases if p.pk != phase.pk]
        record(
            actor,
            change_for("phase.delete", current, school_id=locked.school_id, before=snapshot(current)),
        )
        current.delete()
        _renumber(remaining)


def move_phase(*, actor: Actor, phase: Phase, direction: Literal["up", "down"]) -> Phase:
    """Swap a phase with its neighbour. The dates belong to the time slots, so the two phases trade
    their dates too: moving 对标定位 up means doing it in the earlier slot, and the plan stays in order."""
    _require_manage(actor, phase.school)
    with transaction.atomic():
        locked, phases = _locked_phases(phase.campaign)
        index = next(i for i, p in enumerate(phases) if p.pk == phase.pk)
        other_index = index - 1 if direction == "up" else index + 1
        if not 0 <= other_index < len(phases):
            raise Invalid(
                gettext("这个阶段已经在最前面了。")
                if direction == "up"
                else gettext("这个阶段已经在最后面了。")
            )
        current, other = phases[index], phases[other_index]
        before = {"moved": _phase_fact(current), "swapped_with": _phase_fact(other)}
        current.starts_on, other.starts_on = other.starts_on, current.starts_on
        current.ends_on, other.ends_on = other.ends_on, current.ends_on
        phases[index], phases[other_index] = other, current
        check_phase_plan(locked.year, [PhasePlan(p.pk, p.name, p.starts_on, p.ends_on) for p in phases])
        Phase.objects.bulk_update([current, other], ["starts_on", "ends_on"])
        _renumber(phases)
        after = {"moved": _phase_fact(current), "swapped_with": _phase_fact(other)}
        record(
            actor, change_for("phase.move", current, school_id=locked.school_id, before=before, after=after)
        )
    return current
