"""The campaign plan: campaigns, phases, 分工 and resources. Same services and checks as the pages.

No `from __future__ import annotations` here: django-ninja reads the Literal query parameter's
annotation at runtime.
"""

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, school_or_404, staff_of_school
from chuangyou.api.schemas.campaigns import (
    AssignmentIn,
    AssignmentOut,
    AssignmentPatch,
    CampaignDetailOut,
    CampaignIn,
    CampaignOut,
    CampaignPatch,
    DoneIn,
    MoveIn,
    PhaseIn,
    PhaseOut,
    PhasePatch,
    ResourceIn,
    ResourceOut,
    ResourcePatch,
)
from chuangyou.campaigns import selectors, services
from chuangyou.campaigns.models import Assignment, Campaign, Phase, ResourceLine
from chuangyou.lib.errors import Invalid, NotFound
from chuangyou.org.models import School, Staff
from chuangyou.org.rules import Actor, can_read_school, require

router = Router(tags=["活动方案"])

PLAN = "/{code}/campaigns/{year}"


# --- lookups -----------------------------------------------------------------------------------


def _plan(request: HttpRequest, code: str, year: int) -> tuple[Campaign, Actor]:
    """The plan, for a reader of the school; writes are checked again inside the services."""
    actor = actor_of(request)
    return selectors.campaign_for(actor, school_or_404(code), year), actor


def _phase(campaign: Campaign, phase_id: int) -> Phase:
    phase = Phase.objects.select_related("campaign", "school").filter(pk=phase_id, campaign=campaign).first()
    if phase is None:
        raise NotFound(gettext("这个活动方案没有这个阶段。"))
    return phase


def _assignment(campaign: Campaign, assignment_id: int) -> Assignment:
    found = (
        Assignment.objects.select_related("owner", "phase", "school", "campaign")
        .filter(pk=assignment_id, campaign=campaign)
        .first()
    )
    if found is None:
        raise NotFound(gettext("这个活动方案没有这项任务。"))
    return found


def _resource(campaign: Campaign, line_id: int) -> ResourceLine:
    line = ResourceLine.objects.select_related("school").filter(pk=line_id, campaign=campaign).first()
    if line is None:
        raise NotFound(gettext("这个活动方案没有这一项资源。"))
    return line


def _owner(school: School, owner_id: int) -> Staff:
    return staff_of_school(school, owner_id, field="owner_id", message=gettext("负责人须是本校教职工。"))


def _phase_or_none(campaign: Campaign, phase_id: int | None) -> Phase | None:
    if phase_id is None:
        return None
    phase = Phase.objects.filter(pk=phase_id, campaign=campaign).first()
    if phase is None:
        raise Invalid(
            gettext("所选阶段不属于这个活动方案。"), {"phase_id": [gettext("所选阶段不属于这个活动方案。")]}
        )
    return phase


def _merged(patch: Schema, current: dict[str, Any]) -> dict[str, Any]:
    """A PATCH body over the current values: fields left out keep theirs."""
    return current | patch.dict(exclude_unset=True)


# --- campaigns ---------------------------------------------------------------------------------


@router.get("/{code}/campaigns", response=list[CampaignOut], summary="活动方案列表")
def list_campaigns(request: HttpRequest, code: str) -> object:
    school, actor = school_or_404(code), actor_of(request)
    require(can_read_school(actor, school), selectors.READ_MESSAGE)
    return selectors.campaigns_visible_to(actor, school)


@router.post(
    "/{code}/campaigns", response={201: CampaignDetailOut}, summary="新建活动方案（自动生成默认阶段）"
)
def create_campaign(request: HttpRequest, code: str, payload: CampaignIn) -> Status[Campaign]:
    school, actor = school_or_404(code), actor_of(request)
    campaign = services.create_campaign(actor=actor, school=school, **payload.dict())
    return Status(201, selectors.campaign_for(actor, school, campaign.year))


@router.get(PLAN, response=CampaignDetailOut, summary="活动方案详情")
def get_campaign(request: HttpRequest, code: str, year: int) -> Campaign:
    return _plan(request, code, year)[0]


@router.patch(PLAN, response=CampaignDetailOut, summary="修改活动方案")
def update_campaign(request: HttpRequest, code: str, year: int, payload: CampaignPatch) -> Campaign:
    campaign, actor = _plan(request, code, year)
    current = {
        "title": campaign.title,
        "theme": campaign.theme,
        "goals": campaign.goals,
        "principles": campaign.principles,
        "is_public": campaign.is_public,
    }
    services.update_campaign(actor=actor, campaign=campaign, **_merged(payload, current))
    return selectors.campaign_for(actor, campaign.school, year)


@router.delete(PLAN, response={204: None}, summary="删除活动方案")
def delete_campaign(request: HttpRequest, code: str, year: int) -> Status[None]:
    campaign, actor = _plan(request, code, year)
    services.delete_campaign(actor=actor, campaign=campaign)
    return Status(204, None)


# --- phases ------------------------------------------------------------------------------------


@router.get(PLAN + "/phases", response=list[PhaseOut], summary="阶段列表")
def list_phases(request: HttpRequest, code: str, year: int) -> list[Phase]:
    return list(_plan(request, code, year)[0].phases.all())


@router.post(PLAN + "/phases", response={201: PhaseOut}, summary="添加阶段（按开始日期排入）")
def add_phase(request: HttpRequest, code: str, year: int, payload: PhaseIn) -> Status[Phase]:
    campaign, actor = _plan(request, code, year)
    phase = services.add_phase(actor=actor, campaign=campaign, **payload.dict())
    return Status(201, Phase.objects.get(pk=phase.pk))


@router.patch(PLAN + "/phases/{phase_id}", response=PhaseOut, summary="修改阶段")
def update_phase(request: HttpRequest, code: str, year: int, phase_id: int, payload: PhasePatch) -> Phase:
    campaign, actor = _plan(request, code, year)
    phase = _phase(campaign, phase_id)
    current = {
        "name": phase.name,
        "starts_on": phase.starts_on,
        "ends_on": phase.ends_on,
        "description": phase.description,
    }
    return services.update_phase(actor=actor, phase=phase, **_merged(payload, current))


@router.post(PLAN + "/phases/{phase_id}/move", response=list[PhaseOut], summary="阶段上移/下移（对调时段）")
def move_phase(request: HttpRequest, code: str, year: int, phase_id: int, payload: MoveIn) -> list[Phase]:
    campaign, actor = _plan(request, code, year)
    services.move_phase(actor=actor, phase=_phase(campaign, phase_id), direction=payload.direction)
    return list(Phase.objects.filter(campaign=campaign).order_by("order"))


@router.delete(PLAN + "/phases/{phase_id}", response={204: None}, summary="删除阶段")
def delete_phase(request: HttpRequest, code: str, year: int, phase_id: int) -> Status[None]:
    campaign, actor = _plan(request, code, year)
    services.delete_phase(actor=actor, phase=_phase(campaign, phase_id))
    return Status(204, None)


# --- 分工 --------------------------------------------------------------------------------------


@router.get(PLAN + "/assignments", response=list[AssignmentOut], summary="分工任务（可按状态筛选）")
@paginate(Pages, page_size=50)
def list_assignments(
    request: HttpRequest, code: str, year: int, status: Literal["all", "open", "overdue", "done"] = "all"
) -> object:
    campaign = _plan(request, code, year)[0]
    return selectors.assignments_of(campaign, status=status, today=timezone.localdate())


@router.get(PLAN + "/assignments/overdue", response=list[AssignmentOut], summary="逾期任务")
def overdue_assignments(request: HttpRequest, code: str, year: int) -> object:
    campaign = _plan(request, code, year)[0]
    return selectors.assignments_of(campaign, status="overdue", today=timezone.localdate())


@router.post(PLAN + "/assignments", response={201: AssignmentOut}, summary="添加任务")
def create_assignment(
    request: HttpRequest, code: str, year: int, payload: AssignmentIn
) -> Status[Assignment]:
    campaign, actor = _plan(request, code, year)
    assignment = services.create_assignment(
        actor=actor,
        campaign=campaign,
        title=payload.title,
        owner=_owner(campaign.school, payload.owner_id),
        deadline=payload.deadline,
        phase=_phase_or_none(campaign, payload.phase_id),
        description=payload.description,
    )
    return Status(201, assignment)


@router.get(PLAN + "/assignments/{assignment_id}", response=AssignmentOut, summary="任务详情")
def get_assignment(request: HttpRequest, code: str, year: int, assignment_id: int) -> Assignment:
    return _assignment(_plan(request, code, year)[0], assignment_id)


@router.patch(PLAN + "/assignments/{assignment_id}", response=AssignmentOut, summary="修改任务")
def update_assignment(
    request: HttpRequest, code: str, year: int, assignment_id: int, payload: AssignmentPatch
) -> Assignment:
    campaign, actor = _plan(request, code, year)
    assignment = _assignment(campaign, assignment_id)
    data = _merged(
        payload,
        {
            "title": assignment.title,
            "owner_id": assignment.owner_id,
            "deadline": assignment.deadline,
            "phase_id": assignment.phase_id,
            "description": assignment.description,
        },
    )
    services.update_assignment(
        actor=actor,
        assignment=assignment,
        title=data["title"],
        owner=_owner(campaign.school, data["owner_id"]),
        deadline=data["deadline"],
        phase=_phase_or_none(campaign, data["phase_id"]),
        description=data["description"],
    )
    return _assignment(campaign, assignment_id)


@router.post(PLAN + "/assignments/{assignment_id}/done", response=AssignmentOut, summary="标记完成")
def complete_assignment(
    request: HttpRequest, code: str, year: int, assignment_id: int, payload: DoneIn
) -> Assignment:
    campaign, actor = _plan(request, code, year)
    services.complete_assignment(
        actor=actor, assignment=_assignment(campaign, assignment_id), on=payload.done_on
    )
    return _assignment(campaign, assignment_id)


@router.post(PLAN + "/assignments/{assignment_id}/reopen", response=AssignmentOut, summary="重新打开")
def reopen_assignment(request: HttpRequest, code: str, year: int, assignment_id: int) -> Assignment:
    campaign, actor = _plan(request, code, year)
    services.reopen_assignment(actor=actor, assignment=_assignment(campaign, assignment_id))
    return _assignment(campaign, assignment_id)


@router.delete(PLAN + "/assignments/{assignment_id}", response={204: None}, summary="删除任务")
def delete_assignment(request: HttpRequest, code: str, year: int, assignment_id: int) -> Status[None]:
    campaign, actor = _plan(request, code, year)
    services.delete_assignment(actor=actor, assignment=_assignment(campaign, assignment_id))
    return Status(204, None)


# --- resources and budget ----------------------------------------------------------------------


@router.get(PLAN + "/resources", response=list[ResourceOut], summary="资源与经费")
def list_resources(request: HttpRequest, code: str, year: int) -> object:
    return selectors.resources_of(_plan(request, code, year)[0])


@router.post(PLAN + "/resources", response={201: ResourceOut}, summary="添加资源或经费")
def add_resource(request: HttpRequest, code: str, year: int, payload: ResourceIn) -> Status[ResourceLine]:
    campaign, actor = _plan(request, code, year)
    return Status(201, services.add_resource(actor=actor, campaign=campaign, **payload.dict()))


@router.patch(PLAN + "/resources/{line_id}", response=ResourceOut, summary="修改资源或经费")
def update_resource(
    request: HttpRequest, code: str, year: int, line_id: int, payload: ResourcePatch
) -> ResourceLine:
    campaign, actor = _plan(request, code, year)
    line = _resource(campaign, line_id)
    current = {
        "kind": line.kind,
        "name": line.name,
        "quantity": line.quantity,
        "amount": line.amount,
        "notes": line.notes,
    }
    return services.update_resource(actor=actor, line=line, **_merged(payload, current))


@router.delete(PLAN + "/resources/{line_id}", response={204: None}, summary="删除资源或经费")
def delete_resource(request: HttpRequest, code: str, year: int, line_id: int) -> Status[None]:
    campaign, actor = _plan(request, code, year)
    services.delete_resource(actor=actor, line=_resource(campaign, line_id))
    return Status(204, None)
