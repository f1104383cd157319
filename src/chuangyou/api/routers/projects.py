"""创新项目: calls, the panel, proposals and attachments, review and decisions. Same services and checks
as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

from typing import Any, BinaryIO, cast

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, school_or_404, staff_of_school
from chuangyou.api.schemas.projects import (
    AttachmentOut,
    CallIn,
    CallOut,
    CallPatch,
    FundingDecisionIn,
    PanelIn,
    PanelMemberOut,
    ProposalDetailOut,
    ProposalIn,
    ProposalOut,
    ProposalPatch,
    RecusalOut,
)
from chuangyou.lib.errors import Invalid, NotFound
from chuangyou.org.models import School, Staff, Student
from chuangyou.org.rules import Actor, require
from chuangyou.projects import selectors, services
from chuangyou.projects.models import Attachment, Call, Proposal
from chuangyou.projects.rules import READ_MESSAGE, can_read_all_projects, can_see_calls

router = Router(tags=["创新项目"])

CALLS = "/{code}/projects/calls"
PROPOSALS = "/{code}/projects/proposals"


# --- lookups -----------------------------------------------------------------------------------


def _call(request: HttpRequest, code: str, call_id: int) -> tuple[Call, Actor]:
    actor = actor_of(request)
    return selectors.call_for(actor, school_or_404(code), call_id), actor


def _proposal(request: HttpRequest, code: str, proposal_id: int) -> tuple[Proposal, Actor]:
    actor = actor_of(request)
    return selectors.proposal_for(actor, school_or_404(code), proposal_id), actor


def _staff(school: School, staff_id: int, field: str) -> Staff:
    return staff_of_school(school, staff_id, field=field, message=gettext("须是本校教职工。"))


def _students(school: School, numbers: list[str]) -> list[Student]:
    found = {s.student_no: s for s in Student.objects.filter(school=school, student_no__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        message = gettext("本校没有这些学号的学生：%(items)s") % {"items": "、".join(missing)}
        raise Invalid(message, {"member_student_nos": [message]})
    return [found[n] for n in dict.fromkeys(numbers)]


# --- calls -------------------------------------------------------------------------------------


@router.get(CALLS, response=list[CallOut], summary="创新项目征集列表")
@paginate(Pages, page_size=20)
def list_calls(request: HttpRequest, code: str) -> Any:
    school, actor = school_or_404(code), actor_of(request)
    require(can_see_calls(actor, school), READ_MESSAGE)
    return selectors.calls_visible_to(actor, school)


@router.post(CALLS, response={201: CallOut}, summary="发布征集（每学期一次）")
def create_call(request: HttpRequest, code: str, payload: CallIn) -> Status[Call]:
    school, actor = school_or_404(code), actor_of(request)
    return Status(201, services.create_call(actor=actor, school=school, **payload.dict()))


@router.get(CALLS + "/{call_id}", response=CallOut, summary="征集详情（含已资助与剩余经费）")
def get_call(request: HttpRequest, code: str, call_id: int) -> Call:
    return _call(request, code, call_id)[0]


@router.patch(CALLS + "/{call_id}", response=CallOut, summary="修改征集")
def update_call(request: HttpRequest, code: str, call_id: int, payload: CallPatch) -> Call:
    call, actor = _call(request, code, call_id)
    fields = (
        "title",
        "semester",
        "opens_on",
        "closes_on",
        "budget",
        "per_project_cap",
        "rules",
        "min_panel_size",
    )
    data = {f: getattr(call, f) for f in fields} | payload.dict(exclude_unset=True)
    return services.update_call(actor=actor, call=call, **data)


@router.get(CALLS + "/{call_id}/panel", response=list[PanelMemberOut], summary="评审组")
def get_panel(request: HttpRequest, code: str, call_id: int) -> Any:
    return selectors.panel_of(_call(request, code, call_id)[0])


@router.put(CALLS + "/{call_id}/panel", response=list[PanelMemberOut], summary="指定评审组（整体替换）")
def set_panel(request: HttpRequest, code: str, call_id: int, payload: PanelIn) -> Any:
    call, actor = _call(request, code, call_id)
    members = [_staff(call.school, pk, "staff_ids") for pk in payload.staff_ids]
    services.set_panel(actor=actor, call=call, members=members)
    return selectors.panel_of(call)


@router.post(
    CALLS + "/{call_id}/review", response=list[ProposalOut], summary="开始评审（停止申报，记录回避）"
)
def open_review(request: HttpRequest, code: str, call_id: int) -> Any:
    call, actor = _call(request, code, call_id)
    moved = services.open_review(actor=actor, call=call)
    return selectors.proposals_visible_to(actor, call.school).filter(pk__in=[p.pk for p in moved])


@router.get(CALLS + "/{call_id}/recusals", response=list[RecusalOut], summary="评审回避记录")
def list_recusals(request: HttpRequest, code: str, call_id: int) -> Any:
    call, actor = _call(request, code, call_id)
    require(
        can_read_all_projects(actor, call.school),
        gettext("只有本校管理员、三个小组成员和主管教育局可以查看回避记录。"),
    )
    return selectors.recusals_of(actor, call)


# --- proposals ---------------------------------------------------------------------------------


@router.get(PROPOSALS, response=list[ProposalOut], summary="创新项目（按可见范围，可筛选）")
@paginate(Pages, page_size=50)
def list_proposals(
    request: HttpRequest, code: str, call_id: int | None = None, status: str = "", q: str = ""
) -> Any:
    school, actor = school_or_404(code), actor_of(request)
    require(can_see_calls(actor, school), READ_MESSAGE)
    return selectors.proposals_visible_to(actor, school, call_id=call_id, status=status, query=q)


@router.post(
    CALLS + "/{call_id}/proposals", response={201: ProposalDetailOut}, summary="申报项目（保存为草稿）"
)
def create_proposal(request: HttpRequest, code: str, call_id: int, payload: ProposalIn) -> Status[Proposal]:
    call, actor = _call(request, code, call_id)
    proposal = services.create_proposal(
        actor=actor,
        call=call,
        title=payload.title,
        abstract=payload.abstract,
        plan=payload.plan,
        budget_request=payload.budget_request,
        advisor=_staff(call.school, payload.advisor_id, "advisor_id"),
        members=_students(call.school, payload.member_student_nos),
    )
    return Status(201, selectors.proposal_for(actor, call.school, proposal.pk))


@router.get(PROPOSALS + "/{proposal_id}", response=ProposalDetailOut, summary="项目详情")
def get_proposal(request: HttpRequest, code: str, proposal_id: int) -> Proposal:
    return _proposal(request, code, proposal_id)[0]


@router.patch(PROPOSALS + "/{proposal_id}", response=ProposalDetailOut, summary="修改草稿（提交后冻结）")
def update_proposal(request: HttpRequest, code: str, proposal_id: int, payload: ProposalPatch) -> Proposal:
    proposal, actor = _proposal(request, code, proposal_id)
    school = proposal.school
    data = payload.dict(exclude_unset=True)
    numbers = data.get("member_student_nos")
    services.update_proposal(
        actor=actor,
        proposal=proposal,
        title=data.get("title", proposal.title),
        abstract=data.get("abstract", proposal.abstract),
        plan=data.get("plan", proposal.plan),
        budget_request=data.get("budget_request", proposal.budget_request),
        advisor=_staff(school, data.get("advisor_id", proposal.advisor_id), "advisor_id"),
        members=(
            _students(school, numbers)
            if numbers is not None
            else [t.student for t in proposal.team.all() if not t.is_lead]
        ),
    )
    return selectors.proposal_for(actor, school, proposal.pk)


@router.delete(PROPOSALS + "/{proposal_id}", response={204: None}, summary="删除草稿")
def delete_proposal(request: HttpRequest, code: str, proposal_id: int) -> Status[None]:
    proposal, actor = _proposal(request, code, proposal_id)
    services.delete_proposal(actor=actor, proposal=proposal)
    return Status(204, None)


@router.post(PROPOSALS + "/{proposal_id}/submit", response=ProposalDetailOut, summary="提交申报（内容冻结）")
def submit_proposal(request: HttpRequest, code: str, proposal_id: int) -> Proposal:
    proposal, actor = _proposal(request, code, proposal_id)
    services.submit_proposal(actor=actor, proposal=proposal)
    return selectors.proposal_for(actor, proposal.school, proposal.pk)


@router.post(
    PROPOSALS + "/{proposal_id}/decision",
    response=ProposalDetailOut,
    summary="记录评审决定（立项资助/不予资助）",
)
def record_decision(
    request: HttpRequest, code: str, proposal_id: int, payload: FundingDecisionIn
) -> Proposal:
    proposal, actor = _proposal(request, code, proposal_id)
    services.record_decision(
        actor=actor,
        proposal=proposal,
        funded=payload.decision == "funded",
        amount=payload.amount,
        reason=payload.reason,
        rank=payload.rank,
        total=payload.total,
    )
    return selectors.proposal_for(actor, proposal.school, proposal.pk)


# --- attachments -------------------------------------------------------------------------------


def _attachment(proposal: Proposal, attachment_id: int) -> Attachment:
    found = Attachment.objects.select_related("proposal").filter(pk=attachment_id, proposal=proposal).first()
    if found is None:
        raise NotFound(gettext("这个项目没有这个附件。"))
    return found


@router.post(
    PROPOSALS + "/{proposal_id}/attachments", response={201: AttachmentOut}, summary="上传附件（草稿期间）"
)
def add_attachment(
    request: HttpRequest, code: str, proposal_id: int, file: File[UploadedFile]
) -> Status[Attachment]:
    proposal, actor = _proposal(request, code, proposal_id)
    # Django's UploadedFile reads like a binary file; its stubs just don't say so.
    data = cast(BinaryIO, file)
    attachment = services.add_attachment(actor=actor, proposal=proposal, name=file.name or "", data=data)
    return Status(201, attachment)


@router.get(PROPOSALS + "/{proposal_id}/attachments/{attachment_id}", response=None, summary="下载附件")
def download_attachment(
    request: HttpRequest, code: str, proposal_id: int, attachment_id: int
) -> FileResponse:
    proposal, _actor = _proposal(request, code, proposal_id)
    attachment = _attachment(proposal, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@router.delete(
    PROPOSALS + "/{proposal_id}/attachments/{attachment_id}", response={204: None}, summary="删除附件"
)
def remove_attachment(request: HttpRequest, code: str, proposal_id: int, attachment_id: int) -> Status[None]:
    proposal, actor = _proposal(request, code, proposal_id)
    services.remove_attachment(actor=actor, attachment=_attachment(proposal, attachment_id))
    return Status(204, None)
