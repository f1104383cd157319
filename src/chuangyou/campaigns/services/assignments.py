"""分工: who does what by when in which phase, marked done or reopened."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.campaigns.models import (
    Assignment,
    Campaign,
    Phase,
)
from chuangyou.campaigns.services.shared import (
    _require_manage,
)
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.lib.validation import clean_text
from chuangyou.org.models import Staff
from chuangyou.org.rules import Actor

# --- 分工 --------------------------------------------------------------------------------------


def _check_assignment_refs(campaign: Campaign, owner: Staff, phase: Phase | None) -> None:
    if owner.school_id != campaign.school_id:
        raise Invalid(gettext("负责人须是本校教职工。"), {"owner": [gettext("负责人须是本校教职工。")]})
    if phase is not None and phase.campaign_id != campaign.pk:
        raise Invalid(
            gettext("所选阶段不属于这个活动方案。"), {"phase": [gettext("所选阶段不属于这个活动方案。")]}
        )


def create_assignment(
    *,
    actor: Actor,
    campaign: Campaign,
    title: str,
    owner: Staff,
    deadline: dt.date,
    phase: Phase | None = None,
    description: str = "",
) -> Assignment:
    _require_manage(actor, campaign.school)
    title = clean_text(title, field="title", label=gettext("任务"), max_length=120)
    _check_assignment_refs(campaign, owner, phase)
    with transaction.atomic():
        assignment = Assignment.objects.create(
            school_id=campaign.school_id,
            campaign=campaign,
            phase=phase,
            title=title,
            description=description.strip(),
            owner=owner,
            deadline=deadline,
        )
        record(
            actor,
            change_for(
                "assignment.create", assignment, school_id=campaign.school_id, after=snapshot(assignment)
            ),
        )
    return assignment


def update_assignment(
    *,
    actor: Actor,
    assignment: Assignment,
    title: str,
    owner: Staff,
    deadline: dt.date,
    phase: Phase | None,
    description: str,
) -> Assignment:
    _require_manage(actor, assignment.school)
    title = clean_text(title, field="title", label=gettext("任务"), max_length=120)
    _check_assignment_refs(assignment.campaign, owner, phase)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        before = snapshot(locked)
        locked.title, locked.owner, locked.deadline = title, owner, deadline
        locked.phase, locked.description = phase, description.strip()
        locked.save(update_fields=["title", "owner", "deadline", "phase", "description"])
        record(
            actor,
            change_for(
                "assignment.update", locked, school_id=locked.school_id, before=before, after=snapshot(locked)
            ),
        )
    return locked


def complete_assignment(*, actor: Actor, assignment: Assignment, on: dt.date | None = None) -> Assignment:
    """Mark a task done (today by default). A second click is refused, not recorded twice."""
    _require_manage(actor, assignment.school)
    day = on or timezone.localdate()
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.done_on is not None:
            raise Conflict(
                gettext("「%(locked_title)s」已于 %(done_on)s 标记完成。")
                % {"locked_title": locked.title, "done_on": format(locked.done_on, "%Y-%m-%d")}
            )
        before = snapshot(locked, ["done_on"])
        locked.done_on = day
        locked.save(update_fields=["done_on"])
        record(
            actor,
            change_for(
                "assignment.done",
                locked,
                school_id=locked.school_id,
                before=before,
                after=snapshot(locked, ["done_on"]),
            ),
        )
    return locked


def reopen_assignment(*, actor: Actor, assignment: Assignment) -> Assignment:
    _require_manage(actor, assignment.school)
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.done_on is None:
            raise Conflict(
                gettext("「%(locked_title)s」尚未完成，无需重新打开。") % {"locked_title": locked.title}
            )
        before = snapshot(locked, ["done_on"])
        locked.done_on = None
        locked.save(update_fields=["done_on"])
        record(
            actor,
            change_for(
                "assignment.reopen",
                locked,
                school_id=locked.school_id,
                before=before,
                after=snapshot(locked, ["done_on"]),
            ),
        )
    return locked


def delete_assignment(*, actor: Actor, assignment: Assignment) -> None:
    _require_manage(actor, assignment.school)
    with transaction.atomic():
        record(
            actor,
            change_for(
                "assignment.delete", assignment, school_id=assignment.school_id, before=snapshot(assignment)
            ),
        )
        Assignment.objects.filter(pk=assignment.pk).delete()
