"""The activity pages: list, detail with sign-up, bulk and team sign-up, results, evidence, external
awards and the calendar. Every write goes through `activities.services`, which checks the rights."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.activities import rules, selectors, services, xlsx
from chuangyou.activities.forms import (
    ActivityForm,
    EvidenceForm,
    ExternalAwardForm,
    ImportForm,
    ResultForm,
    TeamForm,
)
from chuangyou.activities.models import (
    Activity,
    Evidence,
    ExternalAward,
    Kind,
    RegStatus,
    ResultImport,
    Status,
)
from chuangyou.forms import show_service_error
from chuangyou.lib.errors import Conflict, Invalid, NotFound, ServiceError
from chuangyou.org.models import School, Staff, Student
from chuangyou.org.rules import Actor, can_manage_campaign, require
from chuangyou.web import actor_of, paginate, school_by_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _school(request: HttpRequest, code: str) -> tuple[School, Actor]:
    school, actor = school_by_code(code), actor_of(request)
    require(rules.can_see_activities(actor, school), rules.READ_MESSAGE)
    return school, actor


def _activity(request: HttpRequest, code: str, pk: int) -> tuple[Activity, Actor]:
    school, actor = _school(request, code)
    return selectors.activity_for(actor, school, pk), actor


def _back(activity: Activity, view: str = "detail") -> HttpResponse:
    return redirect(f"activities:{view}", code=activity.school.code, pk=activity.pk)


def _context(activity: Activity, actor: Actor, tab: str, **extra: Any) -> dict[str, Any]:
    return {
        "school": activity.school,
        "activity": activity,
        "tab": tab,
        "can_manage": can_manage_campaign(actor, activity.school),
        "can_record": rules.can_record_results(actor, activity),
        "can_see_registrations": rules.can_see_registrations(actor, activity.school),
        **extra,
    }


def _file_response(field: Any, *, inline: bool = False) -> FileResponse:
    name = PurePath(field.name or "").name
    return FileResponse(field.open("rb"), as_attachment=not inline, filename=name)


# --- the list and the activity --------------------------------------------------------------------


@login_required
def activity_list(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    kind, status, q = (
        request.GET.get("kind", ""),
        request.GET.get("status", ""),
        request.GET.get("q", "").strip(),
    )
    kind = kind if kind in Kind.values else ""
    status = status if status in Status.values else ""
    page = paginate(
        request, selectors.activities_visible_to(actor, school, kind=kind, status=status, q=q), 20
    )
    context = {
        "school": school,
        "page": page,
        "kind": kind,
        "status": status,
        "q": q,
        "kinds": Kind.choices,
        "statuses": Status.choices,
        "can_manage": can_manage_campaign(actor, school),
    }
    template = "activities/list.html#rows" if request.headers.get("HX-Request") else "activities/list.html"
    return render(request, template, context)


@login_required
def activity_create(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    require(can_manage_campaign(actor, school), rules.MANAGE_MESSAGE)
    form = ActivityForm(request.POST or None, request.FILES or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.create_activity(
                actor=actor, school=school, data=form.to_input(), safety_plan=form.cleaned_data["safety_plan"]
            )
        except (Invalid, Conflict) as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("活动已保存为草稿，核对后请发布。"))
            return _back(activity)
    return render(request, "activities/form.html", {"school": school, "form": form})


@login_required
def activity_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    activity, actor = _activity(request, code, pk)
    require(can_manage_campaign(actor, activity.school), rules.MANAGE_MESSAGE)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        school=activity.school,
        initial=ActivityForm.initial_for(activity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(
                actor=actor,
                activity=activity,
                data=form.to_input(),
                safety_plan=form.cleaned_data["safety_plan"],
            )
        except (Invalid, Conflict) as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("活动已保存。"))
            return _back(activity)
    return render(request, "activities/form.html", _context(activity, actor, "detail", form=form))


@login_required
@require_POST
def activity_status(request: HttpRequest, code: str, pk: int, action: str) -> HttpResponse:
    activity, actor = _activity(request, code, pk)
    if action == "publish":
        services.publish_activity(actor=actor, activity=activity)
        messages.success(request, _("活动已发布，报名开放后师生即可报名。"))
    elif action == "cancel":
        services.cancel_activity(actor=actor, activity=activity)
        messages.success(request, _("活动已取消。"))
    else:
        raise NotFound(_("没有这个操作。"))
    return _back(activity)


@login_required
def activity_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    activity, actor = _activity(request, code, pk)
    me = selectors.own_person(actor, activity.school)
    mine = selectors.registration_of(activity, me) if me else None
    problem = services.eligibility_problem(activity, me, services.Scope.of(activity)) if me else None
    children = []
    if actor.child_student_ids:
        kids = Student.objects.filter(pk__in=actor.child_student_ids, school=activity.school)
        children = [(kid, selectors.registration_of(activity, kid)) for kid in kids]
    regs = selectors.with_member_names(list(selectors.registrations_of(actor, activity)[:500]))
    return render(
        request,
        "activities/detail.html",
        _context(
            activity,
            actor,
            "detail",
            me=me,
            mine=mine,
            problem=problem,
            children=children,
            registrations=regs,
            open_now=activity.signup_is_open(timezone.now()),
            is_head_teacher=rules.is_head_teacher(actor, activity.school),
        ),
    )


@login_required
def safety_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    activity, actor = _activity(request, code, pk)
    require(rules.can_see_registrations(actor, activity.school), _("只有本校教职工可以查看安全预案。"))
    if not activity.safety_plan:
        raise NotFound(_("这个活动没有上传安全预案。"))
    return _file_response(activity.safety_plan)


# --- sign-up -------------------------------------------------------------------------------------


def _refuse(request: HttpRequest, exc: ServiceError) -> None:
    messages.error(request, exc.message)


@login_required
@require_POST
def sign_up(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    activity, actor = _activity(request, code, pk)
    me = selectors.own_person(actor, activity.school)
    if me is None:
        raise NotFound(_("您不是本校师生，不能报名。"))
    try:
        registration = services.sign_up(actor=actor, activity=activity, person=me)
    except (Invalid, Conflict) as exc:
        _refuse(request, exc)
    else:
        if registration.status == RegStatus.CONFIRMED:
            messages.success(request, _("报名成功。"))
        else:
            messages.warning(
                request, _("名额已满，您已进入候补，顺位第 %(n)d。") % {"n": registration.waitlist_position}
            )
    return _back(activity)


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str, pk: int, registration_id: int) -> HttpResponse:
    activity, actor = _activity(request, code, pk)
    registration = selectors.registration_for(actor, activity, registration_id)
    try:
        services.withdraw(actor=actor, registration=registration)
    except (Invalid, Conflict) as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("已退出「%(title)s」。") % {"title": activity.title})
    return _back(activity)


@login_required
def bulk_sign_up(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A 班主任 ticks students of their class; each refusal is listed by name."""
    activity, actor = _activity(request, code, pk)
    students = selectors.class_students_for_bulk(actor, activity)
    require(
        students.exists() or can_manage_campaign(actor, activity.school),
        _("只有班主任可以为本班学生批量报名。"),
    )
    outcomes: list[services.BulkOutcome] = []
    if request.method == "POST":
        chosen = list(students.filter(pk__in=request.POST.getlist("student")))
        try:
            outcomes = services.bulk_sign_up(actor=actor, activity=activity, students=chosen)
        except (Invalid, Conflict) as exc:
            _refuse(request, exc)
        else:
            done = sum(1 for o in outcomes if o.registration)
            messages.success(request, _("已为 %(n)d 名学生报名。") % {"n": done})
    scope = services.Scope.of(activity)
    taken = services.Taken.of(activity)
    rows = [
        (s, services.eligibility_problem(activity, s, scope), taken.holds(s))
        for s in students.select_related("school")
    ]
    return render(
        request, "activities/bulk.html", _context(activity, actor, "bulk", rows=rows, outcomes=outcomes)
    )


def _person_by_number(school: School, number: str) -> Student | Staff:
    student = (
        Student.objects.select_related("school_class__grade").filter(school=school, student_no=number).first()
    )
    if student is not None:
        return student
    staff = Staff.objects.filter(school=school, staff_no=number).first()
    if staff is None:
        raise Invalid(
            _("没有学号或工号为 %(number)s 的人员。") % {"number": number},
            {"members": [_("没有学号或工号为 %(number)s 的人员。") % {"number": number}]},
        )
    return staff


@login_required
def team(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A captain registers a team with its members' numbers."""
    activity, actor = _activity(request, code, pk)
    captain = selectors.own_person(actor, activity.school)
    if captain is None:
        raise NotFound(_("您不是本校师生，不能以队长身份报名。"))
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            numbers = [n.strip() for n in form.cleaned_data["members"].split() if n.strip()]
            members = [_person_by_number(activity.school, n) for n in numbers]
            services.register_team(
                actor=actor,
                activity=activity,
                captain=captain,
                members=members,
                team_name=form.cleaned_data["team_name"],
            )
        except (Invalid, Conflict) as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("团队报名已提交。"))
            return _back(activity)
    return render(
        request, "activities/team.html", _context(activity, actor, "detail", form=form, captain=captain)
    )


@login_required
def registrations_xlsx(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    activity, actor = _activity(request, code, pk)
    require(rules.can_see_registrations(actor, activity.school), _("只有本校教职工可以导出报名名单。"))
    regs = list(selectors.registrations_of(actor, activity))
    response = HttpResponse(xlsx.write_registrations(activity.title, regs), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''activity-{activity.pk}-signups.xlsx"
    return response


# --- results -------------------------------------------------------------------------------------


@login_required
def results(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    activity, actor = _activity(request, code, pk)
    require(rules.can_see_registrations(actor, activity.school), _("只有本校教职工可以查看成绩登记。"))
    regs = selectors.with_member_names(
        list(selectors.registrations_of(actor, activity, status=RegStatus.CONFIRMED))
    )
    import_form = ImportForm(request.POST or None, request.FILES or None)
    last_import = None
    if request.method == "POST":
        require(rules.can_record_results(actor, activity), rules.RESULTS_MESSAGE)
        if import_form.is_valid():
            upload: UploadedFile = import_form.cleaned_data["file"]
            try:
                last_import = services.import_results(
                    actor=actor, activity=activity, name=upload.name or "", stream=upload
                )
            except (Invalid, Conflict) as exc:
                show_service_error(import_form, exc)
            else:
                if last_import.applied:
                    messages.success(request, _("已导入 %(n)d 条成绩。") % {"n": last_import.row_count})
                    return _back(activity, "results")
    return render(
        request,
        "activities/results.html",
        _context(
            activity,
            actor,
            "results",
            registrations=regs,
            import_form=import_form,
            last_import=last_import,
            result_form=ResultForm(),
        ),
    )


@login_required
@require_POST
def result_save(request: HttpRequest, code: str, pk: int, registration_id: int) -> HttpResponse:
    """One row of the results table, saved by htmx; the row comes back with the result or the error."""
    activity, actor = _activity(request, code, pk)
    registration = selectors.registration_for(actor, activity, registration_id)
    form = ResultForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            result = services.record_result(actor=actor, registration=registration, **form.cleaned_data)
        except Invalid as exc:
            error = exc.message
        else:
            registration.result = result
    else:
        error = "；".join(str(e) for errors in form.errors.values() for e in errors)
    context = _context(activity, actor, "results", r=registration, row_error=error)
    return render(request, "activities/results.html#result_row", context)


@login_required
def results_template(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    activity, actor = _activity(request, code, pk)
    require(rules.can_record_results(actor, activity), rules.RESULTS_MESSAGE)
    regs = list(selectors.registrations_of(actor, activity, status=RegStatus.CONFIRMED))
    response = HttpResponse(xlsx.write_template(regs), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''activity-{activity.pk}-results.xlsx"
    return response


@login_required
def import_report(request: HttpRequest, code: str, pk: int, import_id: int) -> FileResponse:
    activity, actor = _activity(request, code, pk)
    require(rules.can_record_results(actor, activity), rules.RESULTS_MESSAGE)
    upload = get_object_or_404(ResultImport, pk=import_id, activity=activity)
    if not upload.report:
        raise NotFound(_("这次导入没有错误报告。"))
    return _file_response(upload.report)


# --- evidence ------------------------------------------------------------------------------------


@login_required
def evidence(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    activity, actor = _activity(request, code, pk)
    require(rules.can_see_registrations(actor, activity.school), _("只有本校教职工可以查看活动材料。"))
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_evidence(
                actor=actor,
                activity=activity,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except (Invalid, Conflict) as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("材料已上传。"))
            return _back(activity, "evidence")
    page = paginate(request, selectors.evidence_of(actor, activity), 24)
    return render(
        request, "activities/evidence.html", _context(activity, actor, "evidence", form=form, page=page)
    )


@login_required
def evidence_file(request: HttpRequest, code: str, evidence_id: int) -> FileResponse:
    school, actor = _school(request, code)
    item = selectors.evidence_for(actor, school, evidence_id)
    return _file_response(item.file, inline=item.is_image)


@login_required
@require_POST
def evidence_exhibition(request: HttpRequest, code: str, evidence_id: int) -> HttpResponse:
    school, actor = _school(request, code)
    item = selectors.evidence_for(actor, school, evidence_id)
    try:
        services.set_exhibition_approved(actor=actor, evidence=item, approved=not item.exhibition_approved)
    except Invalid as exc:
        _refuse(request, exc)
    return redirect("activities:evidence", code=code, pk=item.activity_id)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, code: str, evidence_id: int) -> HttpResponse:
    school, actor = _school(request, code)
    item: Evidence = selectors.evidence_for(actor, school, evidence_id)
    services.delete_evidence(actor=actor, evidence=item)
    messages.success(request, _("材料已删除。"))
    return redirect("activities:evidence", code=code, pk=item.activity_id)


# --- external awards -----------------------------------------------------------------------------


@login_required
def awards(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    q = request.GET.get("q", "").strip()
    form = ExternalAwardForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        student = Student.objects.filter(school=school, student_no=data["student_no"].strip()).first()
        try:
            if student is None:
                raise Invalid(_("没有这个学号的学生。"), {"student_no": [_("没有这个学号的学生。")]})
            services.record_external_award(
                actor=actor,
                student=student,
                competition=data["competition"],
                level=data["level"],
                award=data["award"],
                rank=data["rank"],
                awarded_on=data["awarded_on"],
                certificate=data["certificate"],
            )
        except (Invalid, Conflict) as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("已登记校外竞赛获奖。"))
            return redirect("activities:awards", code=code)
    page = paginate(request, selectors.external_awards_visible_to(actor, school, q=q), 30)
    can_record = can_manage_campaign(actor, school) or bool(actor.head_teacher_class_ids())
    return render(
        request,
        "activities/awards.html",
        {"school": school, "page": page, "q": q, "form": form, "can_record": can_record, "tab": "awards"},
    )


@login_required
def award_certificate(request: HttpRequest, code: str, award_id: int) -> FileResponse:
    school, actor = _school(request, code)
    prize = selectors.external_awards_visible_to(actor, school).filter(pk=award_id).first()
    if prize is None:
        raise NotFound(_("没有这条获奖记录。"))
    return _file_response(prize.certificate, inline=True)


@login_required
@require_POST
def award_delete(request: HttpRequest, code: str, award_id: int) -> HttpResponse:
    school, actor = _school(request, code)
    prize = get_object_or_404(
        ExternalAward.objects.select_related("student__school"), pk=award_id, school=school
    )
    services.delete_external_award(actor=actor, prize=prize)
    messages.success(request, _("已删除这条获奖记录。"))
    return redirect("activities:awards", code=code)


# --- the calendar --------------------------------------------------------------------------------


def _month(value: str | None) -> dt.date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@login_required
def calendar(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    month = _month(request.GET.get("month"))
    days: dict[dt.date, list[Activity]] = {}
    for activity in selectors.calendar_month(actor, school, month):
        days.setdefault(timezone.localtime(activity.starts_at).date(), []).append(activity)
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    feed = request.build_absolute_uri(f"/s/{school.code}/activities/calendar.ics")
    return render(
        request,
        "activities/calendar.html",
        {
            "school": school,
            "month": month,
            "days": sorted(days.items()),
            "previous": previous,
            "following": following,
            "feed": feed,
            "tab": "calendar",
        },
    )
