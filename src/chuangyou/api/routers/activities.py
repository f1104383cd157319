"""Activities, sign-up, results, external awards, evidence and the calendar. Same services and checks
as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from chuangyou.activities import rules, selectors, services, xlsx
from chuangyou.activities.models import Activity, Evidence, ExternalAward, Registration, Result, ResultImport
from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, of_school, school_or_404
from chuangyou.api.schemas.activities import (
    ActivityIn,
    ActivityOut,
    ActivityResultOut,
    BulkIn,
    BulkOut,
    CalendarOut,
    EvidenceOut,
    ExhibitionIn,
    ExternalAwardIn,
    ExternalAwardOut,
    ImportOut,
    PersonIn,
    RegistrationOut,
    ResultIn,
    TeamIn,
)
from chuangyou.campaigns.models import Phase
from chuangyou.lib.errors import Invalid, NotFound
from chuangyou.org.models import Grade, School, SchoolClass, Staff, Student
from chuangyou.org.rules import Actor, can_manage_campaign, require

router = Router(tags=["活动与报名"])

ONE = "/{code}/activities/{activity_id}"


# --- helpers -------------------------------------------------------------------------------------


def _school(request: HttpRequest, code: str) -> tuple[School, Actor]:
    school, actor = school_or_404(code), actor_of(request)
    require(rules.can_see_activities(actor, school), rules.READ_MESSAGE)
    return school, actor


def _activity(request: HttpRequest, code: str, activity_id: int) -> tuple[Activity, Actor]:
    school, actor = _school(request, code)
    return selectors.activity_for(actor, school, activity_id), actor


def _fetch(rows: Any, school: School, pk: int | None, label: str) -> Any:
    """One row of the school from a model or a queryset, else a Chinese 422."""
    return of_school(rows, school, pk, Invalid(gettext("本校没有这个%(label)s。") % {"label": label}))


def _input(school: School, payload: ActivityIn) -> services.ActivityInput:
    data = payload.dict()
    grades = list(Grade.objects.filter(school=school, pk__in=data.pop("grade_ids")))
    classes = list(SchoolClass.objects.filter(school=school, pk__in=data.pop("class_ids")))
    phase = _fetch(Phase, school, data.pop("phase_id"), gettext("阶段"))
    person = _fetch(Staff, school, data.pop("person_in_charge_id"), gettext("负责人"))
    return services.ActivityInput(
        **data, phase=phase, person_in_charge=person, grades=grades, classes=classes
    )


def _reload(actor: Actor, activity: Activity) -> Activity:
    return selectors.activity_for(actor, activity.school, activity.pk)


def _person(actor: Actor, school: School, person: PersonIn | None) -> Student | Staff:
    if person is None or (person.student_id is None and person.staff_id is None):
        me = selectors.own_person(actor, school)
        if me is None:
            raise Invalid(gettext("您不是本校师生，请指明为谁报名。"))
        return me
    if person.student_id is not None:
        return _fetch(
            Student.objects.select_related("school_class__grade", "school"),
            school,
            person.student_id,
            gettext("学生"),
        )
    return _fetch(Staff.objects.select_related("school"), school, person.staff_id, gettext("教职工"))


# --- activities ----------------------------------------------------------------------------------


@router.get("/{code}/activities", response=list[ActivityOut], summary="活动列表")
@paginate(Pages, page_size=50)
def list_activities(request: HttpRequest, code: str, kind: str = "", status: str = "", q: str = "") -> Any:
    school, actor = _school(request, code)
    return selectors.activities_visible_to(actor, school, kind=kind, status=status, q=q).prefetch_related(
        "grades", "classes"
    )


@router.post("/{code}/activities", response={201: ActivityOut}, summary="新建活动（草稿）")
def create_activity(request: HttpRequest, code: str, payload: ActivityIn) -> Status[Activity]:
    school, actor = _school(request, code)
    require(can_manage_campaign(actor, school), rules.MANAGE_MESSAGE)
    activity = services.create_activity(actor=actor, school=school, data=_input(school, payload))
    return Status(201, _reload(actor, activity))


@router.get(ONE, response=ActivityOut, summary="活动详情")
def get_activity(request: HttpRequest, code: str, activity_id: int) -> Activity:
    return _activity(request, code, activity_id)[0]


@router.put(ONE, response=ActivityOut, summary="修改活动")
def update_activity(request: HttpRequest, code: str, activity_id: int, payload: ActivityIn) -> Activity:
    activity, actor = _activity(request, code, activity_id)
    require(can_manage_campaign(actor, activity.school), rules.MANAGE_MESSAGE)
    services.update_activity(actor=actor, activity=activity, data=_input(activity.school, payload))
    return _reload(actor, activity)


@router.delete(ONE, response={204: None}, summary="删除草稿活动")
def delete_activity(request: HttpRequest, code: str, activity_id: int) -> Status[None]:
    activity, actor = _activity(request, code, activity_id)
    services.delete_activity(actor=actor, activity=activity)
    return Status(204, None)


@router.post(ONE + "/publish", response=ActivityOut, summary="发布活动")
def publish_activity(request: HttpRequest, code: str, activity_id: int) -> Activity:
    activity, actor = _activity(request, code, activity_id)
    services.publish_activity(actor=actor, activity=activity)
    return _reload(actor, activity)


@router.post(ONE + "/cancel", response=ActivityOut, summary="取消活动")
def cancel_activity(request: HttpRequest, code: str, activity_id: int) -> Activity:
    activity, actor = _activity(request, code, activity_id)
    services.cancel_activity(actor=actor, activity=activity)
    return _reload(actor, activity)


@router.post(ONE + "/safety-plan", response=ActivityOut, summary="上传安全预案")
def upload_safety_plan(
    request: HttpRequest, code: str, activity_id: int, file: File[UploadedFile]
) -> Activity:
    activity, actor = _activity(request, code, activity_id)
    data = services.ActivityInput(
        **{name: getattr(activity, name) for name in services.ActivityInput.FIELDS},
        grades=list(activity.grades.all()),
        classes=list(activity.classes.all()),
    )
    services.update_activity(actor=actor, activity=activity, data=data, safety_plan=file)
    return _reload(actor, activity)


# --- sign-up -------------------------------------------------------------------------------------


@router.get(
    ONE + "/registrations", response=list[RegistrationOut], summary="报名名单（确认在前，候补按顺位）"
)
@paginate(Pages, page_size=100)
def list_registrations(request: HttpRequest, code: str, activity_id: int, status: str = "") -> Any:
    activity, actor = _activity(request, code, activity_id)
    return selectors.registrations_of(actor, activity, status=status)


@router.post(ONE + "/registrations", response={201: RegistrationOut}, summary="报名（满员进入候补）")
def sign_up(request: HttpRequest, code: str, activity_id: int, payload: PersonIn) -> Status[Registration]:
    activity, actor = _activity(request, code, activity_id)
    person = _person(actor, activity.school, payload)
    return Status(201, services.sign_up(actor=actor, activity=activity, person=person))


@router.post(ONE + "/registrations/bulk", response=list[BulkOut], summary="班主任批量报名")
def bulk_sign_up(request: HttpRequest, code: str, activity_id: int, payload: BulkIn) -> list[dict[str, Any]]:
    activity, actor = _activity(request, code, activity_id)
    students = list(
        Student.objects.filter(school=activity.school, pk__in=payload.student_ids).select_related(
            "school_class__grade", "school"
        )
    )
    if len(students) != len(set(payload.student_ids)):
        raise Invalid(gettext("有的学生不在本校。"))
    outcomes = services.bulk_sign_up(actor=actor, activity=activity, students=students)
    return [
        {
            "student_id": o.student.pk,
            "name": o.student.name,
            "registration": o.registration,
            "message": o.message,
        }
        for o in outcomes
    ]


@router.post(ONE + "/teams", response={201: RegistrationOut}, summary="团队报名")
def register_team(request: HttpRequest, code: str, activity_id: int, payload: TeamIn) -> Status[Registration]:
    activity, actor = _activity(request, code, activity_id)
    captain = _person(actor, activity.school, payload.captain)
    members = [_person(actor, activity.school, m) for m in payload.members]
    registration = services.register_team(
        actor=actor, activity=activity, captain=captain, members=members, team_name=payload.team_name
    )
    return Status(201, registration)


@router.post(ONE + "/registrations/{registration_id}/withdraw", response=RegistrationOut, summary="退出报名")
def withdraw(request: HttpRequest, code: str, activity_id: int, registration_id: int) -> Registration:
    activity, actor = _activity(request, code, activity_id)
    registration = selectors.registration_for(actor, activity, registration_id)
    return services.withdraw(actor=actor, registration=registration)


# --- results -------------------------------------------------------------------------------------


@router.get(ONE + "/results", response=list[ActivityResultOut], summary="成绩列表")
def list_results(request: HttpRequest, code: str, activity_id: int) -> Any:
    activity, actor = _activity(request, code, activity_id)
    require(rules.can_see_registrations(actor, activity.school), gettext("只有本校教职工可以查看成绩登记。"))
    return Result.objects.filter(registration__activity=activity).order_by("rank", "pk")


@router.put(
    ONE + "/registrations/{registration_id}/result", response=ActivityResultOut, summary="登记或修改成绩"
)
def record_result(
    request: HttpRequest, code: str, activity_id: int, registration_id: int, payload: ResultIn
) -> Result:
    activity, actor = _activity(request, code, activity_id)
    registration = selectors.registration_for(actor, activity, registration_id)
    return services.record_result(actor=actor, registration=registration, **payload.dict())


@router.delete(ONE + "/registrations/{registration_id}/result", response={204: None}, summary="删除成绩")
def delete_result(request: HttpRequest, code: str, activity_id: int, registration_id: int) -> Status[None]:
    activity, actor = _activity(request, code, activity_id)
    registration = selectors.registration_for(actor, activity, registration_id)
    result = Result.objects.filter(registration=registration).first()
    if result is None:
        raise NotFound(gettext("这条报名还没有成绩。"))
    result.registration = registration
    services.delete_result(actor=actor, result=result)
    return Status(204, None)


@router.post(ONE + "/results/import", response=ImportOut, summary="从 .xlsx 导入成绩（全部正确才导入）")
def import_results(
    request: HttpRequest, code: str, activity_id: int, file: File[UploadedFile]
) -> dict[str, Any]:
    activity, actor = _activity(request, code, activity_id)
    upload: ResultImport = services.import_results(
        actor=actor,
        activity=activity,
        name=file.name or "",
        stream=file,
    )
    errors: list[dict[str, Any]] = []
    if upload.report:
        errors = xlsx.read_error_listing(upload.report.open("rb"))
    return {
        "id": upload.pk,
        "applied": upload.applied,
        "row_count": upload.row_count,
        "error_count": upload.error_count,
        "errors": errors,
    }


# --- external awards -----------------------------------------------------------------------------


@router.get("/{code}/external-awards", response=list[ExternalAwardOut], summary="校外竞赛获奖")
@paginate(Pages, page_size=50)
def list_external_awards(request: HttpRequest, code: str, q: str = "") -> Any:
    school, actor = _school(request, code)
    return selectors.external_awards_visible_to(actor, school, q=q)


@router.post(
    "/{code}/external-awards", response={201: ExternalAwardOut}, summary="登记校外竞赛获奖（附证书）"
)
def record_external_award(
    request: HttpRequest, code: str, payload: Form[ExternalAwardIn], certificate: File[UploadedFile]
) -> Status[ExternalAward]:
    school, actor = _school(request, code)
    student = _fetch(Student.objects.select_related("school"), school, payload.student_id, gettext("学生"))
    data = payload.dict()
    del data["student_id"]
    prize = services.record_external_award(actor=actor, student=student, certificate=certificate, **data)
    return Status(201, prize)


@router.delete("/{code}/external-awards/{award_id}", response={204: None}, summary="删除校外竞赛获奖")
def delete_external_award(request: HttpRequest, code: str, award_id: int) -> Status[None]:
    school, actor = _school(request, code)
    prize = ExternalAward.objects.select_related("student__school").filter(school=school, pk=award_id).first()
    if prize is None:
        raise NotFound(gettext("没有这条获奖记录。"))
    services.delete_external_award(actor=actor, prize=prize)
    return Status(204, None)


# --- evidence ------------------------------------------------------------------------------------


@router.get(ONE + "/evidence", response=list[EvidenceOut], summary="活动材料")
@paginate(Pages, page_size=50)
def list_evidence(request: HttpRequest, code: str, activity_id: int) -> Any:
    activity, actor = _activity(request, code, activity_id)
    require(rules.can_see_registrations(actor, activity.school), gettext("只有本校教职工可以查看活动材料。"))
    return selectors.evidence_of(actor, activity)


@router.post(ONE + "/evidence", response={201: EvidenceOut}, summary="上传活动照片或材料")
def add_evidence(
    request: HttpRequest, code: str, activity_id: int, file: File[UploadedFile], caption: Form[str] = ""
) -> Status[Evidence]:
    activity, actor = _activity(request, code, activity_id)
    return Status(201, services.add_evidence(actor=actor, activity=activity, upload=file, caption=caption))


@router.post("/{code}/evidence/{evidence_id}/exhibition", response=EvidenceOut, summary="是否可用于成果展示")
def set_exhibition(request: HttpRequest, code: str, evidence_id: int, payload: ExhibitionIn) -> Evidence:
    school, actor = _school(request, code)
    item = selectors.evidence_for(actor, school, evidence_id)
    return services.set_exhibition_approved(actor=actor, evidence=item, approved=payload.approved)


@router.delete("/{code}/evidence/{evidence_id}", response={204: None}, summary="删除活动材料")
def delete_evidence(request: HttpRequest, code: str, evidence_id: int) -> Status[None]:
    school, actor = _school(request, code)
    services.delete_evidence(actor=actor, evidence=selectors.evidence_for(actor, school, evidence_id))
    return Status(204, None)


# --- calendar ------------------------------------------------------------------------------------


@router.get("/{code}/activity-calendar", response=list[CalendarOut], summary="活动日历（按月）")
def calendar(request: HttpRequest, code: str, month: str = "") -> list[Activity]:
    school, actor = _school(request, code)
    try:
        year, number = (int(part) for part in month.split("-")) if month else (0, 0)
        first = dt.date(year, number, 1) if month else timezone.localdate().replace(day=1)
    except ValueError as exc:
        raise Invalid(gettext("月份格式应为 YYYY-MM。")) from exc
    return selectors.calendar_month(actor, school, first)
