"""People and role seats of a school."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from chuangyou.accounts import services as account_services
from chuangyou.accounts.models import User
from chuangyou.api.pagination import Pages
from chuangyou.api.routers.common import actor_of, school_or_404
from chuangyou.api.schemas.people import (
    ClassOut,
    EndIn,
    GrantIn,
    MembershipOut,
    PasswordOut,
    StaffOut,
    StudentOut,
)
from chuangyou.lib.errors import NotFound
from chuangyou.org import selectors, services
from chuangyou.org.models import RoleMembership, SchoolClass
from chuangyou.org.rules import can_read_school, require

router = Router(tags=["人员与角色"])


@router.get("/{code}/classes", response=list[ClassOut], summary="班级列表")
def list_classes(request: HttpRequest, code: str) -> object:
    return selectors.classes_visible_to(actor_of(request), school_or_404(code))


@router.get("/{code}/students", response=list[StudentOut], summary="学生名单")
@paginate(Pages, page_size=50)
def list_students(request: HttpRequest, code: str, class_id: int | None = None, q: str = "") -> object:
    students = selectors.students_visible_to(actor_of(request), school_or_404(code))
    if class_id:
        students = students.filter(school_class_id=class_id)
    if q:
        students = students.filter(name__contains=q) | students.filter(student_no=q)
    return students


@router.get("/{code}/staff", response=list[StaffOut], summary="教职工名单")
@paginate(Pages, page_size=50)
def list_staff(request: HttpRequest, code: str) -> object:
    return selectors.staff_visible_to(actor_of(request), school_or_404(code))


@router.get("/{code}/memberships", response=list[MembershipOut], summary="角色任职")
def list_memberships(request: HttpRequest, code: str) -> object:
    return selectors.memberships_visible_to(actor_of(request), school_or_404(code))


@router.post("/{code}/memberships", response={201: MembershipOut}, summary="分配角色")
def grant(request: HttpRequest, code: str, payload: GrantIn) -> Status[RoleMembership]:
    school = school_or_404(code)
    user = User.objects.filter(pk=payload.user_id).first()
    if user is None:
        raise NotFound(gettext("本校名单上没有这个人。"))
    school_class = None
    if payload.class_id is not None:
        school_class = SchoolClass.objects.filter(pk=payload.class_id, school=school).first()
        if school_class is None:
            raise NotFound(gettext("本校没有这个班级。"))
    membership = services.grant_role(
        actor=actor_of(request),
        user=user,
        role=payload.role,
        school=school,
        school_class=school_class,
        is_leader=payload.is_leader,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
    )
    return Status(201, membership)


@router.post("/{code}/memberships/{membership_id}/end", response=MembershipOut, summary="结束角色任职")
def end(request: HttpRequest, code: str, membership_id: int, payload: EndIn) -> RoleMembership:
    school = school_or_404(code)
    actor = actor_of(request)
    require(can_read_school(actor, school))
    membership = RoleMembership.objects.filter(pk=membership_id, school=school).first()
    if membership is None:
        raise NotFound(gettext("没有这条任职记录。"))
    return services.end_role(actor=actor, membership=membership, ends_on=payload.ends_on)


@router.post("/{code}/accounts/{user_id}/reset-password", response=PasswordOut, summary="重置密码")
def reset_password(request: HttpRequest, code: str, user_id: int) -> PasswordOut:
    school = school_or_404(code)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(gettext("没有这个账号。"))
    password = account_services.reset_password(actor=actor_of(request), user=user, school=school)
    return PasswordOut(password=password)
