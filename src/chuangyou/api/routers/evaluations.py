"""Evaluations: build, open, vote (account or one-time code), paper ballots, close, publish, results,
recount. Same services and checks as the pages; a second ballot from one voter is HTTP 409.

No `from __future__ import annotations`: django-ninja reads annotations at runtime.
"""

import base64
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Router, Status

from chuangyou.api.auth import signed_in_or_anyone
from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.api.schemas.evaluations import (
    BallotIn,
    BallotRowOut,
    CloseIn,
    CodeBallotIn,
    CodesIn,
    CodesOut,
    CommitmentAppraisalIn,
    CountedOut,
    CountOut,
    EvaluationDetailOut,
    EvaluationIn,
    EvaluationOut,
    GroupIn,
    GroupOut,
    OpenedOut,
    OpenIn,
    PaperIn,
    PaperOut,
    PortfolioIn,
    PortfolioOut,
    PresetOut,
    ProjectDecisionsIn,
    ProjectOutcomeOut,
    ProjectReviewIn,
    QualityIn,
    ReceiptCheckIn,
    ReceiptOut,
    RecountOut,
    ResultBenchmarkOut,
    RubricIn,
    SignatureIn,
    SubjectOut,
    SubjectsIn,
    TurnoutOut,
    WindowIn,
)
from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import appraisal
from chuangyou.evaluations import documents, explanation, proof, selectors, services, throttle
from chuangyou.evaluations import presets as preset_uses
from chuangyou.evaluations.models import Entitlement, Evaluation, PaperEntry, Portfolio, RaterGroup
from chuangyou.evaluations.rubrics import PRESETS
from chuangyou.evaluations.rules import can_manage_evaluation
from chuangyou.lib.errors import NotAllowed, NotFound
from chuangyou.org.models import PartyBranch, SchoolClass, Staff
from chuangyou.org.rules import Actor, require
from chuangyou.projects import review
from chuangyou.projects.models import Call
from chuangyou.records import services as quality
from chuangyou.web import client_ip

router = Router(tags=["评议评价"])

ONE = "/{code}/evaluations/{int:pk}"


# --- lookups -----------------------------------------------------------------------------------


def _evaluation(request: HttpRequest, code: str, pk: int) -> tuple[Evaluation, Actor]:
    actor = actor_of(request)
    return selectors.evaluation_for(actor, school_or_404(code), pk), actor


def _in_school(model: Any, pk: int | None, evaluation: Evaluation) -> Any:
    """A class or branch of the evaluation's school, or None."""
    return None if pk is None else model.objects.filter(pk=pk, school=evaluation.school).first()


def _group(evaluation: Evaluation, group_id: int) -> RaterGroup:
    group = (
        RaterGroup.objects.select_related("evaluation__school")
        .filter(pk=group_id, evaluation=evaluation)
        .first()
    )
    if group is None:
        raise NotFound(gettext("没有这个评议主体。"))
    return group


# --- building ----------------------------------------------------------------------------------


@router.get("/{code}/evaluations/presets", response=list[PresetOut], summary="现成的评价标准")
def presets(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    return [{"key": k, "name": str(name), "rubric": rubric} for k, (name, rubric) in PRESETS.items()]


@router.get("/{code}/evaluations", response=list[EvaluationOut], summary="评议列表")
def list_evaluations(request: HttpRequest, code: str) -> object:
    return selectors.evaluations_visible_to(actor_of(request), school_or_404(code))


@router.post("/{code}/evaluations", response={201: EvaluationDetailOut}, summary="新建评议")
def create_evaluation(request: HttpRequest, code: str, payload: EvaluationIn) -> Status[Evaluation]:
    evaluation = services.create_evaluation(
        actor=actor_of(request), school=school_or_404(code), **payload.dict()
    )
    return Status(201, evaluation)


@router.get(ONE, response=EvaluationDetailOut, summary="评议详情（含计票规则）")
def get_evaluation(request: HttpRequest, code: str, pk: int) -> Evaluation:
    return _evaluation(request, code, pk)[0]


@router.post(ONE + "/subjects", response={201: list[SubjectOut]}, summary="添加评议对象（从名册或逐个）")
def add_subjects(request: HttpRequest, code: str, pk: int, payload: SubjectsIn) -> Status[list[Any]]:
    evaluation, actor = _evaluation(request, code, pk)
    specs = [
        services.SubjectSpec(
            kind=evaluation.subject_type,
            object_id=s.object_id,
            name=s.name,
            has_project=s.has_project,
            not_rated=s.not_rated,
            conflicted_user_ids=tuple(s.conflicted_user_ids),
        )
        for s in payload.subjects
    ]
    if payload.from_roster:
        school_class = _in_school(SchoolClass, payload.school_class_id, evaluation)
        specs = services.roster_subjects(evaluation, school_class=school_class) + specs
    return Status(201, services.add_subjects(actor=actor, evaluation=evaluation, specs=specs))


@router.put(ONE + "/rubric", response=EvaluationDetailOut, summary="修改评价标准（投票开始前）")
def update_rubric(request: HttpRequest, code: str, pk: int, payload: RubricIn) -> Evaluation:
    evaluation, actor = _evaluation(request, code, pk)
    return services.update_rubric(actor=actor, evaluation=evaluation, rubric=payload.dict())


@router.delete(ONE + "/subjects/{subject_id}", response={204: None}, summary="移除评议对象（投票开始前）")
def remove_subject(request: HttpRequest, code: str, pk: int, subject_id: int) -> Status[None]:
    evaluation, actor = _evaluation(request, code, pk)
    subject = evaluation.subjects.filter(pk=subject_id).first()
    if subject is None:
        raise NotFound(gettext("没有这个评议对象。"))
    services.remove_subject(actor=actor, subject=subject)
    return Status(204, None)


@router.delete(ONE + "/groups/{group_id}", response={204: None}, summary="移除评议主体（投票开始前）")
def remove_group(request: HttpRequest, code: str, pk: int, group_id: int) -> Status[None]:
    evaluation, actor = _evaluation(request, code, pk)
    services.remove_group(actor=actor, group=_group(evaluation, group_id))
    return Status(204, None)


@router.post(ONE + "/groups", response={201: GroupOut}, summary="添加评议主体")
def add_group(request: HttpRequest, code: str, pk: int, payload: GroupIn) -> Status[RaterGroup]:
    evaluation, actor = _evaluation(request, code, pk)
    group = services.add_group(
        actor=actor,
        evaluation=evaluation,
        kind=payload.kind,
        name=payload.name,
        source=payload.source,
        weight=payload.weight,
        role=payload.role,
        school_class=_in_school(SchoolClass, payload.school_class_id, evaluation),
        party_branch=_in_school(PartyBranch, payload.party_branch_id, evaluation),
    )
    return Status(201, group)


@router.post(
    ONE + "/groups/{group_id}/codes", response={201: CodesOut}, summary="生成一次性投票码（只返回这一次）"
)
def issue_codes(
    request: HttpRequest, code: str, pk: int, group_id: int, payload: CodesIn
) -> Status[dict[str, Any]]:
    evaluation, actor = _evaluation(request, code, pk)
    group = _group(evaluation, group_id)
    codes = services.issue_codes(actor=actor, group=group, count=payload.count)
    pdf = documents.qr_slips_pdf(evaluation, group.name, codes)
    return Status(
        201,
        {
            "codes": codes,
            "ballot_urls": [documents.ballot_url(evaluation, c) for c in codes],
            "slips_pdf_base64": base64.b64encode(pdf).decode(),
        },
    )


@router.post(
    ONE + "/open",
    response=OpenedOut,
    summary="开始投票（冻结标准、生成名单；可设监督小组口令）",
    description="给出 passphrase（监督小组口令，至少 8 个字符）时，选票加锁：截止时须提供口令或恢复码。"
    "恢复码只在这次应答的 recovery_code 中出现一次，系统不保存。",
)
def open_voting(
    request: HttpRequest, response: HttpResponse, code: str, pk: int, payload: OpenIn | None = None
) -> Any:
    evaluation, actor = _evaluation(request, code, pk)
    if payload is None or not payload.passphrase:
        return services.open_voting(actor=actor, evaluation=evaluation)
    opening = services.open_voting_with_passphrase(
        actor=actor, evaluation=evaluation, passphrase=payload.passphrase
    )
    response["Cache-Control"] = "no-store"
    return _Opened(opening.evaluation, opening.recovery_code)


class _Opened:
    """An evaluation just opened, with its recovery code beside it for OpenedOut (never on the model)."""

    def __init__(self, evaluation: Evaluation, recovery_code: str) -> None:
        self._evaluation = evaluation
        self.recovery_code = recovery_code

    def __getattr__(self, name: str) -> Any:
        return getattr(self._evaluation, name)


@router.post(
    ONE + "/close",
    response=EvaluationDetailOut,
    summary="截止投票",
    description="开始投票时设了监督小组口令的，须给出 passphrase 或 recovery_code（二选一）；"
    "不对时返回 422，什么也不改。",
)
def close_voting(request: HttpRequest, code: str, pk: int, payload: CloseIn | None = None) -> Evaluation:
    evaluation, actor = _evaluation(request, code, pk)
    return services.close_voting(
        actor=actor,
        evaluation=evaluation,
        passphrase=payload.passphrase if payload else "",
        recovery_code=payload.recovery_code if payload else "",
    )


@router.post(ONE + "/publish", response=EvaluationDetailOut, summary="计票并公布")
def publish(request: HttpRequest, code: str, pk: int) -> Evaluation:
    evaluation, actor = _evaluation(request, code, pk)
    return services.publish(actor=actor, evaluation=evaluation)


@router.get(ONE + "/turnout", response=list[TurnoutOut], summary="投票进度（只有参与率）")
def turnout(request: HttpRequest, code: str, pk: int) -> list[selectors.Turnout]:
    return selectors.turnout(_evaluation(request, code, pk)[0])


# --- voting ------------------------------------------------------------------------------------


@router.post(ONE + "/groups/{group_id}/ballot", response={201: ReceiptOut}, summary="投票（账号）")
def cast_ballot(
    request: HttpRequest, code: str, pk: int, group_id: int, payload: BallotIn
) -> Status[dict[str, str]]:
    actor = actor_of(request)
    entitlement = (
        Entitlement.objects.filter(evaluation_id=pk, group_id=group_id, user=actor.user, school__code=code)
        .select_related("group")
        .first()
    )
    if entitlement is None:
        raise NotAllowed(gettext("您不在这项评议的投票名单中。"))
    receipt = services.cast_ballot(
        actor=actor, entitlement=entitlement, marks=payload.marks, accept_void=payload.accept_void
    )
    return Status(201, {"receipt": services.format_receipt(receipt)})


@router.post(
    "/{code}/evaluations/code-ballot",
    response={201: ReceiptOut},
    auth=None,
    summary="凭投票码投票（无需登录；每个地址每分钟有次数限制，超出返回 429）",
)
def cast_code_ballot(request: HttpRequest, code: str, payload: CodeBallotIn) -> Status[dict[str, str]]:
    throttle.check_code_ballot(client_ip(request))
    school = school_or_404(code)
    entitlement = services.entitlement_for_code(payload.code)
    if entitlement.evaluation.school_id != school.pk:
        raise NotFound(gettext("投票码无效。"))
    receipt = services.cast_ballot(
        actor=Actor(user=None),
        entitlement=entitlement,
        marks=payload.marks,
        code=payload.code,
        address=client_ip(request),
        accept_void=payload.accept_void,
    )
    return Status(201, {"receipt": services.format_receipt(receipt)})


@router.post(
    ONE + "/receipt",
    response=CountedOut,
    auth=None,
    summary="回执查验（不显示选票内容；每个地址每分钟有次数限制，超出返回 429）",
)
def check_receipt(request: HttpRequest, code: str, pk: int, payload: ReceiptCheckIn) -> dict[str, bool]:
    throttle.check_receipt(client_ip(request))
    evaluation = selectors.public_evaluation(school_or_404(code), pk)
    return {"counted": services.receipt_counted(evaluation, payload.receipt)}


# --- paper ballots -----------------------------------------------------------------------------


@router.post(ONE + "/paper", response={201: PaperOut}, summary="录入纸质票（两人各录入一次）")
def enter_paper(request: HttpRequest, code: str, pk: int, payload: PaperIn) -> Status[PaperEntry]:
    evaluation, actor = _evaluation(request, code, pk)
    entry = services.enter_paper(
        actor=actor,
        group=_group(evaluation, payload.group_id),
        issued=payload.issued,
        returned=payload.returned,
        void=payload.void,
        blank=payload.blank,
        tallies=payload.tallies,
    )
    return Status(201, entry)


@router.get(ONE + "/paper", response=list[PaperOut], summary="纸质票录入情况")
def list_paper(request: HttpRequest, code: str, pk: int) -> list[PaperEntry]:
    evaluation = _evaluation(request, code, pk)[0]
    return list(evaluation.paper_entries.order_by("group_id", "round"))


@router.delete(ONE + "/paper/{entry_id}", response={204: None}, summary="撤回一次纸质票录入")
def withdraw_paper(request: HttpRequest, code: str, pk: int, entry_id: int) -> Status[None]:
    evaluation, actor = _evaluation(request, code, pk)
    entry = evaluation.paper_entries.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(gettext("没有这次录入。"))
    services.withdraw_paper(actor=actor, entry=entry)
    return Status(204, None)


# --- results -----------------------------------------------------------------------------------


@router.get(
    "/{code}/evaluations/{int:pk}/result",
    response=dict[str, Any],
    auth=signed_in_or_anyone(),
    summary="公布的评议结果",
    description="公开的结果人人可读；其余按结果的公开范围：领导小组等读全部，全校教职工或本人读其可见的部分。",
    # {} says in OpenAPI that signing in is optional here
    openapi_extra={"security": [{"TokenAuth": []}, {"SessionAuth": []}, {}]},
)
def result(request: HttpRequest, code: str, pk: int) -> dict[str, Any]:
    school, actor = school_or_404(code), actor_of(request)
    if actor.user is None:
        return dict(selectors.public_result(school, pk).result or {})
    evaluation = selectors.public_evaluation(school, pk)
    rows = selectors.result_rows_for(actor, evaluation)
    return {**(evaluation.result or {}), "subjects": rows}


@router.get(
    ONE + "/benchmark/{int:subject_id}",
    response=ResultBenchmarkOut,
    summary="对标定位（与先进对象逐项比较）",
    description="与结果页相同的规则：须能读全部结果。vs 为对标对象的编号，缺省为第一名。",
)
def benchmark(
    request: HttpRequest, code: str, pk: int, subject_id: int, vs: str | None = None
) -> dict[str, Any]:
    evaluation, actor = _evaluation(request, code, pk)
    return explanation.benchmark_for(actor, evaluation, str(subject_id), vs)


# --- the count anyone can check (the result page's 核查计票) ------------------------------------------

COUNT_AUTH: dict[str, Any] = {
    "auth": signed_in_or_anyone(),
    "openapi_extra": {"security": [{"TokenAuth": []}, {"SessionAuth": []}, {}]},
}
COUNT_RULE = "与结果页相同：公开的结果无需登录；其余须能读全部结果（领导小组等，或按公开范围的全校教职工）。"


def _count_files(request: HttpRequest, code: str, pk: int) -> tuple[Evaluation, proof.CountFiles]:
    """The published count's files, to whoever the result page offers them (the same selectors)."""
    school, actor = school_or_404(code), actor_of(request)
    if actor.user is None:
        return selectors.public_count_files(school, pk)
    evaluation = selectors.public_evaluation(school, pk)
    return evaluation, selectors.count_files(actor, evaluation)


@router.get(
    ONE + "/count",
    response=CountOut,
    summary="核查计票：各评议主体的票数、规则与摘要",
    description=COUNT_RULE,
    **COUNT_AUTH,
)
def count(request: HttpRequest, code: str, pk: int) -> dict[str, Any]:
    evaluation, files = _count_files(request, code, pk)
    return {
        "ballot_count": files.ballot_count,
        "ballots_sha256": files.ballots_sha256,
        "csv_sha256": files.csv_sha256,
        "published_sha256": files.published_sha256,
        "public_key": files.public_key,
        "fingerprint": files.fingerprint,
        "groups": files.groups,
        "rubric": evaluation.rubric_in_force,
        "rules": files.rules.to_json(),
    }


def _count_file(request: HttpRequest, code: str, pk: int, kind: str) -> HttpResponse:
    evaluation, files = _count_files(request, code, pk)
    response = HttpResponse(files.content(kind), content_type=proof.FILE_KINDS[kind][1])
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(proof.file_name(evaluation, kind))}"
    )
    return response


@router.get(
    ONE + "/count/ballots.json", summary="核查计票：选票文件（JSON）", description=COUNT_RULE, **COUNT_AUTH
)
def count_ballots_json(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _count_file(request, code, pk, "ballots_json")


@router.get(
    ONE + "/count/ballots.csv", summary="核查计票：选票文件（CSV）", description=COUNT_RULE, **COUNT_AUTH
)
def count_ballots_csv(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _count_file(request, code, pk, "ballots_csv")


@router.get(
    ONE + "/count/result.json",
    summary="核查计票：学校签名的计票结果（JSON）",
    description=COUNT_RULE,
    **COUNT_AUTH,
)
def count_result_json(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _count_file(request, code, pk, "result_json")


@router.post(ONE + "/recount", response=RecountOut, summary="从原始选票重新计票（监督小组）")
def recount(request: HttpRequest, code: str, pk: int) -> dict[str, Any]:
    evaluation, actor = _evaluation(request, code, pk)
    outcome = services.recount(actor=actor, evaluation=evaluation)
    return {"matches": outcome.matches, "differences": outcome.differences, "result": outcome.result}


@router.get(ONE + "/ballots", response=list[BallotRowOut], summary="匿名选票明细（监督小组，截止后）")
def ballots(request: HttpRequest, code: str, pk: int) -> list[dict[str, Any]]:
    evaluation, actor = _evaluation(request, code, pk)
    return [
        {"id": str(b.id), "group": b.group.name, "day": b.day, "content": b.content}
        for b in selectors.ballot_table(actor, evaluation)
    ]


@router.get(ONE + "/ballots.xlsx", summary="匿名选票明细 .xlsx（监督小组，截止后）")
def ballots_xlsx(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    evaluation, actor = _evaluation(request, code, pk)
    rows = selectors.ballot_table(actor, evaluation)
    content = documents.ballot_table_xlsx(evaluation, evaluation.subjects.all(), rows.iterator())
    return HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@router.get(ONE + "/flags", response=dict[str, Any], summary="评委可靠性提示（监督小组）")
def flags(request: HttpRequest, code: str, pk: int) -> dict[str, Any]:
    evaluation, actor = _evaluation(request, code, pk)
    return selectors.reliability_flags(actor, evaluation)


# --- uses built on the engine --------------------------------------------------------------------


def _of_school(model: Any, pk: int, code: str) -> Any:
    found = model.objects.select_related("school").filter(pk=pk, school__code=code).first()
    if found is None:
        raise NotFound(gettext("本校没有这一项。"))
    return found


@router.post(
    "/{code}/evaluations/uses/project-review", response={201: EvaluationDetailOut}, summary="创新项目评审评分"
)
def create_project_review(request: HttpRequest, code: str, payload: ProjectReviewIn) -> Status[Evaluation]:
    evaluation = review.create_project_review(
        actor=actor_of(request),
        call=_of_school(Call, payload.call_id, code),
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
    )
    return Status(201, evaluation)


@router.post("/{code}/evaluations/uses/commitments", response={201: EvaluationDetailOut}, summary="评诺")
def create_commitment_appraisal(
    request: HttpRequest, code: str, payload: CommitmentAppraisalIn
) -> Status[Evaluation]:
    evaluation = appraisal.create_commitment_appraisal(
        actor=actor_of(request),
        campaign=_of_school(Campaign, payload.campaign_id, code),
        branch=_of_school(PartyBranch, payload.branch_id, code),
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        members_weight=payload.members_weight,
        public_weight=payload.public_weight,
        organization_weight=payload.organization_weight,
    )
    return Status(201, evaluation)


@router.post(
    "/{code}/evaluations/uses/preset/{kind}",
    response={201: EvaluationDetailOut},
    summary="一键建立：师德标兵 / 五星级",
)
def create_preset(request: HttpRequest, code: str, kind: str, payload: WindowIn) -> Status[Evaluation]:
    builders = {"teacher-merit": preset_uses.create_teacher_merit, "five-star": preset_uses.create_five_star}
    build = builders.get(kind)
    if build is None:
        raise NotFound(gettext("没有这个现成评议。"))
    evaluation = build(
        actor=actor_of(request),
        school=school_or_404(code),
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
    )
    return Status(201, evaluation)


@router.post("/{code}/evaluations/uses/quality", response={201: EvaluationDetailOut}, summary="综合素质评价")
def create_quality(request: HttpRequest, code: str, payload: QualityIn) -> Status[Evaluation]:
    school_class = _of_school(SchoolClass, payload.school_class_id, code)
    evaluation = quality.create_quality_evaluation(
        actor=actor_of(request),
        school_class=school_class,
        term=payload.term,
        teachers=list(Staff.objects.filter(pk__in=payload.teacher_ids, school=school_class.school)),
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
    )
    return Status(201, evaluation)


@router.get(ONE + "/project-outcomes", response=list[ProjectOutcomeOut], summary="评审排名与资助建议")
def project_outcomes(request: HttpRequest, code: str, pk: int) -> list[dict[str, Any]]:
    evaluation, actor = _evaluation(request, code, pk)
    require(can_manage_evaluation(actor, evaluation.school), services.MANAGE_MESSAGE)
    return [
        {
            "proposal_id": o.proposal.pk,
            "title": o.proposal.title,
            "status": o.proposal.status,
            "rank": o.rank,
            "total": o.total,
            "suggest_funded": o.suggest_funded,
            "suggest_amount": o.suggest_amount,
        }
        for o in review.project_outcomes(evaluation)
    ]


@router.post(
    ONE + "/project-outcomes", response=list[ProjectOutcomeOut], summary="确认资助决定并记入创新项目"
)
def record_project_outcomes(
    request: HttpRequest, code: str, pk: int, payload: ProjectDecisionsIn
) -> list[dict[str, Any]]:
    evaluation, actor = _evaluation(request, code, pk)
    review.record_project_outcomes(
        actor=actor,
        evaluation=evaluation,
        decisions=[review.ProjectDecision(d.proposal_id, d.funded, d.amount) for d in payload.decisions],
        reason=payload.reason,
    )
    return project_outcomes(request, code, pk)


def _my_portfolio(request: HttpRequest, code: str, pk: int) -> tuple[Portfolio, Actor]:
    actor = actor_of(request)
    found = Portfolio.objects.filter(
        evaluation_id=pk, school__code=code, student_id=actor.own_student_id or 0
    ).first()
    if found is None:
        raise NotAllowed(gettext("写实记录须由学生本人填写和签名，老师和家长不能代写。"))
    return found, actor


@router.get(ONE + "/portfolio", response=PortfolioOut, summary="我的写实记录（学生本人）")
def get_portfolio(request: HttpRequest, code: str, pk: int) -> Portfolio:
    return _my_portfolio(request, code, pk)[0]


@router.put(ONE + "/portfolio", response=PortfolioOut, summary="填写写实记录（学生本人）")
def write_portfolio(request: HttpRequest, code: str, pk: int, payload: PortfolioIn) -> Portfolio:
    found, actor = _my_portfolio(request, code, pk)
    return quality.write_portfolio(actor=actor, portfolio=found, entries=payload.entries)


@router.post(ONE + "/portfolio/sign", response=PortfolioOut, summary="签名确认写实记录（学生本人）")
def sign_portfolio(request: HttpRequest, code: str, pk: int, payload: SignatureIn) -> Portfolio:
    found, actor = _my_portfolio(request, code, pk)
    return quality.sign_portfolio(actor=actor, portfolio=found, signature=payload.signature)
