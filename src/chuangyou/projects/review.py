"""The seam between 创新项目 and the evaluation engine (`chuangyou.evaluations`).

The engine owns the rubric, the ballots and the count; this app owns the proposals, the panel, the
recusals and the money. The panel review is built here on the engine (`create_project_review`), and
its published ranking comes back through `record_project_outcomes` → `record_panel_outcome`. The
working group may instead record a review meeting's outcome by hand (the "评审决定" form on a
proposal's page), which calls the same `record_panel_outcome`, so both paths store the same facts with
the same checks.

The steps, in order, for one call (征集):

1. After the working group has opened the review (`services.open_review`, which moves every
   submitted proposal to "评审中" and records recusals):
   `review_subjects(call)` → one `ReviewSubject` per proposal under review. Build the evaluation's
   subjects (subject type "innovation project") from it, keyed by `proposal_id`.
2. `panel_raters(call)` → the panel's Staff ids: the raters of the evaluation's "panel" group.
   A rater in a subject's `recused_staff_ids` gets no ballot for that subject; the recusal is
   already on record here, so the engine only has to honour it (and may log it on its side).
3. When the count is published, for each subject in rank order:
   `record_panel_outcome(actor=<the publishing working-group member>, proposal=<Proposal>,
   rank=<1-based rank>, total=<weighted total>, decision="funded" | "not_funded",
   amount=<yuan granted, or None when not funded>, reason=<e.g. "评审会第 N 次会议结果">)`.
   It raises `NotAllowed` if the actor may not manage the school's projects, `Conflict` if the
   proposal is not under review or was already decided, and `Invalid` if the amount exceeds the
   request or the call's remaining budget (checked race-safely under a lock on the call).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db import transaction
from django.utils.translation import gettext

from chuangyou.audit.services import change_for, record
from chuangyou.evaluations import services as engine
from chuangyou.evaluations.models import Evaluation, GroupKind, Source, State, SubjectType, Use
from chuangyou.evaluations.rules import can_manage_evaluation
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.org.rules import Actor, require
from chuangyou.projects import services
from chuangyou.projects.models import Call, PanelMember, Proposal, Recusal, Status
from chuangyou.projects.selectors import budget_of

Decision = Literal["funded", "not_funded"]


@dataclass(frozen=True)
class ReviewSubject:
    proposal_id: int
    title: str
    advisor_staff_id: int
    team_student_ids: tuple[int, ...]  # the lead first
    recused_staff_ids: frozenset[int]


def review_subjects(call: Call) -> list[ReviewSubject]:
    """The proposals under review in `call`, with their advisors, teams and recused panel members.
    Three queries, whatever the number of proposals."""
    proposals = list(
        Proposal.objects.filter(call=call, status=Status.UNDER_REVIEW)
        .prefetch_related("team", "recusals")
        .order_by("pk")
    )
    return [
        ReviewSubject(
            proposal_id=p.pk,
            title=p.title,
            advisor_staff_id=p.advisor_id,
            team_student_ids=tuple(t.student_id for t in sorted(p.team.all(), key=lambda t: not t.is_lead)),
            recused_staff_ids=frozenset(r.staff_id for r in p.recusals.all()),
        )
        for p in proposals
    ]


def panel_raters(call: Call) -> list[int]:
    """The Staff ids of the call's panel, fixed once the review has opened."""
    return list(PanelMember.objects.filter(call=call).order_by("staff_id").values_list("staff_id", flat=True))


def recused(call: Call) -> set[tuple[int, int]]:
    """(proposal id, staff id) pairs that must not be scored."""
    return set(Recusal.objects.filter(proposal__call=call).values_list("proposal_id", "staff_id"))


def record_panel_outcome(
    *,
    actor: Actor,
    proposal: Proposal,
    rank: int | None,
    total: Decimal | None,
    decision: Decision,
    amount: Decimal | None,
    reason: str,
) -> Proposal:
    """Store the panel's rank, total and decision on `proposal` (评审中 → 已立项资助 / 未获资助)."""
    return services.record_decision(
        actor=actor,
        proposal=proposal,
        funded=decision == "funded",
        amount=amount,
        reason=reason,
        rank=rank,
        total=total,
    )


# --- the panel review on the evaluation engine -------------------------------------------------


def create_project_review(
    *, actor: Actor, call: Call, opens_at: dt.datetime, closes_at: dt.datetime
) -> Evaluation:
    """The 创新项目 panel review of one call: its proposals under review, rated by its panel, each
    advisor recused from their own project (recusals come from the projects app and are logged again
    here, with the voter roll, when voting opens)."""
    require(can_manage_evaluation(actor, call.school), engine.MANAGE_MESSAGE)
    if call.review_opened_at is None:
        raise Conflict(gettext("请先在创新项目中确定评审组并开始评审。"))
    proposals = review_subjects(call)
    if not proposals:
        raise Invalid(gettext("这次征集没有评审中的项目。"))
    users = engine.staff_user_ids(panel_raters(call))
    if not users:
        raise Invalid(gettext("评审组成员都还没有账号，无法在线评分。"))
    recused_users: dict[int, set[int]] = {}
    for proposal_id, staff_id in recused(call):
        if staff_id in users:
            recused_users.setdefault(proposal_id, set()).add(users[staff_id])
    with transaction.atomic():
        evaluation = engine.create_once(
            gettext("这次征集的评审评分已经建立。"),
            actor=actor,
            school=call.school,
            title=f"{call.title}·评审评分",
            subject_type=SubjectType.PROJECT,
            preset="project",
            opens_at=opens_at,
            closes_at=closes_at,
            use=Use.PROJECT_REVIEW,
            use_object_id=call.pk,
        )
        engine.add_subjects(
            actor=actor,
            evaluation=evaluation,
            specs=[
                engine.SubjectSpec(
                    SubjectType.PROJECT,
                    p.proposal_id,
                    p.title,
                    conflicted_user_ids=tuple(sorted(recused_users.get(p.proposal_id, ()))),
                )
                for p in proposals
            ],
        )
        engine.add_group(
            actor=actor,
            evaluation=evaluation,
            kind=GroupKind.PANEL,
            name="评审组",
            source=Source.LIST,
            user_ids=sorted(users.values()),
        )
    return evaluation


@dataclass(frozen=True)
class ProjectOutcome:
    """One proposal's line on the decision form: the count's rank and total, and a suggestion."""

    proposal: Proposal
    rank: int | None
    total: Decimal | None
    suggest_funded: bool
    suggest_amount: Decimal | None


def project_outcomes(evaluation: Evaluation) -> list[ProjectOutcome]:
    """The published ranking, with a funding suggestion: in rank order, each proposal gets its request
    (up to the per-project cap) while the call's remaining budget lasts. A person confirms."""
    if evaluation.use != Use.PROJECT_REVIEW or evaluation.result is None:
        return []
    call = Call.objects.get(pk=evaluation.use_object_id or 0)
    by_subject = {s.pk: s.object_id for s in evaluation.subjects.all()}
    proposals = Proposal.objects.in_bulk([pid for pid in by_subject.values() if pid is not None])
    remaining = budget_of(call).remaining
    rows = []
    for s in evaluation.result["subjects"]:  # rank order, unranked last
        proposal = proposals.get(by_subject.get(int(s["key"])) or 0)
        if proposal is None:
            continue
        ask = proposal.budget_request
        if call.per_project_cap is not None:
            ask = min(ask, call.per_project_cap)
        amount = min(ask, remaining) if s["rank"] is not None else Decimal(0)
        funded = amount > 0 and proposal.status == Status.UNDER_REVIEW
        if funded:
            remaining -= amount
        total = Decimal(s["total"]) if s["total"] is not None else None
        rows.append(ProjectOutcome(proposal, s["rank"], total, funded, amount if funded else None))
    return rows


@dataclass(frozen=True)
class ProjectDecision:
    proposal_id: int
    funded: bool
    amount: Decimal | None


def record_project_outcomes(
    *, actor: Actor, evaluation: Evaluation, decisions: Sequence[ProjectDecision], reason: str
) -> list[Proposal]:
    """Write each proposal's rank and total back to 创新项目 with the funding a person confirmed,
    through projects.review.record_panel_outcome (its checks: rights, status, request and budget)."""
    require(can_manage_evaluation(actor, evaluation.school), engine.MANAGE_MESSAGE)
    if evaluation.use != Use.PROJECT_REVIEW:
        raise Invalid(gettext("这项评议不是创新项目评审。"))
    if evaluation.state != State.PUBLISHED or evaluation.result is None:
        raise Conflict(gettext("评审结果公布后才能记录资助决定。"))
    lines = {o.proposal.pk: o for o in project_outcomes(evaluation)}
    why = (reason or "").strip() or f"{evaluation.title}（{evaluation.published_on}公布）"
    done = []
    with transaction.atomic():
        for d in decisions:
            line = lines.get(d.proposal_id)
            if line is None:
                raise Invalid(gettext("有不属于这次评审的项目。"))
            done.append(
                record_panel_outcome(
                    actor=actor,
                    proposal=line.proposal,
                    rank=line.rank,
                    total=line.total,
                    decision="funded" if d.funded else "not_funded",
                    amount=d.amount if d.funded else None,
                    reason=why,
                )
            )
        record(
            actor,
            change_for(
                "evaluation.project_outcomes",
                evaluation,
                school_id=evaluation.school_id,
                after={"proposals": [p.pk for p in done], "reason": why},
            ),
        )
    return done
