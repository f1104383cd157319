"""奖项、推荐、公示与异议: the same services and checks as the pages.

Objections are filed on the public notice page (no account, a bot-resistant form); the API carries the
supervision group's handling of them.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, of_school, school_or_404
from chuangyou.api.schemas.nominations import (
    AwardTypeIn,
    AwardTypeOut,
    AwardTypePatch,
    BureauAwardTypeIn,
    BureauAwardTypeOut,
    BureauAwardTypePatch,
    BureauNoticeIn,
    BureauObjectionOut,
    ExamKindName,
    ExamOut,
    GateIn,
    GateOut,
    IssuedOut,
    LevelName,
    NominationDetailOut,
    NominationIn,
    NominationOut,
    NominationPatch,
    NomineeProposalOut,
    NoticeDetailOut,
    NoticeIn,
    NoticeOut,
    ObjectionOut,
    PresetsIn,
    RankOut,
    ScoreIn,
    StepIn,
    StepReasonIn,
)
from chuangyou.campaigns.models import Campaign, ResourceLine
from chuangyou.honors import services as honors_services
from chuangyou.lib.errors import Invalid, NotFound
from chuangyou.nominations import selectors, services
from chuangyou.nominations.models import (
    AwardType,
    Exam,
    Gate,
    Nomination,
    Notice,
    Objection,
)
from chuangyou.nominations.proposals import Proposal
from chuangyou.nominations.rules import can_read_nominations
from chuangyou.org.models import School, SchoolClass, Staff, Student
from chuangyou.org.rules import require
from chuangyou.org.selectors import bureau_by_code

router = Router(tags=["奖项与推荐"])


# --- lookups -----------------------------------------------------------------------------------


def _campaign(school: School, year: int) -> Campaign:
    campaign = Campaign.objects.select_related("school").filter(school=school, year=year).first()
    if campaign is None:
        raise NotFound(gettext("本校没有 %(year)s 年的活动方案。") % {"year": year})
    return campaign


def _line(school: School, line_id: int | None) -> ResourceLine | None:
    if line_id is None:
        return None
    line = ResourceLine.objects.filter(school=school, pk=line_id).first()
    if line is None:
        raise Invalid(
            gettext("经费科目必须是本校活动方案中的经费项。"), {"budget_line_id": [gettext("科目有误。")]}
        )
    return line


def _award_data(school: School, data: dict[str, Any]) -> dict[str, Any]:
    if "budget_line_id" in data:
        data["budget_line"] = _line(school, data.pop("budget_line_id"))
    return data


# --- award types -------------------------------------------------------------------------------


@router.get("/{code}/award-types", response=list[AwardTypeOut], summary="奖项（含评选条件）")
def list_award_types(request: HttpRequest, code: str) -> list[AwardType]:
    school = school_or_404(code)
    require(can_read_nominations(actor_of(request), school), selectors.READ_MESSAGE)
    return list(selectors.awards_for(school, active_only=False).prefetch_related("gates"))


@router.post("/{code}/award-types", response={201: AwardTypeOut}, summary="新建奖项")
def create_award_type(request: HttpRequest, code: str, payload: AwardTypeIn) -> Status[AwardType]:
    school = school_or_404(code)
    data = _award_data(school, payload.dict())
    return Status(201, services.create_award_type(actor=actor_of(request), school=school, **data))


@router.post(
    "/{code}/award-types/presets",
    response={201: list[AwardTypeOut]},
    summary="安装现成奖项（三好学生、优秀学生干部、学科第一名……；已有同名的跳过）",
)
def install_presets(request: HttpRequest, code: str, payload: PresetsIn) -> Status[list[AwardType]]:
    school = school_or_404(code)
    made = services.install_presets(
        actor=actor_of(request), school=school, budget_line=_line(school, payload.budget_line_id)
    )
    return Status(201, made)


@router.get("/{code}/award-types/{award_id}", response=AwardTypeOut, summary="奖项详情")
def get_award_type(request: HttpRequest, code: str, award_id: int) -> AwardType:
    school = school_or_404(code)
    require(can_read_nominations(actor_of(request), school), selectors.READ_MESSAGE)
    return selectors.get_award(school, award_id)


@router.patch(
    "/{code}/award-types/{award_id}", response=AwardTypeOut, summary="修改奖项（有人进入公示后不能修改）"
)
def update_award_type(request: HttpRequest, code: str, award_id: int, payload: AwardTypePatch) -> AwardType:
    school = school_or_404(code)
    data = _award_data(school, payload.dict(exclude_unset=True))
    return services.update_award_type(
        actor=actor_of(request), award=selectors.get_own_award(school, award_id), **data
    )


@router.delete(
    "/{code}/award-types/{award_id}", response={204: None}, summary="删除奖项（已有推荐的只能停用）"
)
def delete_award_type(request: HttpRequest, code: str, award_id: int) -> Status[None]:
    school = school_or_404(code)
    services.delete_award_type(actor=actor_of(request), award=selectors.get_own_award(school, award_id))
    return Status(204, None)


@router.post("/{code}/award-types/{award_id}/gates", response={201: GateOut}, summary="添加评选条件")
def add_gate(request: HttpRequest, code: str, award_id: int, payload: GateIn) -> Status[Gate]:
    award = selectors.get_own_award(school_or_404(code), award_id)
    gate = services.add_gate(actor=actor_of(request), award=award, kind=payload.kind, params=payload.params)
    return Status(201, gate)


@router.delete("/{code}/award-types/{award_id}/gates/{gate_id}", response={204: None}, summary="删除评选条件")
def remove_gate(request: HttpRequest, code: str, award_id: int, gate_id: int) -> Status[None]:
    award = selectors.get_own_award(school_or_404(code), award_id)
    gate = selectors.get_gate(award, gate_id)
    services.remove_gate(actor=actor_of(request), gate=gate)
    return Status(204, None)


# --- nominations -------------------------------------------------------------------------------


@router.get("/{code}/nominations", response=list[NominationOut], summary="推荐名单（本人可见范围）")
@paginate(Pages, page_size=50)
def list_nominations(
    request: HttpRequest, code: str, level: LevelName | None = None, status: str | None = None
) -> Any:
    rows = selectors.nominations_for(actor_of(request), school_or_404(code)).select_related("campaign")
    if level:
        rows = rows.filter(level=level)
    if status:
        rows = rows.filter(status=status)
    return rows


@router.post(
    "/{code}/nominations", response={201: NominationDetailOut}, summary="推荐（名额和评选条件当场检查）"
)
def nominate(request: HttpRequest, code: str, payload: NominationIn) -> Status[Nomination]:
    school, actor = school_or_404(code), actor_of(request)
    # Every id given is passed on: the service refuses anything but exactly one nominee.
    people: dict[str, Any] = {}
    if payload.student_id is not None:
        people["student"] = _of_school(Student, school, payload.student_id, gettext("本校没有这名学生。"))
    if payload.staff_id is not None:
        people["staff"] = _of_school(Staff, school, payload.staff_id, gettext("本校没有这位教职工。"))
    if payload.class_id is not None:
        people["school_class"] = _of_school(
            SchoolClass, school, payload.class_id, gettext("本校没有这个班级。")
        )
    n = services.nominate(
        actor=actor,
        award=selectors.get_award(school, payload.award_type_id),
        campaign=_campaign(school, payload.year),
        story=payload.story,
        evidence=payload.evidence,
        reason=payload.reason,
        **people,
    )
    return Status(201, selectors.get_nomination(actor, school, n.pk))


def _of_school(model: Any, school: School, pk: int | None, message: str) -> Any:
    return of_school(model, school, pk, NotFound(message))


@router.get("/{code}/nominations/{nomination_id}", response=NominationDetailOut, summary="推荐详情与决定记录")
def get_nomination(request: HttpRequest, code: str, nomination_id: int) -> Nomination:
    return selectors.get_nomination(actor_of(request), school_or_404(code), nomination_id)


@router.patch("/{code}/nominations/{nomination_id}", response=NominationDetailOut, summary="修改事迹材料")
def edit_nomination(
    request: HttpRequest, code: str, nomination_id: int, payload: NominationPatch
) -> Nomination:
    school, actor = school_or_404(code), actor_of(request)
    n = selectors.get_nomination(actor, school, nomination_id)
    services.edit_nomination(actor=actor, nomination=n, story=payload.story, evidence=payload.evidence)
    return selectors.get_nomination(actor, school, nomination_id)


def _decide(request: HttpRequest, code: str, nomination_id: int, action: Any, **kw: Any) -> Nomination:
    school, actor = school_or_404(code), actor_of(request)
    action(actor=actor, nomination=selectors.get_nomination(actor, school, nomination_id), **kw)
    return selectors.get_nomination(actor, school, nomination_id)


@router.post(
    "/{code}/nominations/{nomination_id}/advance", response=NominationDetailOut, summary="推荐至上一级"
)
def advance(request: HttpRequest, code: str, nomination_id: int, payload: StepReasonIn) -> Nomination:
    return _decide(request, code, nomination_id, services.advance, reason=payload.reason)


@router.post("/{code}/nominations/{nomination_id}/select", response=NominationDetailOut, summary="确定入选")
def select(request: HttpRequest, code: str, nomination_id: int, payload: StepReasonIn) -> Nomination:
    return _decide(request, code, nomination_id, services.select, reason=payload.reason)


@router.post(
    "/{code}/nominations/{nomination_id}/decline",
    response=NominationDetailOut,
    summary="不予推荐（须写理由）",
)
def decline(request: HttpRequest, code: str, nomination_id: int, payload: StepReasonIn) -> Nomination:
    return _decide(request, code, nomination_id, services.decline, reason=payload.reason)


@router.post("/{code}/nominations/{nomination_id}/score", response=NominationDetailOut, summary="本级评分")
def rescore(request: HttpRequest, code: str, nomination_id: int, payload: ScoreIn) -> Nomination:
    return _decide(request, code, nomination_id, services.rescore, score=payload.score, reason=payload.reason)


# --- notices -----------------------------------------------------------------------------------


@router.get("/{code}/notices", response=list[NoticeOut], summary="公示列表")
@paginate(Pages, page_size=20)
def list_notices(request: HttpRequest, code: str) -> Any:
    return selectors.notices_for(actor_of(request), school_or_404(code)).select_related("campaign")


@router.post("/{code}/notices", response={201: NoticeDetailOut}, summary="发布公示（截止日按工作日计算）")
def publish_notice(request: HttpRequest, code: str, payload: NoticeIn) -> Status[Notice]:
    school, actor = school_or_404(code), actor_of(request)
    data = payload.dict()
    ids = data.pop("nomination_ids")
    chosen = list(selectors.nominations_for(actor, school).filter(pk__in=ids))
    if len(chosen) != len(set(ids)):
        raise NotFound(gettext("名单中有不属于本校或您看不到的推荐。"))
    notice = services.publish_notice(
        actor=actor, campaign=_campaign(school, data.pop("year")), nominations=chosen, **data
    )
    return Status(201, Notice.objects.select_related("campaign").get(pk=notice.pk))


@router.get("/{code}/notices/{notice_id}", response=NoticeDetailOut, summary="公示详情与名单")
def get_notice(request: HttpRequest, code: str, notice_id: int) -> Notice:
    return selectors.get_notice(actor_of(request), school_or_404(code), notice_id)


# --- objections (the supervision group's handling) ---------------------------------------------


@router.get("/{code}/objections", response=list[ObjectionOut], summary="异议列表")
@paginate(Pages, page_size=50)
def list_objections(request: HttpRequest, code: str, status: str | None = None) -> Any:
    rows = selectors.objections_for(actor_of(request), school_or_404(code)).prefetch_related("steps")
    return rows.filter(status=status) if status else rows


@router.get("/{code}/objections/{objection_id}", response=ObjectionOut, summary="异议详情与办理记录")
def get_objection(request: HttpRequest, code: str, objection_id: int) -> Objection:
    return selectors.get_objection(actor_of(request), school_or_404(code), objection_id)


@router.post(
    "/{code}/objections/{objection_id}/steps",
    response=ObjectionOut,
    summary="办理一步：受理 → 核实 → 成立 / 不成立 / 暂缓 → 反馈 → 归档",
)
def handle_objection(request: HttpRequest, code: str, objection_id: int, payload: StepIn) -> Objection:
    school, actor = school_or_404(code), actor_of(request)
    services.handle_objection(
        actor=actor, objection=selectors.get_objection(actor, school, objection_id), **payload.dict()
    )
    return selectors.get_objection(actor, school, objection_id)


# --- proposed from the data, and exam scores ---------------------------------------------------------


def _proposal_out(p: Proposal) -> dict[str, Any]:
    return {
        "student_id": p.student.pk, "student_name": p.student.name, "class_name": str(p.student.school_class),
        "reasons": p.reasons, "evidence": p.evidence,
    }  # fmt: skip


@router.get(
    "/{code}/award-types/{award_id}/proposals",
    response=list[NomineeProposalOut],
    summary="系统依据数据提出的人选（志愿时长、获资助项目、好书推荐、竞赛获奖、考试第一名）",
)
def list_proposals(request: HttpRequest, code: str, award_id: int, year: int) -> list[dict[str, Any]]:
    school = school_or_404(code)
    found = selectors.proposals_for(
        actor_of(request), school, _campaign(school, year), selectors.get_award(school, award_id)
    )
    return [_proposal_out(p) for p in found]


@router.post(
    "/{code}/award-types/{award_id}/proposals/{student_id}",
    response={201: NominationDetailOut},
    summary="确认系统提名：事迹材料与佐证取自记录，名额和评选条件照常检查",
)
def confirm_proposal(
    request: HttpRequest, code: str, award_id: int, student_id: int, year: int
) -> Status[Nomination]:
    school, actor = school_or_404(code), actor_of(request)
    n = services.nominate_from_proposal(
        actor=actor,
        award=selectors.get_award(school, award_id),
        campaign=_campaign(school, year),
        student=_of_school(Student, school, student_id, gettext("本校没有这名学生。")),
    )
    return Status(201, selectors.get_nomination(actor, school, n.pk))


@router.get("/{code}/exams", response=list[ExamOut], summary="已导入的考试")
@paginate(Pages, page_size=20)
def list_exams(request: HttpRequest, code: str) -> Any:
    return selectors.exams_for(actor_of(request), school_or_404(code))


@router.post(
    "/{code}/exams",
    response={201: ExamOut},
    summary="导入考试成绩（.xlsx：学号、姓名、科目、成绩）；有一行出错则整表不导入，逐行报错",
)
def import_exam(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    year: Form[int],
    term: Form[str],
    kind: Form[ExamKindName],
) -> Status[Exam]:
    school, actor = school_or_404(code), actor_of(request)
    exam = services.import_exam_scores(
        actor=actor,
        school=school,
        year=year,
        term=term,
        kind=kind,
        name=file.name or "scores.xlsx",
        data=file,
    )
    return Status(201, selectors.exams_for(actor, school).get(pk=exam.pk))


@router.get(
    "/{code}/objections/{objection_id}/evidence",
    response={200: None},
    summary="下载异议人提交的证据（监督小组）",
)
def objection_evidence(request: HttpRequest, code: str, objection_id: int) -> FileResponse:
    actor = actor_of(request)
    o = selectors.get_objection(actor, school_or_404(code), objection_id)
    evidence = selectors.objection_evidence(actor, o)
    return FileResponse(
        evidence.open("rb"), as_attachment=True, filename=(evidence.name or "evidence").rsplit("/", 1)[-1]
    )


# --- the bureau's side ------------------------------------------------------------------------------
# `bureau_router` is mounted by api.py under /bureaus (its paths start with "/{code}/", the bureau's code):
# the bureau's award types, the ranking across its schools, its 公示, the objections to it and issuing.

bureau_router = Router(tags=["教育局级表彰"])


@bureau_router.get("/{code}/award-types", response=list[BureauAwardTypeOut], summary="教育局级奖项")
def list_bureau_award_types(request: HttpRequest, code: str) -> list[AwardType]:
    return list(selectors.bureau_awards(actor_of(request), bureau_by_code(code)))


@bureau_router.post("/{code}/award-types", response={201: BureauAwardTypeOut}, summary="新建教育局级奖项")
def create_bureau_award_type(
    request: HttpRequest, code: str, payload: BureauAwardTypeIn
) -> Status[AwardType]:
    award = services.create_bureau_award_type(
        actor=actor_of(request), bureau=bureau_by_code(code), **payload.dict()
    )
    return Status(201, award)


@bureau_router.patch(
    "/{code}/award-types/{award_id}",
    response=BureauAwardTypeOut,
    summary="修改教育局级奖项（有人进入公示后不能修改）",
)
def update_bureau_award_type(
    request: HttpRequest, code: str, award_id: int, payload: BureauAwardTypePatch
) -> AwardType:
    actor = actor_of(request)
    award = selectors.get_bureau_award(actor, bureau_by_code(code), award_id)
    return services.update_award_type(actor=actor, award=award, **payload.dict(exclude_unset=True))


@bureau_router.delete("/{code}/award-types/{award_id}", response={204: None}, summary="删除教育局级奖项")
def delete_bureau_award_type(request: HttpRequest, code: str, award_id: int) -> Status[None]:
    actor = actor_of(request)
    services.delete_award_type(
        actor=actor, award=selectors.get_bureau_award(actor, bureau_by_code(code), award_id)
    )
    return Status(204, None)


@bureau_router.post(
    "/{code}/award-types/{award_id}/gates", response={201: GateOut}, summary="添加教育局级奖项的评选条件"
)
def add_bureau_gate(request: HttpRequest, code: str, award_id: int, payload: GateIn) -> Status[Gate]:
    actor = actor_of(request)
    award = selectors.get_bureau_award(actor, bureau_by_code(code), award_id)
    return Status(201, services.add_gate(actor=actor, award=award, kind=payload.kind, params=payload.params))


@bureau_router.get(
    "/{code}/award-types/{award_id}/ranking",
    response=list[RankOut],
    summary="各校报送的推荐按评分排序（含决定人和理由）",
)
def bureau_ranking(request: HttpRequest, code: str, award_id: int, year: int) -> list[dict[str, Any]]:
    actor, bureau = actor_of(request), bureau_by_code(code)
    rows = selectors.bureau_ranking(actor, bureau, selectors.get_bureau_award(actor, bureau, award_id), year)
    return [
        {
            "rank": r.rank,
            "nomination_id": r.nomination.pk,
            "nominee_name": r.nomination.nominee_name,
            "unit": r.nomination.unit,
            "school_code": r.nomination.school.code,
            "school_name": r.school_name,
            "score": r.score,
            "status": r.status,
            "decided_by": r.decided_by,
            "decided_at": r.decided_at,
            "decision": r.decision,
            "reason": r.reason,
        }
        for r in rows
    ]


@bureau_router.get("/{code}/notices", response=list[NoticeOut], summary="教育局公示列表")
def list_bureau_notices(request: HttpRequest, code: str) -> list[Notice]:
    return list(selectors.bureau_notices(actor_of(request), bureau_by_code(code)))


@bureau_router.post(
    "/{code}/notices", response={201: NoticeDetailOut}, summary="发布教育局公示（截止日按工作日计算）"
)
def publish_bureau_notice(request: HttpRequest, code: str, payload: BureauNoticeIn) -> Status[Notice]:
    actor, bureau = actor_of(request), bureau_by_code(code)
    data = payload.dict()
    ids = data.pop("nomination_ids")
    chosen = list(Nomination.objects.filter(pk__in=ids, school__bureau=bureau))
    if len(chosen) != len(set(ids)):
        raise NotFound(gettext("名单中有不属于本局各校的推荐。"))
    notice = services.publish_bureau_notice(actor=actor, bureau=bureau, nominations=chosen, **data)
    return Status(201, notice)


@bureau_router.get("/{code}/objections", response=list[BureauObjectionOut], summary="教育局公示的异议")
@paginate(Pages, page_size=50)
def list_bureau_objections(request: HttpRequest, code: str, status: str | None = None) -> Any:
    rows = selectors.bureau_objections(actor_of(request), bureau_by_code(code)).prefetch_related("steps")
    return rows.filter(status=status) if status else rows


@bureau_router.post(
    "/{code}/objections/{objection_id}/steps",
    response=BureauObjectionOut,
    summary="办理教育局公示的异议：受理 → 核实 → 成立 / 不成立 / 暂缓 → 反馈 → 归档",
)
def handle_bureau_objection(request: HttpRequest, code: str, objection_id: int, payload: StepIn) -> Objection:
    actor, bureau = actor_of(request), bureau_by_code(code)
    services.handle_objection(
        actor=actor, objection=selectors.get_bureau_objection(actor, bureau, objection_id), **payload.dict()
    )
    return selectors.get_bureau_objection(actor, bureau, objection_id)


@bureau_router.get(
    "/{code}/objections/{objection_id}/evidence", response={200: None}, summary="下载教育局公示异议的证据"
)
def bureau_objection_evidence(request: HttpRequest, code: str, objection_id: int) -> FileResponse:
    actor = actor_of(request)
    evidence = selectors.objection_evidence(
        actor, selectors.get_bureau_objection(actor, bureau_by_code(code), objection_id)
    )
    return FileResponse(
        evidence.open("rb"), as_attachment=True, filename=(evidence.name or "evidence").rsplit("/", 1)[-1]
    )


@bureau_router.post(
    "/{code}/notices/{notice_id}/issue",
    response={201: list[IssuedOut]},
    summary="颁发教育局公示期满且异议办结的荣誉（证书编号按全局连续）",
)
def issue_bureau_honors(request: HttpRequest, code: str, notice_id: int) -> Status[list[Any]]:
    actor = actor_of(request)
    notice = selectors.get_bureau_notice(actor, bureau_by_code(code), notice_id)
    return Status(201, honors_services.issue_notice(actor=actor, notice=notice))
