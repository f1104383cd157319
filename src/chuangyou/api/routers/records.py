"""The participation record (参与档案) of a student, a teacher, or a class."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.api.schemas.records import ClassRecordOut, LineOut, RecordOut
from chuangyou.org.models import SchoolClass, Staff
from chuangyou.records import selectors
from chuangyou.records.selectors import PersonRecord

router = Router(tags=["参与档案"])


def _out(record: PersonRecord) -> RecordOut:
    lines = [LineOut(**vars(line)) for section in record.sections.values() for line in section]
    return RecordOut(name=record.name, subtitle=record.subtitle, hours=record.hours, lines=lines)


@router.get("/{code}/records/students/{student_id}", response=RecordOut, summary="学生参与档案")
def student_record(request: HttpRequest, code: str, student_id: int) -> RecordOut:
    school = school_or_404(code)
    student = selectors.student_in_school(school.pk, student_id)
    return _out(selectors.record_for_student(actor_of(request), student))


@router.get("/{code}/records/staff/{staff_id}", response=RecordOut, summary="教师参与档案")
def staff_record(request: HttpRequest, code: str, staff_id: int) -> RecordOut:
    school = school_or_404(code)
    staff = get_object_or_404(Staff, pk=staff_id, school=school)
    return _out(selectors.record_for_staff(actor_of(request), staff))


@router.get("/{code}/records/classes/{class_id}", response=list[ClassRecordOut], summary="班级参与档案")
def class_record(request: HttpRequest, code: str, class_id: int) -> list[ClassRecordOut]:
    school = school_or_404(code)
    school_class = get_object_or_404(
        SchoolClass.objects.select_related("grade", "school"), pk=class_id, school=school
    )
    return [
        ClassRecordOut(student_id=s.pk, student_no=s.student_no, record=_out(r))
        for s, r in selectors.records_for_class(actor_of(request), school_class)
    ]
