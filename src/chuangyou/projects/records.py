"""创新项目 in the participation record (参与档案): see `chuangyou.records.lines` for the contract.

Students get a line for each project they lead or are on, staff for each project they advise.
Drafts are left out: a project counts once it is submitted. Two queries for any number of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from django.urls import reverse
from django.utils.translation import gettext

from chuangyou.projects.models import Proposal, Status, TeamMember
from chuangyou.records.lines import RecordLine

SECTION = "创新项目"


def _detail(role: str, proposal: Proposal) -> str:
    parts = [role, proposal.get_status_display()]
    if proposal.status == Status.FUNDED and proposal.amount_granted is not None:
        parts.append(gettext("资助 %(amount)s 元") % {"amount": proposal.amount_granted})
    return " · ".join(parts)


def _line(role: str, proposal: Proposal, school_code: str) -> RecordLine:
    submitted = proposal.submitted_at.date() if proposal.submitted_at else None
    return RecordLine(
        section=SECTION,
        on=proposal.decided_on or submitted,
        title=f"{proposal.title}（{proposal.call.semester}）",
        detail=_detail(role, proposal),
        url=reverse("projects:proposal", kwargs={"code": school_code, "proposal_id": proposal.pk}),
    )


def lines_for_students(student_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    lines: dict[int, list[RecordLine]] = defaultdict(list)
    seats = (
        TeamMember.objects.filter(student_id__in=list(student_ids))
        .exclude(proposal__status=Status.DRAFT)
        .select_related("proposal__call", "proposal__school")
        .order_by("proposal__submitted_at", "pk")
    )
    for seat in seats:
        role = gettext("负责人") if seat.is_lead else gettext("成员")
        lines[seat.student_id].append(_line(role, seat.proposal, seat.proposal.school.code))
    return dict(lines)


def lines_for_staff(staff_ids: Collection[int]) -> dict[int, list[RecordLine]]:
    lines: dict[int, list[RecordLine]] = defaultdict(list)
    proposals = (
        Proposal.objects.filter(advisor_id__in=list(staff_ids))
        .exclude(status=Status.DRAFT)
        .select_related("call", "school")
        .order_by("submitted_at", "pk")
    )
    for proposal in proposals:
        lines[proposal.advisor_id].append(_line(gettext("指导教师"), proposal, proposal.school.code))
    return dict(lines)
