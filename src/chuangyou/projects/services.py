"""Writes to 创新项目: calls, the panel, proposals and their attachments, review and the decisions.

Each function checks the actor first, runs in one transaction and appends to the audit log. A
decision locks the call row before it reads what is already granted, so two grants made at once
can never spend more than the call's budget together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import BinaryIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import Change, change_for, record, record_many, snapshot
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.lib.uploads import clean_upload
from chuangyou.lib.validation import clean_text
from chuangyou.org.models import School, Staff, Student
from chuangyou.org.rules import Actor, require
from chuangyou.projects.models import (
    DECIDED,
    Attachment,
    Call,
    PanelMember,
    Proposal,
    Recusal,
    Status,
    TeamMember,
    Transition,
)
from chuangyou.projects.rules import (
    LEAD_MESSAGE,
    MANAGE_MESSAGE,
    PROPOSE_MESSAGE,
    can_manage_projects,
    can_propose,
    is_lead_of,
)

ATTACHMENT_TYPES = ("pdf", "doc", "docx", "xlsx", "jpg", "jpeg", "png")
RECUSAL_REASON = "指导教师回避"


def default_min_panel_size() -> int:
    return settings.PROJECTS_MIN_PANEL_SIZE


def max_attachments() -> int:
    return settings.PROJECTS_MAX_ATTACHMENTS


def max_team_size() -> int:
    """The lead and the members together."""
    return settings.PROJECTS_MAX_TEAM_SIZE


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, {field: [message]})


def _yuan(amount: Decimal, *, field: str, label: str, positive: bool = True) -> Decimal:
    value = Decimal(amount).quantize(Decimal("0.01"))
    if value < 0 or (positive and value == 0):
        raise _invalid(
            field,
            gettext("%(label)s须大于 0 元。") % {"label": label}
            if positive
            else gettext("%(label)s不能为负数。") % {"label": label},
        )
    return value


def _transition(actor: Actor, proposal: Proposal, old: str, reason: str = "") -> Transition:
    return Transition.objects.create(
        school_id=proposal.school_id,
        proposal=proposal,
        from_status=old,
        to_status=proposal.status,
        by=actor.user,
        by_label=actor.label[:120],
        reason=reason,
    )


def granted_total(call: Call) -> Decimal:
    total = Proposal.objects.filter(call=call, status=Status.FUNDED).aggregate(s=Sum("amount_granted"))["s"]
    return (total or Decimal(0)).quantize(Decimal("0.01"))


# --- calls -------------------------------------------------------------------------------------


def _call_fields(
    *,
    title: str,
    semester: str,
    opens_on: dt.date,
    closes_on: dt.date,
    budget: Decimal,
    per_project_cap: Decimal | None,
    rules: str,
    min_panel_size: int | None,
) -> dict[str, object]:
    if closes_on < opens_on:
        raise _invalid("closes_on", gettext("截止申报日期不能早于开始申报日期。"))
    size = default_min_panel_size() if min_panel_size is None else min_panel_size
    if size < 1:
        raise _invalid("min_panel_size", gettext("评审组至少要有 1 人。"))
    cap = (
        None
        if per_project_cap is None
        else _yuan(per_project_cap, field="per_project_cap", label=gettext("单项上限"))
    )
    money = _yuan(budget, field="budget", label=gettext("资助总额"), positive=False)
    if cap is not None and cap > money:
        raise _invalid("per_project_cap", gettext("单项资助上限不能超过资助总额。"))
    return {
        "title": clean_text(title, field="title", label=gettext("征集名称"), max_length=120),
        "semester": clean_text(semester, field="semester", label=gettext("学期"), max_length=40),
        "opens_on": opens_on,
        "closes_on": closes_on,
        "budget": money,
        "per_project_cap": cap,
        "rules": (rules or "").strip(),
        "min_panel_size": size,
    }


def create_call(
    *,
    actor: Actor,
    school: School,
    title: str,
    semester: str,
    opens_on: dt.date,
    closes_on: dt.date,
    budget: Decimal,
    per_project_cap: Decimal | None = None,
    rules: str = "",
    min_panel_size: int | None = None,
) -> Call:
    require(can_manage_projects(actor, school), MANAGE_MESSAGE)
    fields = _call_fields(
        title=title, semester=semester, opens_on=opens_on, closes_on=closes_on, budget=budget,
        per_project_cap=per_project_cap, rules=rules, min_panel_size=min_panel_size,
    )  # fmt: skip
    try:
        with transaction.atomic():
            call = Call.objects.create(school=school, **fields)
            record(actor, change_for("project_call.create", call, school_id=school.pk, after=snapshot(call)))
    except IntegrityError as exc:
        raise Conflict(
            gettext("%(fields)s已经有创新项目征集了：每学期评选一次。") % {"fields": fields["semester"]}
        ) from exc
    return call


def update_call(
    *,
    actor: Actor,
    call: Call,
    title: str,
    semester: str,
    opens_on: dt.date,
    closes_on: dt.date,
    budget: Decimal,
    per_project_cap: Decimal | None,
    rules: str,
    min_panel_size: int | None,
) -> Call:
    require(can_manage_projects(actor, call.school), MANAGE_MESSAGE)
    fields = _call_fields(
        title=title, semester=semester, opens_on=opens_on, closes_on=closes_on, budget=budget,
        per_project_cap=per_project_cap, rules=rules, min_panel_size=min_panel_size,
    )  # fmt: skip
    try:
        with transaction.atomic():
            locked = Call.objects.select_for_update().get(pk=call.pk)
            granted = granted_total(locked)
            if fields["budget"] < granted:  # type: ignore[operator]
                raise _invalid(
                    "budget", gettext("资助总额不能少于已批准的 %(granted)s 元。") % {"granted": granted}
                )
            before = snapshot(locked)
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.save(update_fields=list(fields))
            record(
                actor,
                change_for(
                    "project_call.update",
                    locked,
                    school_id=locked.school_id,
                    before=before,
                    after=snapshot(locked),
                ),
            )
    except IntegrityError as exc:
        raise Conflict(
            gettext("%(fields)s已经有创新项目征集了：每学期评选一次。") % {"fields": fields["semester"]}
        ) from exc
    return locked


def set_panel(*, actor: Actor, call: Call, members: Sequence[Staff]) -> list[PanelMember]:
    """Name the review panel (评审组). It is fixed once the review opens, so every proposal is
    read by the same people."""
    require(can_manage_projects(actor, call.school), MANAGE_MESSAGE)
    wanted = {m.pk: m for m in members}
    if any(m.school_id != call.school_id for m in wanted.values()):
        raise _invalid("members", gettext("评审组成员须是本校教职工。"))
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.review_opened_at is not None:
            raise Conflict(gettext("评审已经开始，评审组不能再调整。"))
        if len(wanted) < locked.min_panel_size:
            raise _invalid(
                "members",
                gettext("评审组至少需要 %(min_panel_size)s 人（现为 %(wanted_count)s 人）。")
                % {"min_panel_size": locked.min_panel_size, "wanted_count": len(wanted)},
            )
        current = {p.staff_id: p for p in PanelMember.objects.filter(call=locked)}
        removed = [p for staff_id, p in current.items() if staff_id not in wanted]
        added = [
            PanelMember(school_id=locked.school_id, call=locked, staff=staff)
            for staff_id, staff in wanted.items()
            if staff_id not in current
        ]
        changes: list[Change] = [
            change_for("project_panel.remove", p, school_id=locked.school_id, before=snapshot(p))
            for p in removed
        ]
        PanelMember.objects.filter(pk__in=[p.pk for p in removed]).delete()
        PanelMember.objects.bulk_create(added)
        changes += [
            change_for("project_panel.add", p, school_id=locked.school_id, after=snapshot(p)) for p in added
        ]
        record_many(actor, changes)
    return list(PanelMember.objects.filter(call=locked).select_related("staff"))


def open_review(*, actor: Actor, call: Call) -> list[Proposal]:
    """评审开始: submissions close, the submitted proposals go under review, the panel is fixed, and
    every panel member who advises a proposal is recused from it, on the record."""
    require(can_manage_projects(actor, call.school), MANAGE_MESSAGE)
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.review_opened_at is not None:
            raise Conflict(gettext("这次征集的评审已经开始了。"))
        panel = {p.staff_id for p in PanelMember.objects.filter(call=locked)}
        if len(panel) < locked.min_panel_size:
            raise Invalid(
                gettext("请先指定评审组：至少 %(min_panel_size)s 人（现为 %(panel_count)s 人）。")
                % {"min_panel_size": locked.min_panel_size, "panel_count": len(panel)}
            )
        before = snapshot(locked, ["review_opened_at"])
        locked.review_opened_at = timezone.now()
        locked.save(update_fields=["review_opened_at"])
        changes = [
            change_for(
                "project_call.open_review", locked, school_id=locked.school_id,
                before=before, after=snapshot(locked, ["review_opened_at"]),
            )
        ]  # fmt: skip
        proposals = list(Proposal.objects.select_for_update().filter(call=locked, status=Status.SUBMITTED))
        for proposal in proposals:
            proposal.status = Status.UNDER_REVIEW
            proposal.save(update_fields=["status"])
            _transition(actor, proposal, Status.SUBMITTED, "评审开始")
            changes.append(
                change_for(
                    "project.review", proposal, school_id=proposal.school_id,
                    before={"status": Status.SUBMITTED}, after={"status": Status.UNDER_REVIEW},
                )
            )  # fmt: skip
            if proposal.advisor_id in panel:
                recusal = Recusal.objects.create(
                    school_id=proposal.school_id, proposal=proposal, staff_id=proposal.advisor_id,
                    reason=RECUSAL_REASON,
                )  # fmt: skip
                changes.append(
                    change_for(
                        "project.recusal", recusal, school_id=proposal.school_id, after=snapshot(recusal)
                    )
                )
        record_many(actor, changes)
    return proposals


# --- proposals ---------------------------------------------------------------------------------


def _check_people(call: Call, *, lead_id: int, advisor: Staff, members: Sequence[Student]) -> list[Student]:
    if advisor.school_id != call.school_id:
        raise _invalid("advisor", gettext("指导教师须是本校教职工。"))
    team: dict[int, Student] = {}
    for student in members:
        if student.school_id != call.school_id:
            raise _invalid(
                "members", gettext("%(student_name)s不是本校学生。") % {"student_name": student.name}
            )
        if student.pk != lead_id:
            team[student.pk] = student
    if len(team) + 1 > max_team_size():
        raise _invalid(
            "members",
            gettext("一个项目最多 %(max_team_size)s 人（含负责人）。") % {"max_team_size": max_team_size()},
        )
    return list(team.values())


def _check_budget(call: Call, amount: Decimal) -> Decimal:
    value = _yuan(amount, field="budget_request", label=gettext("申请经费"))
    if call.per_project_cap is not None and value > call.per_project_cap:
        raise _invalid(
            "budget_request",
            gettext("申请经费不能超过本次征集的单项上限 %(per_project_cap)s 元。")
            % {"per_project_cap": call.per_project_cap},
        )
    return value


def _check_free(call: Call, student_ids: Sequence[int], *, except_proposal: int | None = None) -> None:
    """A student is on one project per call: name whoever already is, before the constraint does."""
    taken = TeamMember.objects.filter(call=call, student_id__in=student_ids).select_related("student")
    if except_proposal is not None:
        taken = taken.exclude(proposal_id=except_proposal)
    names = [t.student.name for t in taken]
    if names:
        raise _invalid(
            "members",
            gettext("%(items)s已在本次征集的另一个项目中，每人每学期只能参加一个项目。")
            % {"items": "、".join(names)},
        )


def _team_rows(proposal: Proposal, members: Sequence[Student]) -> list[TeamMember]:
    common = {"school_id": proposal.school_id, "call_id": proposal.call_id, "proposal": proposal}
    return [
        TeamMember(student_id=proposal.lead_id, is_lead=True, **common),
        *(TeamMember(student=s, is_lead=False, **common) for s in members),
    ]


def _proposal_after(proposal: Proposal) -> dict[str, object]:
    team = list(TeamMember.objects.filter(proposal=proposal).values_list("student_id", flat=True))
    return snapshot(proposal) | {"team": team}


TAKEN_MESSAGE = gettext_lazy("有同学已在本次征集的另一个项目中，每人每学期只能参加一个项目。")


def create_proposal(
    *,
    actor: Actor,
    call: Call,
    title: str,
    abstract: str,
    plan: str,
    budget_request: Decimal,
    advisor: Staff,
    members: Sequence[Student] = (),
    today: dt.date | None = None,
) -> Proposal:
    """A student's draft, with the student as its lead. The panel sees nothing until it is submitted."""
    require(can_propose(actor, call.school), PROPOSE_MESSAGE)
    assert actor.own_student_id is not None  # can_propose holds only for a student
    if not call.accepts_proposals(today or timezone.localdate()):
        raise Invalid(
            gettext("「%(call_title)s」现在不接受申报（申报时间 %(opens_on)s 至 %(closes_on)s）。")
            % {"call_title": call.title, "opens_on": call.opens_on, "closes_on": call.closes_on}
        )
    fields = {
        "title": clean_text(title, field="title", label=gettext("项目名称"), max_length=120),
        "abstract": clean_text(abstract, field="abstract", label=gettext("项目简介")),
        "plan": clean_text(plan, field="plan", label=gettext("实施计划")),
        "budget_request": _check_budget(call, budget_request),
    }
    team = _check_people(call, lead_id=actor.own_student_id, advisor=advisor, members=members)
    _check_free(call, [actor.own_student_id, *(s.pk for s in team)])
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                school_id=call.school_id, call=call, lead_id=actor.own_student_id, advisor=advisor, **fields
            )
            TeamMember.objects.bulk_create(_team_rows(proposal, team))
            _transition(actor, proposal, "")
            record(
                actor,
                change_for(
                    "project.create", proposal, school_id=call.school_id, after=_proposal_after(proposal)
                ),
            )
    except IntegrityError as exc:
        raise Conflict(TAKEN_MESSAGE) from exc
    return proposal


def _locked_draft(actor: Actor, proposal: Proposal) -> Proposal:
    require(is_lead_of(actor, proposal.lead_id), LEAD_MESSAGE)
    locked = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    if locked.status != Status.DRAFT:
        raise Conflict(gettext("项目已提交，内容已冻结，不能再修改（评审专家评的是提交时的版本）。"))
    return locked


def update_proposal(
    *,
    actor: Actor,
    proposal: Proposal,
    title: str,
    abstract: str,
    plan: str,
    budget_request: Decimal,
    advisor: Staff,
    members: Sequence[Student],
) -> Proposal:
    require(is_lead_of(actor, proposal.lead_id), LEAD_MESSAGE)
    call = proposal.call
    fields = {
        "title": clean_text(title, field="title", label=gettext("项目名称"), max_length=120),
        "abstract": clean_text(abstract, field="abstract", label=gettext("项目简介")),
        "plan": clean_text(plan, field="plan", label=gettext("实施计划")),
        "budget_request": _check_budget(call, budget_request),
        "advisor": advisor,
    }
    team = _check_people(call, lead_id=proposal.lead_id, advisor=advisor, members=members)
    _check_free(call, [s.pk for s in team], except_proposal=proposal.pk)
    try:
        with transaction.atomic():
            locked = _locked_draft(actor, proposal)
            before = _proposal_after(locked)
            for name, value in fields.items():
                setattr(locked, name, value)
            locked.save(update_fields=list(fields))
            TeamMember.objects.filter(proposal=locked, is_lead=False).delete()
            TeamMember.objects.bulk_create(_team_rows(locked, team)[1:])
            record(
                actor,
                change_for(
                    "project.update",
                    locked,
                    school_id=locked.school_id,
                    before=before,
                    after=_proposal_after(locked),
                ),
            )
    except IntegrityError as exc:
        raise Conflict(TAKEN_MESSAGE) from exc
    return locked


def delete_proposal(*, actor: Actor, proposal: Proposal) -> None:
    """A draft can be thrown away by its lead; a submitted proposal is part of the record."""
    with transaction.atomic():
        locked = _locked_draft(actor, proposal)
        record(
            actor,
            change_for("project.delete", locked, school_id=locked.school_id, before=_proposal_after(locked)),
        )
        locked.delete()


def submit_proposal(*, actor: Actor, proposal: Proposal, today: dt.date | None = None) -> Proposal:
    """草稿 → 已提交. From here the content is frozen: the panel scores what was submitted."""
    with transaction.atomic():
        locked = _locked_draft(actor, proposal)
        call = Call.objects.select_for_update().get(pk=locked.call_id)
        if not call.accepts_proposals(today or timezone.localdate()):
            raise Invalid(
                gettext("「%(call_title)s」已不接受提交（申报时间 %(opens_on)s 至 %(closes_on)s）。")
                % {"call_title": call.title, "opens_on": call.opens_on, "closes_on": call.closes_on}
            )
        locked.status = Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["status", "submitted_at"])
        _transition(actor, locked, Status.DRAFT, "申报人提交")
        record(
            actor,
            change_for(
                "project.submit", locked, school_id=locked.school_id,
                before={"status": Status.DRAFT}, after=snapshot(locked, ["status", "submitted_at"]),
            ),
        )  # fmt: skip
    return locked


# --- attachments -------------------------------------------------------------------------------


def add_attachment(*, actor: Actor, proposal: Proposal, name: str, data: BinaryIO) -> Attachment:
    require(is_lead_of(actor, proposal.lead_id), LEAD_MESSAGE)
    clean = clean_upload(name=name, data=data, allowed=ATTACHMENT_TYPES)
    with transaction.atomic():
        locked = _locked_draft(actor, proposal)
        if Attachment.objects.filter(proposal=locked).count() >= max_attachments():
            raise _invalid(
                "file",
                gettext("每个项目最多上传 %(max_attachments)s 个附件。")
                % {"max_attachments": max_attachments()},
            )
        attachment = Attachment(
            school_id=locked.school_id, proposal=locked, name=clean.name, size=len(clean.content)
        )
        attachment.file.save(clean.name, ContentFile(clean.content), save=False)
        attachment.save()
        record(
            actor,
            change_for(
                "project.attachment_add", attachment, school_id=locked.school_id, after=snapshot(attachment)
            ),
        )
    return attachment


def remove_attachment(*, actor: Actor, attachment: Attachment) -> None:
    """The file stays in storage, because the audit log names it."""
    with transaction.atomic():
        _locked_draft(actor, attachment.proposal)
        record(
            actor,
            change_for(
                "project.attachment_remove",
                attachment,
                school_id=attachment.school_id,
                before=snapshot(attachment),
            ),
        )
        Attachment.objects.filter(pk=attachment.pk).delete()


# --- the decision ------------------------------------------------------------------------------


def record_decision(
    *,
    actor: Actor,
    proposal: Proposal,
    funded: bool,
    amount: Decimal | None,
    reason: str,
    rank: int | None = None,
    total: Decimal | None = None,
) -> Proposal:
    """评审中 → 已立项资助 / 未获资助, with the panel's rank and total if known, and the basis (e.g. the
    meeting's minutes). The call row is locked first: the budget check and the grant are one step."""
    require(can_manage_projects(actor, proposal.school), MANAGE_MESSAGE)
    why = clean_text(reason, field="reason", label=gettext("决定依据（如评审会纪要）"), max_length=2000)
    if rank is not None and rank < 1:
        raise _invalid("rank", gettext("排名从 1 开始。"))
    if total is not None and not Decimal(0) <= total <= Decimal("99999.99"):
        raise _invalid("total", gettext("评审总分须在 0 至 99999.99 之间。"))
    if funded:
        if amount is None:
            raise _invalid("amount", gettext("请填写资助金额。"))
        amount = _yuan(amount, field="amount", label=gettext("资助金额"))
    elif amount is not None:
        raise _invalid("amount", gettext("未获资助的项目不能填写资助金额。"))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=proposal.call_id)
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status in DECIDED:
            raise Conflict(
                gettext("「%(locked_title)s」已有评审决定：%(get_status_display)s。")
                % {"locked_title": locked.title, "get_status_display": locked.get_status_display()}
            )
        if locked.status != Status.UNDER_REVIEW:
            raise Conflict(
                gettext("「%(locked_title)s」尚未进入评审，不能记录评审决定。")
                % {"locked_title": locked.title}
            )
        if amount is not None:
            if amount > locked.budget_request:
                raise _invalid(
                    "amount",
                    gettext("资助金额不能超过申请经费 %(budget_request)s 元。")
                    % {"budget_request": locked.budget_request},
                )
            remaining = call.budget - granted_total(call)
            if amount > remaining:
                raise _invalid(
                    "amount",
                    gettext("资助金额超出本次征集的剩余经费：剩余 %(remaining)s 元，拟资助 %(amount)s 元。")
                    % {"remaining": remaining, "amount": amount},
                )
        before = snapshot(locked, ["status", "amount_granted", "panel_rank", "panel_total", "decided_on"])
        old = locked.status
        locked.status = Status.FUNDED if funded else Status.NOT_FUNDED
        locked.amount_granted = amount
        locked.panel_rank = rank
        locked.panel_total = None if total is None else Decimal(total).quantize(Decimal("0.01"))
        locked.decided_on = timezone.localdate()
        locked.save(update_fields=["status", "amount_granted", "panel_rank", "panel_total", "decided_on"])
        _transition(actor, locked, old, why)
        after = snapshot(locked, ["status", "amount_granted", "panel_rank", "panel_total", "decided_on"])
        record(
            actor,
            change_for(
                "project.decide",
                locked,
                school_id=locked.school_id,
                before=before,
                after=after | {"reason": why},
            ),
        )
    return locked
