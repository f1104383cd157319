"""公开承诺: declare, draft items, submit, return, publish, revise, progress, fulfilment, filing, the
bureau's listing and the public board. Same services and checks as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.api.schemas.commitments import (
    BoardItemOut,
    BoardOut,
    BoardOwnerOut,
    CommitmentDetailOut,
    CommitmentOut,
    CommitmentSettingsOut,
    DeclareIn,
    FilingOut,
    FollowUpOut,
    FulfilmentIn,
    ItemIn,
    ItemOut,
    ItemPatch,
    OverdueOut,
    PastDeadlineOut,
    ProgressOut,
    ReasonIn,
    RevisionIn,
    SchoolFilingsOut,
    VersionOut,
)
from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import rules, selectors, services
from chuangyou.commitments.models import Category, Commitment, Item, ProgressReport
from chuangyou.lib.errors import Invalid, NotFound
from chuangyou.org.models import PartyBranch, School
from chuangyou.org.rules import Actor, is_staff_of, require

router = Router(tags=["公开承诺"])

BASE = "/{code}/commitments"
ONE = BASE + "/{commitment_id}"
ITEM = ONE + "/items/{item_id}"


# --- lookups -----------------------------------------------------------------------------------


def _enter(request: HttpRequest, code: str) -> tuple[School, Actor]:
    school, actor = school_or_404(code), actor_of(request)
    require(
        is_staff_of(actor, school) or rules.can_read_office(actor, school),
        gettext("只有本校教职工可以使用承诺接口。"),
    )
    return school, actor


def _campaign(school: School, year: int | None) -> Campaign:
    campaign = selectors.campaign_of(school, year, today=timezone.localdate())
    if campaign is None:
        raise NotFound(gettext("本校还没有这个年度的活动方案。"))
    return campaign


def _commitment(request: HttpRequest, code: str, commitment_id: int) -> tuple[Commitment, Actor]:
    actor = actor_of(request)
    return selectors.commitment_for(actor, school_or_404(code), commitment_id), actor


def _fresh(actor: Actor, commitment: Commitment) -> Commitment:
    return selectors.commitment_for(actor, commitment.school, commitment.pk)


# --- commitments -------------------------------------------------------------------------------


@router.get(BASE, response=list[CommitmentOut], summary="承诺列表（可按年度、状态筛选）")
@paginate(Pages, page_size=50)
def list_commitments(
    request: HttpRequest,
    code: str,
    year: int | None = None,
    status: Literal["all", "draft", "submitted", "returned", "published"] = "all",
    q: str = "",
) -> object:
    school, actor = _enter(request, code)
    return selectors.commitments_for(actor, _campaign(school, year), status=status, query=q)


@router.post(BASE, response={201: CommitmentDetailOut}, summary="作出承诺（本人，或党支部书记为支部）")
def declare(request: HttpRequest, code: str, payload: DeclareIn) -> Status[Commitment]:
    school, actor = _enter(request, code)
    campaign = _campaign(school, payload.year)
    if payload.branch_id is not None:
        branch = PartyBranch.objects.filter(school=school, pk=payload.branch_id).first()
        if branch is None:
            raise NotFound(gettext("本校没有这个党支部。"))
        commitment = services.declare(actor=actor, campaign=campaign, branch=branch)
    else:
        staff = rules.own_staff(actor, school)
        if staff is None:
            raise Invalid(gettext("您不是本校教职工，不能作出个人承诺。"))
        commitment = services.declare(actor=actor, campaign=campaign, staff=staff)
    return Status(201, _fresh(actor, commitment))


@router.get(ONE, response=CommitmentDetailOut, summary="承诺详情")
def get_commitment(request: HttpRequest, code: str, commitment_id: int) -> Commitment:
    return _commitment(request, code, commitment_id)[0]


@router.post(ONE + "/items", response={201: ItemOut}, summary="添加承诺事项（草稿）")
def add_item(request: HttpRequest, code: str, commitment_id: int, payload: ItemIn) -> Status[Item]:
    commitment, actor = _commitment(request, code, commitment_id)
    return Status(201, services.add_item(actor=actor, commitment=commitment, **payload.dict()))


@router.patch(ITEM, response=ItemOut, summary="修改承诺事项（草稿）")
def update_item(
    request: HttpRequest, code: str, commitment_id: int, item_id: int, payload: ItemPatch
) -> Item:
    commitment, actor = _commitment(request, code, commitment_id)
    item = selectors.item_of(commitment, item_id)
    current: dict[str, Any] = {
        "category": item.category,
        "content": item.content,
        "measures": item.measures,
        "deadline": item.deadline,
    }
    return services.update_item(actor=actor, item=item, **(current | payload.dict(exclude_unset=True)))


@router.delete(ITEM, response={204: None}, summary="删除承诺事项（草稿）")
def delete_item(request: HttpRequest, code: str, commitment_id: int, item_id: int) -> Status[None]:
    commitment, actor = _commitment(request, code, commitment_id)
    services.delete_item(actor=actor, item=selectors.item_of(commitment, item_id))
    return Status(204, None)


@router.post(ONE + "/submit", response=CommitmentDetailOut, summary="提交审核（检查条数）")
def submit(request: HttpRequest, code: str, commitment_id: int) -> Commitment:
    commitment, actor = _commitment(request, code, commitment_id)
    services.submit(actor=actor, commitment=commitment)
    return _fresh(actor, commitment)


@router.post(ONE + "/return", response=CommitmentDetailOut, summary="退回修改（须写明理由）")
def return_commitment(request: HttpRequest, code: str, commitment_id: int, payload: ReasonIn) -> Commitment:
    commitment, actor = _commitment(request, code, commitment_id)
    services.return_commitment(actor=actor, commitment=commitment, reason=payload.reason)
    return _fresh(actor, commitment)


@router.post(ONE + "/publish", response=CommitmentDetailOut, summary="审核通过并公开")
def publish(request: HttpRequest, code: str, commitment_id: int) -> Commitment:
    commitment, actor = _commitment(request, code, commitment_id)
    services.publish(actor=actor, commitment=commitment)
    return _fresh(actor, commitment)


@router.post(ITEM + "/revisions", response={201: ItemOut}, summary="修改已公开的承诺（生成新版本）")
def revise_item(
    request: HttpRequest, code: str, commitment_id: int, item_id: int, payload: RevisionIn
) -> Status[Item]:
    commitment, actor = _commitment(request, code, commitment_id)
    item = selectors.item_of(commitment, item_id)
    current: dict[str, Any] = {
        "category": item.category,
        "content": item.content,
        "measures": item.measures,
        "deadline": item.deadline,
    }
    data = current | payload.dict(exclude_unset=True, exclude={"reason"})
    return Status(201, services.revise_item(actor=actor, item=item, reason=payload.reason, **data))


@router.get(ITEM + "/versions", response=list[VersionOut], summary="承诺事项的版本记录")
def item_versions(request: HttpRequest, code: str, commitment_id: int, item_id: int) -> object:
    commitment, _actor = _commitment(request, code, commitment_id)
    return selectors.versions_of(selectors.item_of(commitment, item_id))


@router.post(ITEM + "/progress", response={201: ProgressOut}, summary="报告践诺进展（可附佐证材料）")
def report_progress(
    request: HttpRequest,
    code: str,
    commitment_id: int,
    item_id: int,
    text: Form[str],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[ProgressReport]:
    commitment, actor = _commitment(request, code, commitment_id)
    item = selectors.item_of(commitment, item_id)
    report = services.report_progress(actor=actor, item=item, text=text, files=files or [])
    return Status(201, selectors.reports_of(commitment).get(pk=report.pk))


@router.get(ONE + "/progress", response=list[ProgressOut], summary="践诺进展（承诺人、书记和学校办公室可见）")
def list_progress(request: HttpRequest, code: str, commitment_id: int) -> object:
    commitment, actor = _commitment(request, code, commitment_id)
    require(rules.can_see_evidence(actor, commitment), gettext("您没有权限查看践诺进展材料。"))
    return selectors.reports_of(commitment)


@router.post(ITEM + "/fulfilment", response=ItemOut, summary="评定是否兑现（未兑现须写明原因）")
def mark_fulfilment(
    request: HttpRequest, code: str, commitment_id: int, item_id: int, payload: FulfilmentIn
) -> Item:
    commitment, actor = _commitment(request, code, commitment_id)
    item = selectors.item_of(commitment, item_id)
    return services.mark_fulfilment(
        actor=actor, item=item, fulfilled=payload.fulfilled, reason=payload.reason
    )


@router.post(ONE + "/filing", response={201: FilingOut}, summary="向教育局申报备案（党支部承诺）")
def file_with_bureau(request: HttpRequest, code: str, commitment_id: int) -> Status[object]:
    commitment, actor = _commitment(request, code, commitment_id)
    filing = services.file_with_bureau(actor=actor, commitment=commitment)
    return Status(201, selectors.filings_of(actor, commitment.school).get(pk=filing.pk))


# --- office and bureau -------------------------------------------------------------------------


@router.get(BASE + "-filings", response=list[FilingOut], summary="本校的申报备案（本校办公室与主管教育局）")
@paginate(Pages, page_size=50)
def school_filings(request: HttpRequest, code: str) -> object:
    return selectors.filings_of(actor_of(request), school_or_404(code)).select_related("school")


@router.get(BASE + "-filings/bureau", response=list[SchoolFilingsOut], summary="主管教育局：各校备案情况")
def bureau_filings(request: HttpRequest, code: str) -> list[SchoolFilingsOut]:
    lines = selectors.bureau_summary(actor_of(request), school_or_404(code))
    return [
        SchoolFilingsOut(
            school_code=line.school.code,
            school_name=line.school.name,
            filings=line.filings,
            items=line.items,
            last_filed_on=line.last_filed_on,
        )
        for line in lines
    ]


@router.get(BASE + "-overdue", response=FollowUpOut, summary="逾期未报告进展与已过完成时限")
def follow_up(request: HttpRequest, code: str, year: int | None = None) -> FollowUpOut:
    school, actor = _enter(request, code)
    campaign, today = _campaign(school, year), timezone.localdate()
    late = selectors.overdue_progress(actor, campaign, today=today)
    past = selectors.items_past_deadline(actor, campaign, today=today)
    return FollowUpOut(
        interval_days=selectors.settings_of(school).progress_interval_days,
        overdue_progress=[
            OverdueOut(
                commitment_id=c.pk,
                owner_name=c.owner_name,
                published_at=c.published_at,
                last_progress_on=c.last_progress_on,
            )
            for c in late
        ],
        past_deadline=[
            PastDeadlineOut(
                item_id=i.pk,
                commitment_id=i.commitment_id,
                owner_name=i.commitment.owner_name,
                content=i.content,
                deadline=i.deadline,
            )
            for i in past
        ],
    )


@router.get(BASE + "-settings", response=CommitmentSettingsOut, summary="承诺设置")
def get_settings(request: HttpRequest, code: str) -> object:
    school, _actor = _enter(request, code)
    return selectors.settings_of(school)


@router.put(BASE + "-settings", response=CommitmentSettingsOut, summary="修改承诺设置")
def put_settings(request: HttpRequest, code: str, payload: CommitmentSettingsOut) -> object:
    school, actor = school_or_404(code), actor_of(request)
    return services.update_settings(actor=actor, school=school, **payload.dict())


# --- the public board --------------------------------------------------------------------------


@router.get(BASE + "-board", response=BoardOut, auth=None, summary="公开承诺栏（无需登录）")
def board(request: HttpRequest, code: str) -> BoardOut:
    school = school_or_404(code)
    campaign = selectors.current_campaign(school, today=timezone.localdate())
    entries = selectors.board_entries(selectors.board_commitments(campaign)) if campaign else []
    return BoardOut(
        school_name=school.name,
        campaign_title=campaign.title if campaign else None,
        owners=[
            BoardOwnerOut(
                commitment_id=e.commitment.pk,
                owner_kind="branch" if e.commitment.is_branch else "staff",
                owner_name=e.commitment.owner_name,
                published_at=e.commitment.published_at,
                last_report_on=e.last_report_on,
                items=[
                    BoardItemOut(
                        id=i.pk,
                        category=Category(i.category),
                        content=i.content,
                        measures=i.measures,
                        deadline=i.deadline,
                        times_revised=i.times_revised,
                        fulfilment=i.fulfilment,  # type: ignore[arg-type]
                        fulfilment_reason=i.fulfilment_reason,
                        last_report_on=i.last_report_on,  # type: ignore[attr-defined]
                        evidence_count=i.evidence_count,  # type: ignore[attr-defined]
                    )
                    for i in e.items
                ],
            )
            for e in entries
        ],
    )
