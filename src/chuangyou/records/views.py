from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from chuangyou.org.models import SchoolClass, Staff
from chuangyou.records import selectors
from chuangyou.records.exports import records_workbook
from chuangyou.records.lines import SECTIONS
from chuangyou.web import actor_of, school_by_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def student(request: HttpRequest, code: str, student_id: int) -> HttpResponse:
    school = school_by_code(code)
    person = selectors.student_in_school(school.pk, student_id)
    record = selectors.record_for_student(actor_of(request), person)
    if request.GET.get("format") == "xlsx":
        return _xlsx(records_workbook([record], title=person.name), f"{person.name}参与档案.xlsx")
    return render(request, "records/person.html", {"school": school, "record": record, "student": person})


@login_required
def staff(request: HttpRequest, code: str, staff_id: int) -> HttpResponse:
    school = school_by_code(code)
    person = get_object_or_404(Staff, pk=staff_id, school=school)
    record = selectors.record_for_staff(actor_of(request), person)
    if request.GET.get("format") == "xlsx":
        return _xlsx(records_workbook([record], title=person.name), f"{person.name}参与档案.xlsx")
    return render(request, "records/person.html", {"school": school, "record": record, "staff": person})


@login_required
def school_class(request: HttpRequest, code: str, class_id: int) -> HttpResponse:
    school = school_by_code(code)
    cls = get_object_or_404(SchoolClass.objects.select_related("grade", "school"), pk=class_id, school=school)
    rows = selectors.records_for_class(actor_of(request), cls)
    if request.GET.get("format") == "xlsx":
        return _xlsx(records_workbook([r for _, r in rows], title=str(cls)), f"{cls}参与档案.xlsx")
    return render(
        request,
        "records/class.html",
        {"school": school, "school_class": cls, "rows": rows, "sections": SECTIONS},
    )
