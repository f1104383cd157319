"""统计与文稿: a campaign's figures, and asking for its 总结 (written in the background)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from ninja import Router
from ninja.responses import Status

from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.api.schemas.reports import (
    BriefingIn,
    BriefingOut,
    ClassStatsOut,
    DocumentOut,
    FactsOut,
    PersonalOut,
)
from chuangyou.lib.errors import NotFound
from chuangyou.reports import selectors, services
from chuangyou.reports.models import Briefing, Document

router = Router(tags=["统计与文稿"])


@router.get("/{code}/reports/{year}/facts", response=FactsOut, summary="活动统计数据")
def facts(request: HttpRequest, code: str, year: int) -> FactsOut:
    actor = actor_of(request)
    school = school_or_404(code)
    campaign = selectors.campaign_of(actor, school, year)
    if campaign is None:
        raise NotFound("没有这个年度的活动方案。")
    f = selectors.school_facts(actor, campaign)
    a = f.activities
    return FactsOut(
        school=f.school_name,
        year=f.year,
        as_of=f.as_of,
        activities_published=a.published,
        activities_held=a.held,
        students_taking_part=a.students.part,
        students_total=a.students.whole,
        staff_taking_part=a.staff.part,
        staff_total=a.staff.whole,
        person_times=a.person_times,
        practice_sets=f.practice.sets,
        practice_expected=f.practice.expected,
        practice_on_time=f.practice.on_time,
        volunteer_hours=f.volunteering.hours,
        commitment_items=f.commitments.items,
        commitments_fulfilled=f.commitments.fulfilled,
        commitments_overdue=f.commitments.overdue,
        evaluations_held=f.evaluations.held,
        evaluation_entitled=f.evaluations.entitled,
        evaluation_returned=f.evaluations.returned,
        photos=a.photos,
        tasks_overdue=f.assignments.overdue,
        classes=[ClassStatsOut(**vars(line)) for line in f.classes],
    )


@router.post("/{code}/reports/{year}/summary", response={201: DocumentOut}, summary="生成活动总结")
def request_summary(request: HttpRequest, code: str, year: int) -> Status[Document]:
    actor = actor_of(request)
    school = school_or_404(code)
    campaign = selectors.campaign_of(actor, school, year)
    if campaign is None:
        raise NotFound("没有这个年度的活动方案。")
    return Status(201, services.request_summary(actor=actor, campaign=campaign))


@router.get("/{code}/reports/documents", response=list[DocumentOut], summary="文稿列表")
def documents(request: HttpRequest, code: str) -> list[Document]:
    return list(selectors.documents_of(actor_of(request), school_or_404(code))[:100])


@router.get("/{code}/reports/documents/{document_id}.docx", response={200: None}, summary="下载文稿（Word）")
def download_docx(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    return _download(request, code, document_id, "docx")


@router.get("/{code}/reports/documents/{document_id}.pdf", response={200: None}, summary="下载文稿（PDF）")
def download_pdf(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    return _download(request, code, document_id, "pdf")


def _download(request: HttpRequest, code: str, document_id: int, fmt: str) -> FileResponse:
    document, field = selectors.document_file(actor_of(request), school_or_404(code), document_id, fmt)
    return FileResponse(field.open("rb"), as_attachment=True, filename=f"{document.title}.{fmt}")


@router.post(
    "/{code}/reports/briefings", response={201: BriefingOut}, summary="编发简报（后台生成 Word 与 PDF）"
)
def request_briefing(request: HttpRequest, code: str, body: BriefingIn) -> Status[Briefing]:
    school = school_or_404(code)
    briefing = services.request_briefing(
        actor=actor_of(request),
        school=school,
        title=body.title.strip(),
        issuer=school.name,
        period_start=body.period_start,
        period_end=body.period_end,
        is_supplement=body.is_supplement,
        distribution={"报": body.to_report, "送": body.to_send, "发": body.to_issue},
    )
    return Status(201, briefing)


@router.get("/{code}/reports/briefings", response=list[BriefingOut], summary="简报列表")
def briefings(request: HttpRequest, code: str) -> list[Briefing]:
    return list(selectors.briefings_of(actor_of(request), school_or_404(code))[:100])


@router.get("/{code}/reports/students/{student_id}", response=PersonalOut, summary="学生个人活动小结")
def personal(request: HttpRequest, code: str, student_id: int, year: int | None = None) -> PersonalOut:
    f = selectors.personal_summary(actor_of(request), school_or_404(code), student_id, year)
    if f is None:
        raise NotFound("没有活动方案。")
    return PersonalOut(
        name=f.name,
        class_name=f.class_name,
        activities=[a.title for a in f.activities],
        hours=f.hours,
        practice_expected=f.practice.expected,
        practice_on_time=f.practice.on_time,
        honors=[h.name for h in f.honors],
    )
