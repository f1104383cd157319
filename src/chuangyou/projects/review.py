"""The seam between 创新项目 and the evaluation engine (`chuangyou.evaluations`).

The engine owns the rubric, the ballots and the count; this app owns the proposals, the panel, the
recusals and the money. Until the engine's panel review exists, the working group records the review
meeting's outcome by hand (the "评审决定" form on a proposal's page), which calls the same
`record_panel_outcome` below, so both paths store the same facts with the same checks.

What the engine is expected to call, in this order, for one call (征集):

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

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from chuangyou.org.rules import Actor
from chuangyou.projects import services
from chuangyou.projects.models import Call, PanelMember, Proposal, Recusal, Status

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
