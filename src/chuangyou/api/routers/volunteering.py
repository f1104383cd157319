"""志愿服务: claims, consent, certification, totals and the school's rules. Same services and checks
as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

from pathlib import PurePath
from typing import Literal

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, school_or_404, staff_of_school
from chuangyou.api.schemas.volunteering import (
    ApproveIn,
    ClaimIn,
    ClaimOut,
    HoursProgressOut,
    RejectIn,
    SettingsIn,
    VolunteeringSettingsOut,
    VolunteerOut,
)
from chuangyou.lib.errors import NotAllowed, NotFound
from chuangyou.org.models import School, Staff
from chuangyou.org.rules import can_read_school, require
from chuangyou.volunteering import selectors, services
from chuangyou.volunteering.models import Claim

router = Router(tags=["志愿服务"])

BASE = "/{code}/volunteering"


def _claim(request: HttpRequest, code: str, claim_id: int) -> Claim:
    return selectors.claim_for(actor_of(request), school_or_404(code), claim_id)


def _organizer(school: School, staff_id: int) -> Staff:
    return staff_of_school(school, staff_id, field="organizer_id", message=gettext("组织者须是本校教职工。"))


@router.get(BASE + "/settings", response=VolunteeringSettingsOut, summary="志愿服务规则")
def get_settings(request: HttpRequest, code: str) -> object:
    school, actor = school_or_404(code), actor_of(request)
    require(
        school.pk in actor.school_ids() or can_read_school(actor, school),
        gettext("只有本校师生和家长可以查看志愿服务规则。"),
    )
    return selectors.settings_for(school)


@router.put(BASE + "/settings", response=VolunteeringSettingsOut, summary="修改志愿服务规则")
def put_settings(request: HttpRequest, code: str, payload: SettingsIn) -> object:
    return services.update_settings(actor=actor_of(request), school=school_or_404(code), **payload.dict())


@router.get(BASE + "/me", response=HoursProgressOut, summary="我的已认证时长与里程碑")
def my_progress(request: HttpRequest, code: str) -> selectors.Progress:
    school, actor = school_or_404(code), actor_of(request)
    person = selectors.participant_of(actor, school)
    if person is None:
        raise NotAllowed(services.CLAIM_MESSAGE)
    total = (
        selectors.approved_total(staff=person)
        if isinstance(person, Staff)
        else selectors.approved_total(student=person)
    )
    return selectors.progress(total, selectors.settings_for(school).milestones)


@router.get(BASE + "/claims", response=list[ClaimOut], summary="我可查看的志愿服务申报")
@paginate(Pages, page_size=50)
def list_claims(
    request: HttpRequest, code: str, status: Literal["pending", "approved", "rejected", "all"] = "all"
) -> object:
    rows = selectors.claims_visible_to(actor_of(request), school_or_404(code))
    return rows if status == "all" else rows.filter(status=status)


@router.get(BASE + "/review", response=list[ClaimOut], summary="待我认证的时长")
@paginate(Pages, page_size=50)
def review_queue(
    request: HttpRequest, code: str, status: Literal["pending", "approved", "rejected", "all"] = "pending"
) -> object:
    return selectors.claims_to_certify(actor_of(request), school_or_404(code), status=status)


@router.post(BASE + "/claims", response={201: ClaimOut}, summary="申报时长（multipart，可附证明照片）")
def create_claim(
    request: HttpRequest, code: str, payload: Form[ClaimIn], evidence: File[UploadedFile | None] = None
) -> Status[Claim]:
    school = school_or_404(code)
    data = payload.dict()
    claim = services.claim_hours(
        actor=actor_of(request),
        school=school,
        organizer=_organizer(school, data.pop("organizer_id")),
        evidence=evidence,
        **data,
    )
    return Status(201, selectors.claim_for(actor_of(request), school, claim.pk))


@router.get(BASE + "/claims/{claim_id}", response=ClaimOut, summary="申报详情")
def get_claim(request: HttpRequest, code: str, claim_id: int) -> Claim:
    return _claim(request, code, claim_id)


@router.get(BASE + "/claims/{claim_id}/evidence", summary="证明照片")
def get_evidence(request: HttpRequest, code: str, claim_id: int) -> FileResponse:
    claim = _claim(request, code, claim_id)
    if not claim.evidence:
        raise NotFound(gettext("这条申报没有证明照片。"))
    return FileResponse(claim.evidence.open("rb"), filename=PurePath(claim.evidence.name or "").name)


@router.post(BASE + "/claims/{claim_id}/consent", response=ClaimOut, summary="家长在线同意")
def consent(request: HttpRequest, code: str, claim_id: int) -> Claim:
    return services.give_consent(actor=actor_of(request), claim=_claim(request, code, claim_id))


@router.post(BASE + "/claims/{claim_id}/paper-consent", response=ClaimOut, summary="登记纸质监护人同意书")
def paper_consent(request: HttpRequest, code: str, claim_id: int) -> Claim:
    return services.record_paper_consent(actor=actor_of(request), claim=_claim(request, code, claim_id))


@router.post(BASE + "/claims/{claim_id}/approve", response=ClaimOut, summary="认证通过")
def approve(request: HttpRequest, code: str, claim_id: int, payload: ApproveIn) -> Claim:
    return services.approve_claim(
        actor=actor_of(request), claim=_claim(request, code, claim_id), note=payload.note
    )


@router.post(BASE + "/claims/{claim_id}/reject", response=ClaimOut, summary="不通过（须填写理由）")
def reject(request: HttpRequest, code: str, claim_id: int, payload: RejectIn) -> Claim:
    return services.reject_claim(
        actor=actor_of(request), claim=_claim(request, code, claim_id), reason=payload.reason
    )


@router.get(BASE + "/volunteers", response=list[VolunteerOut], summary="志愿者名单与累计时长")
@paginate(Pages, page_size=50)
def list_volunteers(
    request: HttpRequest,
    code: str,
    kind: Literal["students", "staff"] = "students",
    class_id: int | None = None,
) -> object:
    school = school_or_404(code)
    # The resolvers read the school's milestones from here, so a page costs no query per row.
    request.volunteer_milestones = selectors.settings_for(school).milestones  # type: ignore[attr-defined]
    return selectors.volunteers(actor_of(request), school, kind=kind, class_id=class_id)
