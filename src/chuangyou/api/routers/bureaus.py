"""Bureau-scoped operations, at /api/v1/bureaus/{code}/…: a bureau's view across its schools, its 总结,
and the nominations its schools sent up. The same selectors, services and checks as the bureau's pages."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router
from ninja.responses import Status

from chuangyou.accounts import services as account_services
from chuangyou.accounts.models import User
from chuangyou.api.routers.common import actor_of
from chuangyou.api.schemas.bureaus import (
    BenchmarkOut,
    BureauDecisionIn,
    BureauDocumentOut,
    BureauNominationOut,
    ComparedOut,
    ComparisonOut,
    CriterionOut,
    RankedOut,
    RankingOut,
    SchoolOut,
    StarBandOut,
)
from chuangyou.api.schemas.people import PasswordOut
from chuangyou.campaigns.models import Campaign
from chuangyou.lib.errors import Invalid, NotFound
from chuangyou.nominations import services as nominations_services
from chuangyou.nominations.models import Nomination
from chuangyou.org.rules import Actor
from chuangyou.org.selectors import bureau_by_code
from chuangyou.reports import bureau as across
from chuangyou.reports import selectors, services
from chuangyou.reports.facts import facts_for
from chuangyou.reports.figures import SchoolFacts
from chuangyou.reports.models import Document

router = Router(tags=["教育局"])


def _facts(actor: Actor, code: str, year: int) -> tuple[list[Campaign], list[SchoolFacts]]:
    campaigns = selectors.bureau_campaigns(actor, bureau_by_code(code), year)
    return campaigns, list(facts_for(campaigns).values())


def _codes(campaigns: list[Campaign]) -> dict[int, str]:
    return {c.school_id: c.school.code for c in campaigns}


def _school_out(f: SchoolFacts, code: str) -> SchoolOut:
    a, c, e = f.activities, f.commitments, f.evaluations
    return SchoolOut(
        code=code,
        name=f.school_name,
        phases_done=f.phases_done,
        phases=len(f.phases),
        current_phase=f.current_phase,
        students_taking_part=a.students.part,
        students_total=a.students.whole,
        students_share=a.students.percent,
        staff_share=a.staff.percent,
        activities_held=a.held,
        practice_on_time_rate=f.practice.on_time_rate,
        volunteer_hours=f.volunteering.hours,
        commitments=c.commitments,
        commitments_filed=c.filed,
        commitment_items=c.items,
        commitments_fulfilled=c.fulfilled,
        fulfilment_rate=c.fulfilment_rate,
        evaluation_turnout=e.turnout,
        branches_rated=e.branches_rated,
        stars=[StarBandOut(stars=s.stars, count=s.count, share=s.share, target=s.target) for s in e.stars],
        nominations=f.honors.nominations,
        honors=f.honors.total,
        prize_money=f.honors.prize_money,
        budget_planned=f.budget.planned,
        budget_granted=f.budget.granted,
    )


@router.get("/{code}/{year}/schools", response=list[SchoolOut], summary="各校创先争优情况（并列）")
def schools(request: HttpRequest, code: str, year: int) -> list[SchoolOut]:
    campaigns, facts = _facts(actor_of(request), code, year)
    codes = _codes(campaigns)
    return [_school_out(f, codes[f.school_id]) for f in facts]


@router.get("/{code}/{year}/ranking", response=RankingOut, summary="各校排名（可按任一列排序）")
def ranking(request: HttpRequest, code: str, year: int, sort: str = "") -> RankingOut:
    """`sort` names a column (see `columns`); highest first. Without one, schools are in name order."""
    campaigns, facts = _facts(actor_of(request), code, year)
    if sort and sort not in across.COLUMN_KEYS:
        raise Invalid("没有这一列。", {"sort": [f"可选：{'、'.join(c.key for c in across.COLUMNS)}"]})
    codes = _codes(campaigns)
    column = next((c for c in across.COLUMNS if c.key == sort), None)
    rows = []
    for place, f in enumerate(across.ranking(facts, sort), start=1):
        ranked = column is not None and column.value(f) is not None
        rows.append(
            RankedOut(
                rank=place if ranked else None,
                code=codes[f.school_id],
                name=f.school_name,
                values={c.key: c.value(f) for c in across.COLUMNS},
            )
        )
    return RankingOut(sort=sort, columns={c.key: c.title for c in across.COLUMNS}, rows=rows)


def _chosen(
    campaigns: list[Campaign], facts: list[SchoolFacts], school_codes: list[str]
) -> list[SchoolFacts]:
    codes = _codes(campaigns)
    by_code = {codes[f.school_id]: f for f in facts}
    missing = [c for c in school_codes if c not in by_code]
    if missing:
        raise NotFound(f"本局本年度没有这所学校的活动方案：{'、'.join(missing)}。")
    return [by_code[c] for c in school_codes]


@router.get("/{code}/{year}/comparison", response=ComparisonOut, summary="两校对比")
def comparison(request: HttpRequest, code: str, year: int, school: Query[list[str]]) -> ComparisonOut:
    campaigns, facts = _facts(actor_of(request), code, year)
    if len(school) != 2:
        raise Invalid("请选择两所学校对比。", {"school": ["须两所。"]})
    chosen = _chosen(campaigns, facts, school)
    return ComparisonOut(
        schools=[f.school_name for f in chosen],
        rows=[
            ComparedOut(key=c.key, title=c.title, values=[c.value(f) for f in chosen]) for c in across.COLUMNS
        ],
    )


@router.get(
    "/{code}/{year}/schools/{school_code}/benchmark",
    response=BenchmarkOut,
    summary="对标定位：一所学校与标杆学校",
)
def benchmark(request: HttpRequest, code: str, year: int, school_code: str) -> BenchmarkOut:
    campaigns, facts = _facts(actor_of(request), code, year)
    (chosen,) = _chosen(campaigns, facts, [school_code])
    bench = across.benchmark(facts, across.criterion_means(campaigns), chosen.school_id)
    if bench is None:
        raise NotFound("还没有公布的党支部评议结果，无法对标。")
    return BenchmarkOut(
        school=chosen.school_name,
        exemplar=bench.exemplar_name,
        criteria=[
            CriterionOut(key=k, school=own, exemplar=best)
            for k, own, best in zip(bench.criteria, bench.school, bench.exemplar, strict=True)
        ],
    )


@router.post(
    "/{code}/{year}/summary", response={201: BureauDocumentOut}, summary="生成教育局活动总结（后台）"
)
def request_summary(request: HttpRequest, code: str, year: int) -> Status[Document]:
    document = services.request_bureau_summary(
        actor=actor_of(request), bureau=bureau_by_code(code), year=year
    )
    return Status(201, document)


@router.get("/{code}/documents", response=list[BureauDocumentOut], summary="教育局文稿列表")
def documents(request: HttpRequest, code: str) -> list[Document]:
    return list(selectors.bureau_documents(actor_of(request), bureau_by_code(code))[:100])


@router.get("/{code}/documents/{document_id}.docx", response={200: None}, summary="下载教育局文稿（Word）")
def download(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    document = selectors.bureau_document(actor_of(request), bureau_by_code(code), document_id)
    return FileResponse(document.docx.open("rb"), as_attachment=True, filename=f"{document.title}.docx")


def _nomination_out(n: Nomination) -> BureauNominationOut:
    return BureauNominationOut(
        id=n.pk,
        school=n.school.code,
        award=n.award_type.name,
        nominee_name=n.nominee_name,
        unit=n.unit,
        level=n.level,
        status=n.status,
    )


@router.get("/{code}/nominations", response=list[BureauNominationOut], summary="各校报送教育局的推荐")
def nominations(request: HttpRequest, code: str) -> list[BureauNominationOut]:
    rows = selectors.bureau_nominations(actor_of(request), bureau_by_code(code))[:500]
    return [_nomination_out(n) for n in rows]


@router.post(
    "/{code}/nominations/{nomination_id}/decision",
    response=BureauNominationOut,
    summary="教育局评定：入选或不予推荐",
)
def decide(
    request: HttpRequest, code: str, nomination_id: int, body: BureauDecisionIn
) -> BureauNominationOut:
    actor = actor_of(request)
    found = selectors.bureau_nominations(actor, bureau_by_code(code)).filter(pk=nomination_id).first()
    if found is None:
        raise NotFound("没有这条推荐。")
    if body.decision not in ("select", "decline"):
        raise Invalid("请选择入选或不予推荐。", {"decision": ["select 或 decline。"]})
    decide_by = nominations_services.select if body.decision == "select" else nominations_services.decline
    decide_by(actor=actor, nomination=found, reason=body.reason)
    found.refresh_from_db()
    return _nomination_out(found)


@router.post(
    "/{code}/accounts/{user_id}/reset-password",
    response=PasswordOut,
    summary="重置本局或所属学校账号的密码（兼任多校或教育局职务的账号由教育局重置）",
)
def reset_password(request: HttpRequest, code: str, user_id: int) -> PasswordOut:
    bureau = bureau_by_code(code)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(gettext("本局及所属学校没有这个账号。"))
    password = account_services.reset_password_by_bureau(actor=actor_of(request), bureau=bureau, user=user)
    return PasswordOut(password=password)
