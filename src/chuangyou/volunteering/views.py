"""Volunteer pages: my hours and milestones, claiming, a parent's consent, the organizer's review
queue, the school's list of volunteers (with .xlsx export), and the school's rules.

Every write goes through `volunteering.services`, which checks the actor's rights itself.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.forms import show_service_error
from chuangyou.lib.errors import NotAllowed, NotFound, ServiceError
from chuangyou.lib.xlsx import Book
from chuangyou.org.models import School, SchoolClass, Student
from chuangyou.org.rules import Actor, can_read_school, is_staff_of, require
from chuangyou.volunteering import selectors, services
from chuangyou.volunteering.forms import ClaimForm, RejectForm, SettingsForm
from chuangyou.volunteering.models import Claim
from chuangyou.volunteering.rules import (
    can_certify,
    can_edit_settings,
    can_list_volunteers,
    is_claimant,
    is_guardian_of_claimant,
)
from chuangyou.web import actor_of, paginate, school_by_code


def _school(request: HttpRequest, code: str) -> tuple[School, Actor]:
    return school_by_code(code), actor_of(request)


def _claim(request: HttpRequest, code: str, claim_id: int) -> tuple[Claim, Actor]:
    school, actor = _school(request, code)
    return selectors.claim_for(actor, school, claim_id), actor


def _nav(actor: Actor, school: School) -> dict[str, bool]:
    """Which tabs of the section's navigation this person may open."""
    return {
        "review": is_staff_of(actor, school) or can_read_school(actor, school),
        "volunteers": can_list_volunteers(actor, school),
        "rules": can_read_school(actor, school),
    }


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


@login_required
def home(request: HttpRequest, code: str) -> HttpResponse:
    """One's own hours and milestones, a parent's consents to give, and the organizer's queue."""
    school, actor = _school(request, code)
    participant = selectors.participant_of(actor, school)
    rules = selectors.settings_for(school)
    mine = None
    page = None
    if participant is not None:
        who: dict[str, Any] = (
            {"student": participant} if isinstance(participant, Student) else {"staff": participant}
        )
        mine = selectors.progress(selectors.approved_total(**who), rules.milestones)
        page = paginate(request, selectors.claims_of(**who), per_page=20)
    children = list(
        Student.objects.filter(pk__in=actor.child_student_ids, school=school).order_by("student_no")
    )
    child_progress = [
        (c, selectors.progress(selectors.approved_total(student=c), rules.milestones)) for c in children
    ]
    awaited = selectors.consents_awaited(actor).filter(school=school)
    to_certify = selectors.claims_to_certify(actor, school).count() if actor.user else 0
    if participant is None and not children and not to_certify and not can_list_volunteers(actor, school):
        raise NotAllowed(_("只有本校师生和家长可以使用志愿服务。"))
    return render(
        request,
        "volunteering/home.html",
        {
            "school": school,
            "participant": participant,
            "mine": mine,
            "page": page,
            "child_progress": child_progress,
            "awaited": awaited,
            "to_certify": to_certify,
            "rules": rules,
            "nav": _nav(actor, school),
        },
    )


@login_required
def claim_new(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    require(selectors.participant_of(actor, school) is not None, services.CLAIM_MESSAGE)
    rules = selectors.settings_for(school)
    form = ClaimForm(
        request.POST or None,
        request.FILES or None,
        organizers=selectors.organizer_choices(school),
        rules=rules,
        initial={"served_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_hours(
                actor=actor,
                school=school,
                served_on=data["served_on"],
                service=data["service"],
                organization=data["organization"],
                description=data["description"],
                hours=data["hours"],
                organizer=data["organizer"],
                evidence=data["evidence"] or None,
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("已提交，等待组织者认证。"))
            return redirect("volunteering:claim", code=code, claim_id=claim.pk)
    context = {"school": school, "form": form, "rules": rules, "nav": _nav(actor, school)}
    return render(request, "volunteering/claim_form.html", context)


def _detail_context(claim: Claim, actor: Actor, **extra: Any) -> dict[str, Any]:
    return {
        "school": claim.school,
        "claim": claim,
        "can_certify": can_certify(actor, claim) and not is_claimant(actor, claim),
        "can_consent": is_guardian_of_claimant(actor, claim),
        "reject_form": RejectForm(),
        "nav": _nav(actor, claim.school),
        **extra,
    }


@login_required
def claim_detail(request: HttpRequest, code: str, claim_id: int) -> HttpResponse:
    claim, actor = _claim(request, code, claim_id)
    return render(request, "volunteering/claim.html", _detail_context(claim, actor))


def _act(request: HttpRequest, code: str, claim_id: int, action: str) -> HttpResponse:
    """Run one decision. From the review list (htmx) answer with the row; otherwise go to the claim."""
    claim, actor = _claim(request, code, claim_id)
    error = ""
    try:
        if action == "consent":
            services.give_consent(actor=actor, claim=claim)
            done = _("您已同意，等待组织者认证。")
        elif action == "paper_consent":
            services.record_paper_consent(actor=actor, claim=claim)
            done = _("已登记纸质监护人同意书。")
        elif action == "approve":
            services.approve_claim(actor=actor, claim=claim, note=request.POST.get("note", ""))
            done = _("已认证。")
        else:
            services.reject_claim(actor=actor, claim=claim, reason=request.POST.get("reason", ""))
            done = _("已标记为不通过。")
    except ServiceError as exc:
        if isinstance(exc, NotAllowed):
            raise
        error = exc.message
    if _is_htmx(request) and request.POST.get("from") == "review":
        claim = selectors.claim_for(actor, claim.school, claim.pk)
        return render(
            request, "volunteering/review.html#row", _detail_context(claim, actor, c=claim, row_error=error)
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("volunteering:claim", code=code, claim_id=claim.pk)


@login_required
@require_POST
def consent(request: HttpRequest, code: str, claim_id: int) -> HttpResponse:
    return _act(request, code, claim_id, "consent")


@login_required
@require_POST
def paper_consent(request: HttpRequest, code: str, claim_id: int) -> HttpResponse:
    return _act(request, code, claim_id, "paper_consent")


@login_required
@require_POST
def approve(request: HttpRequest, code: str, claim_id: int) -> HttpResponse:
    return _act(request, code, claim_id, "approve")


@login_required
@require_POST
def reject(request: HttpRequest, code: str, claim_id: int) -> HttpResponse:
    return _act(request, code, claim_id, "reject")


@login_required
def evidence(request: HttpRequest, code: str, claim_id: int) -> FileResponse:
    """The photo, only for those who may see the claim: it has no public URL."""
    claim, _actor = _claim(request, code, claim_id)
    if not claim.evidence:
        raise NotFound(_("这条申报没有证明照片。"))
    return FileResponse(claim.evidence.open("rb"), filename=PurePath(claim.evidence.name or "").name)


@login_required
def review(request: HttpRequest, code: str) -> HttpResponse:
    """The organizer's queue: claims naming them (all claims for those who run the campaign)."""
    school, actor = _school(request, code)
    require(
        is_staff_of(actor, school) or can_read_school(actor, school),
        _("只有本校教职工可以认证志愿服务时长。"),
    )
    status = selectors.status_filter(request.GET.get("status"))
    rows = selectors.claims_to_certify(actor, school, status=status)
    page = paginate(request, rows)
    context = {
        "school": school,
        "page": page,
        "status": status,
        "nav": _nav(actor, school),
    }
    if _is_htmx(request):
        return render(request, "volunteering/review.html#rows", context)
    return render(request, "volunteering/review.html", context)


def _volunteer_rows(request: HttpRequest, school: School, actor: Actor) -> tuple[Any, str, int | None]:
    kind: selectors.VolunteerKind = "staff" if request.GET.get("kind") == "staff" else "students"
    class_text = request.GET.get("class", "")
    class_id = int(class_text) if class_text.isdigit() else None
    return selectors.volunteers(actor, school, kind=kind, class_id=class_id), kind, class_id


@login_required
def volunteers(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    rows, kind, class_id = _volunteer_rows(request, school, actor)
    rules = selectors.settings_for(school)
    page = paginate(request, rows)
    people = [(p, selectors.progress(p.total, rules.milestones)) for p in page.object_list]
    classes = SchoolClass.objects.filter(school=school).select_related("grade")
    if not can_read_school(actor, school):
        classes = classes.filter(pk__in=actor.head_teacher_class_ids())
    context = {
        "school": school,
        "page": page,
        "people": people,
        "kind": kind,
        "class_id": class_id,
        "classes": classes,
        "office": can_read_school(actor, school),
        "nav": _nav(actor, school),
    }
    if _is_htmx(request):
        return render(request, "volunteering/volunteers.html#rows", context)
    return render(request, "volunteering/volunteers.html", context)


@login_required
def volunteers_export(request: HttpRequest, code: str) -> HttpResponse:
    """The filtered list as .xlsx, for the office to file or report upward."""
    school, actor = _school(request, code)
    rows, kind, _class_id = _volunteer_rows(request, school, actor)
    rules = selectors.settings_for(school)
    book = Book()
    sheet = book.sheet(_("志愿服务时长"))
    if kind == "staff":
        sheet.append(
            [_("工号"), _("姓名"), _("已认证时长（小时）"), _("待审核时长（小时）"), _("已达里程碑")]
        )
    else:
        sheet.append(
            [
                _("学号"),
                _("姓名"),
                _("班级"),
                _("已认证时长（小时）"),
                _("待审核时长（小时）"),
                _("已达里程碑"),
            ]
        )
    person: Any  # a Student or Staff row, annotated with `total` and `pending` by the selector
    for person in rows:
        reached = "、".join(str(m) for m in selectors.progress(person.total, rules.milestones).reached)
        if kind == "students":
            sheet.append(
                [
                    person.student_no,
                    person.name,
                    str(person.school_class),
                    float(person.total),
                    float(person.pending),
                    reached,
                ]
            )
        else:
            sheet.append([person.staff_no, person.name, float(person.total), float(person.pending), reached])
    name = f"{school.code}-volunteer-hours-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(
        book.to_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def rules(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school(request, code)
    current = selectors.settings_for(school)
    require(can_read_school(actor, school), _("只有本校管理员和三个小组成员可以查看志愿服务规则。"))
    initial = {
        "unit_hours": current.unit_hours,
        "max_hours_per_activity_day": current.max_hours_per_activity_day,
        "students_need_consent": current.students_need_consent,
        "milestones": "、".join(str(m) for m in current.milestones),
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require(can_edit_settings(actor, school), services.SETTINGS_MESSAGE)
        if form.is_valid():
            try:
                services.update_settings(actor=actor, school=school, **form.cleaned_data)
            except ServiceError as exc:
                show_service_error(form, exc)
            else:
                messages.success(request, _("志愿服务规则已保存。"))
                return redirect("volunteering:rules", code=code)
    return render(
        request,
        "volunteering/rules.html",
        {
            "school": school,
            "form": form,
            "can_edit": can_edit_settings(actor, school),
            "rules": current,
            "nav": _nav(actor, school),
        },
    )
