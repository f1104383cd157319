"""统计与文稿: a campaign's figures, and asking for its 总结 (written in the background)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.lib.errors import NotFound
from chuangyou.reports import selectors, services
from chuangyou.reports.models import Document

router = Router(tags=["统计与文稿"])


class ClassOut(Schema):
    class_id: int
    name: str
    students: int
    taking_part: int
    practice_expected: int
    practice_submitted: int
    practice_on_time: int
    hours: Decimal


class FactsOut(Schema):
    school: str
    year: int
    as_of: dt.datetime
    activities_published: int
    activities_held: int
    students_taking_part: int
    students_total: int
    staff_taking_part: int
    staff_total: int
    person_times: int
    practice_sets: int
    practice_expected: int
    practice_on_time: int
    volunteer_hours: Decimal
    commitment_items: int
    commitments_fulfilled: int
    commitments_overdue: int
    evaluations_held: int
    evaluation_entitled: int
    evaluation_returned: int
    photos: int
    tasks_overdue: int
    classes: list[ClassOut]


class DocumentOut(Schema):
    id: int
    kind: str
    title: str
    state: str
    created_at: dt.datetime


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
        classes=[ClassOut(**vars(line)) for line in f.classes],
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


class PersonalOut(Schema):
    name: str
    class_name: str
    activities: list[str]
    hours: Decimal
    practice_expected: int
    practice_on_time: int
    honors: list[str]


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
