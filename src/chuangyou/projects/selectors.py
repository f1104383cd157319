"""Reads of 创新项目, limited to what the actor may see.

Students see the proposals they are on, advisors the ones they advise, panel members the submitted
proposals of their calls (read-only until the review opens), and the office and the bureau all.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext

from chuangyou.lib.errors import NotAllowed, NotFound
from chuangyou.org.models import School, Staff
from chuangyou.org.rules import Actor, require
from chuangyou.projects.models import Call, PanelMember, Proposal, Recusal, Status, TeamMember
from chuangyou.projects.rules import READ_MESSAGE, can_read_all_projects, can_see_calls
from chuangyou.projects.services import granted_total


def calls_visible_to(actor: Actor, school: School) -> QuerySet[Call]:
    if not can_see_calls(actor, school):
        return Call.objects.none()
    return (
        Call.objects.filter(school=school)
        .annotate(
            submitted_count=Count("proposals", filter=~Q(proposals__status=Status.DRAFT)),
            granted=Sum("proposals__amount_granted", filter=Q(proposals__status=Status.FUNDED)),
        )
        .order_by("-opens_on", "-pk")
    )


def call_for(actor: Actor, school: School, call_id: int) -> Call:
    require(can_see_calls(actor, school), READ_MESSAGE)
    call = Call.objects.select_related("school").filter(school=school, pk=call_id).first()
    if call is None:
        raise NotFound(gettext("没有这次创新项目征集。"))
    return call


def panel_of(call: Call) -> QuerySet[PanelMember]:
    return PanelMember.objects.filter(call=call).select_related("staff").order_by("staff__name", "pk")


def panel_choices(school: School) -> QuerySet[Staff]:
    """Who may sit on a panel or advise a project: the school's staff. Their names are not secret."""
    return Staff.objects.filter(school=school).order_by("name", "staff_no")


@dataclass(frozen=True)
class Budget:
    total: Decimal
    granted: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.total - self.granted


def budget_of(call: Call) -> Budget:
    return Budget(total=call.budget, granted=granted_total(call))


def _visible(actor: Actor, school: School) -> Q | None:
    """The filter on Proposal for `actor` in `school`; None means every proposal of the school."""
    if can_read_all_projects(actor, school):
        return None
    if actor.user is None:
        return Q(pk__in=[])
    allowed = Q(advisor__user=actor.user)
    on_panel = PanelMember.objects.filter(call=OuterRef("call"), staff__user=actor.user)
    allowed |= Q(Exists(on_panel)) & ~Q(status=Status.DRAFT)
    if actor.own_student_id is not None:
        on_team = TeamMember.objects.filter(proposal=OuterRef("pk"), student_id=actor.own_student_id)
        allowed |= Q(Exists(on_team))
    return allowed


def proposals_visible_to(
    actor: Actor,
    school: School,
    *,
    call_id: int | None = None,
    status: str = "",
    query: str = "",
) -> QuerySet[Proposal]:
    """The list, filtered by call, status and a word in the title or a team member's name. Team
    members are prefetched, so a page costs the same queries however many rows it shows."""
    if not can_see_calls(actor, school):
        return Proposal.objects.none()
    rows = Proposal.objects.filter(school=school)
    visible = _visible(actor, school)
    if visible is not None:
        rows = rows.filter(visible)
    if call_id is not None:
        rows = rows.filter(call_id=call_id)
    if status in Status.values:
        rows = rows.filter(status=status)
    if query.strip():
        word = query.strip()
        named = TeamMember.objects.filter(proposal=OuterRef("pk"), student__name__contains=word)
        rows = rows.filter(Q(title__contains=word) | Exists(named))
    team = TeamMember.objects.select_related("student__school_class__grade").order_by(
        "-is_lead", "student__student_no"
    )
    return (
        rows.select_related("call", "advisor", "lead__school_class__grade")
        .prefetch_related(Prefetch("team", queryset=team))
        .order_by("-created_at", "-pk")
    )


def proposal_for(actor: Actor, school: School, proposal_id: int) -> Proposal:
    """One proposal with its team, attachments, history and recusals. 404 if the school has no such
    proposal, 403 if it has one the actor may not see."""
    found = (
        proposals_visible_to(actor, school)
        .filter(pk=proposal_id)
        .prefetch_related(
            "attachments",
            "transitions",
            Prefetch("recusals", queryset=Recusal.objects.select_related("staff")),
        )
    )
    proposal = found.select_related("school", "call__school").first()
    if proposal is None:
        if Proposal.objects.filter(school=school, pk=proposal_id).exists():
            raise NotAllowed(gettext("您无权查看这个创新项目。"))
        raise NotFound(gettext("没有这个创新项目。"))
    return proposal


def recusals_of(actor: Actor, call: Call) -> QuerySet[Recusal]:
    """Who was kept out of which proposal: for the office, the supervision group and the bureau."""
    if not can_read_all_projects(actor, call.school):
        return Recusal.objects.none()
    return (
        Recusal.objects.filter(proposal__call=call)
        .select_related("proposal", "staff")
        .order_by("proposal__title", "staff__name")
    )


def is_on_panel(actor: Actor, call: Call) -> bool:
    return actor.user is not None and PanelMember.objects.filter(call=call, staff__user=actor.user).exists()
