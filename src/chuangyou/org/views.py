from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangyou.forms import show_service_error
from chuangyou.lib.errors import NotAllowed, NotFound, ServiceError
from chuangyou.lib.http import paginate
from chuangyou.lib.logins import MOBILE_RE, account_key
from chuangyou.lib.workdays import package_covers
from chuangyou.notifications import selectors as notification_selectors
from chuangyou.notifications import services as notification_services
from chuangyou.notifications.forms import ChannelForm
from chuangyou.notifications.models import EXTERNAL_CHANNELS, Channel
from chuangyou.org import selectors, services
from chuangyou.org.forms import GrantRoleForm, HolidayScheduleForm, dates_text
from chuangyou.org.models import (
    Bureau,
    HolidaySchedule,
    PartyBranch,
    Role,
    RoleMembership,
    School,
    SchoolClass,
    Student,
)
from chuangyou.org.rules import (
    Actor,
    actor_of,
    can_manage_people,
    can_read_audit,
    can_read_school,
    can_view_student,
    is_admin_of_bureau,
    is_in_group,
    is_school_admin,
    is_staff_of,
    require,
)
from chuangyou.org.selectors import school_by_code
from chuangyou.org.todos import todos_for


def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: the app is up and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"ok": True})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person lands on what their seats give them: schools they run, a class, their own record."""
    actor = actor_of(request)
    schools = list(selectors.schools_visible_to(actor).select_related("bureau"))
    cards = []
    for school in schools:
        cards.append(
            {
                "school": school,
                "office": can_read_school(actor, school),
                "people_admin": can_manage_people(actor, school),
                "audit": can_read_audit(actor, school),
                "staff": is_staff_of(actor, school),
                # the objection desk: the supervision group handles, the leading group reads
                "objections": is_in_group(actor, school, Role.SUPERVISION_GROUP)
                or is_in_group(actor, school, Role.LEADING_GROUP),
                "roles": sorted(
                    {Role(s.role).label for s in actor.seats if s.school_id == school.pk}, key=str
                ),
            }
        )
    head_classes = SchoolClass.objects.filter(pk__in=actor.head_teacher_class_ids()).select_related(
        "grade", "school"
    )
    bureaus = Bureau.objects.filter(pk__in=actor.bureau_ids())
    # the schools where the person holds a seat: a bureau's own work is on the bureau's pages
    seated_ids = actor.school_ids()
    seated = [school for school in schools if school.pk in seated_ids]
    todo_groups = [(school, todos) for school in seated if (todos := todos_for(actor, school))]
    return render(
        request,
        "org/home.html",
        {
            "cards": cards,
            "head_classes": head_classes,
            "bureaus": bureaus,
            "has_record": bool(actor.own_student_id or actor.child_student_ids),
            "todo_groups": todo_groups,
            "todo_total": sum(len(todos) for _school, todos in todo_groups),
        },
    )


@login_required
def todo_count(request: HttpRequest) -> HttpResponse:
    """The navigation's badge: how many things wait on the 工作台. Loaded after the page (htmx), so no
    page pays for the count in its own queries."""
    actor = actor_of(request)
    seated = School.objects.filter(pk__in=actor.school_ids())
    total = sum(len(todos_for(actor, school)) for school in seated)
    return render(request, "org/_todo_count.html", {"total": total})


@login_required
def my_record(request: HttpRequest) -> HttpResponse:
    """A student's own record, or a parent's children's records."""
    actor = actor_of(request)
    ids = set(actor.child_student_ids)
    if actor.own_student_id:
        ids.add(actor.own_student_id)
    students = Student.objects.filter(pk__in=ids).select_related("school", "school_class__grade")
    return render(request, "org/my_record.html", {"students": students})


@login_required
def bureau_home(request: HttpRequest, code: str) -> HttpResponse:
    bureau = get_object_or_404(Bureau, code=code)
    actor = actor_of(request)
    require(actor.system or bureau.pk in actor.bureau_ids(), _("只有本局管理员可以查看。"))
    return render(request, "org/bureau_home.html", {"bureau": bureau, "schools": bureau.schools.all()})


SEAT_ORDER = [
    Role.BRANCH_SECRETARY,
    Role.LEADING_GROUP,
    Role.WORKING_GROUP,
    Role.SUPERVISION_GROUP,
    Role.SCHOOL_ADMIN,
    Role.HEAD_TEACHER,
]


def _school_and_actor(request: HttpRequest, code: str) -> tuple[School, Actor]:
    return school_by_code(code), actor_of(request)


@login_required
def students(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school_and_actor(request, code)
    classes = selectors.classes_visible_to(actor, school)
    require(can_read_school(actor, school) or classes.exists(), _("您没有权限查看本校学生名单。"))
    rows = selectors.students_visible_to(actor, school).prefetch_related("guardians")
    class_id = request.GET.get("class", "")
    if class_id.isdigit():
        rows = rows.filter(school_class_id=int(class_id))
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(name__contains=q) | rows.filter(student_no=q)
    page = paginate(
        request, rows.order_by("school_class__grade__level", "school_class__number", "student_no")
    )
    context = {
        "school": school,
        "page": page,
        "classes": classes,
        "class_id": class_id,
        "q": q,
        "can_manage": can_manage_people(actor, school),
    }
    if request.headers.get("HX-Request"):
        return render(request, "org/students.html#rows", context)
    return render(request, "org/students.html", context)


@login_required
def student_detail(request: HttpRequest, code: str, student_id: int) -> HttpResponse:
    school, actor = _school_and_actor(request, code)
    student = get_object_or_404(
        Student.objects.select_related("school", "school_class__grade", "user"), pk=student_id, school=school
    )
    require(can_view_student(actor, student), _("您没有权限查看这名学生。"))
    guardians = student.guardians.select_related("user")
    return render(
        request,
        "org/student_detail.html",
        {
            "school": school,
            "student": student,
            "guardians": guardians,
            "can_manage": can_manage_people(actor, school),
        },
    )


@login_required
def staff(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school_and_actor(request, code)
    require(can_read_school(actor, school), _("您没有权限查看本校教职工名单。"))
    rows = selectors.staff_visible_to(actor, school)
    q = request.GET.get("q", "").strip()
    if q:
        rows = rows.filter(name__contains=q) | rows.filter(staff_no=q)
    party = request.GET.get("party", "")
    if party == "1":
        rows = rows.filter(is_party_member=True)
    page = paginate(request, rows.order_by("staff_no"))
    return render(
        request,
        "org/staff.html",
        {
            "school": school,
            "page": page,
            "q": q,
            "party": party,
            "can_manage": can_manage_people(actor, school),
        },
    )


@login_required
def classes(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school_and_actor(request, code)
    rows = selectors.classes_visible_to(actor, school).annotate(student_count=Count("students"))
    require(can_read_school(actor, school) or rows.exists(), _("您没有权限查看本校班级。"))
    heads = {
        m.school_class_id: m.user.display_name
        for m in RoleMembership.objects.filter(school=school, role=Role.HEAD_TEACHER)
        .active_on(timezone.localdate())
        .select_related("user")
    }
    listed = list(rows)
    for row in listed:
        row.head_name = heads.get(row.pk, "")  # type: ignore[attr-defined]
    return render(
        request,
        "org/classes.html",
        {"school": school, "rows": listed, "can_manage": can_manage_people(actor, school)},
    )


@login_required
def roles(request: HttpRequest, code: str) -> HttpResponse:
    school, actor = _school_and_actor(request, code)
    require(can_read_school(actor, school), _("您没有权限查看本校角色。"))
    class_choices = [
        (c.pk, str(c)) for c in SchoolClass.objects.filter(school=school).select_related("grade")
    ]
    branch_choices = [(b.pk, b.name) for b in PartyBranch.objects.filter(school=school)]
    form = GrantRoleForm(
        request.POST or None,
        classes=class_choices,
        branches=branch_choices,
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        login = data["login"].strip()
        user = (
            get_user_model().objects.filter(phone=login).first()
            if MOBILE_RE.match(login)
            else get_user_model()
            .objects.filter(username=account_key(school_code=school.code, login=login))
            .first()
        )
        school_class = SchoolClass.objects.filter(pk=data["school_class"] or 0, school=school).first()
        branch = PartyBranch.objects.filter(pk=data["party_branch"] or 0, school=school).first()
        try:
            if user is None:
                raise NotFound(_("本校没有账号 %(login)s。") % {"login": login})
            services.grant_role(
                actor=actor,
                user=user,
                role=Role(data["role"]),
                school=school,
                school_class=school_class,
                party_branch=branch,
                is_leader=data["is_leader"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except NotAllowed:
            raise  # a 403 page, not a message on a form this person can't see
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已为 %(name)s 分配角色。") % {"name": user.display_name})
            return redirect("org:roles", code=school.code)
    today = timezone.localdate()
    # Every teacher, student and parent holds a seat by being on the roster; those are listed on the
    # roster pages. Here are the seats someone chose: the groups first, as the plan lists them.
    seats = selectors.memberships_visible_to(actor, school).filter(role__in=SEAT_ORDER)
    show = request.GET.get("show", "current")
    if show != "all":
        seats = seats.active_on(today)
    ordered = sorted(
        seats,
        key=lambda m: (
            SEAT_ORDER.index(Role(m.role)),
            not m.is_leader,
            m.school_class.grade.level if m.school_class else 0,
            m.school_class.number if m.school_class else 0,
            m.user.display_name,
        ),
    )
    return render(
        request,
        "org/roles.html",
        {
            "school": school,
            "form": form,
            "seats": ordered,
            "show": show,
            "can_manage": can_manage_people(actor, school),
            "today": today,
        },
    )


@login_required
@require_POST
def end_role(request: HttpRequest, code: str, membership_id: int) -> HttpResponse:
    school, actor = _school_and_actor(request, code)
    membership = get_object_or_404(RoleMembership, pk=membership_id, school=school)
    try:
        services.end_role(actor=actor, membership=membership)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("任职已结束。"))
    return redirect("org:roles", code=school.code)


# --- 放假安排: the holiday schedule of a year chinese-calendar doesn't cover yet ------------------


def _holiday_rows(rows: list[HolidaySchedule], *, school: School | None = None) -> list[dict[str, object]]:
    """Each schedule with whether it is used: the package wins for a year it covers, and for a school a
    bureau's schedule wins over the school's own (see HolidaySchedule)."""
    bureau_years = {r.year for r in rows if r.bureau_id is not None}
    listed = []
    for row in rows:
        if package_covers(row.year):
            status = _("chinese-calendar 软件包已收录该年，以软件包为准")
        elif school is not None and row.school_id is not None and row.year in bureau_years:
            status = _("教育局已录入该年，本校的不再使用")
        else:
            status = ""
        listed.append(
            {
                "row": row,
                "by_bureau": row.bureau_id is not None,
                "editable": school is None or row.school_id is not None,
                "status": status,
            }
        )
    return listed


def _holiday_page(
    request: HttpRequest,
    actor: Actor,
    *,
    bureau: Bureau | None,
    school: School | None,
    rows: list[HolidaySchedule],
    back_url: str,
    edit_url: str,
    list_url: str,
    editing: HolidaySchedule | None = None,
) -> HttpResponse:
    owner = bureau or school
    assert owner is not None
    initial: dict[str, object] = {"year": timezone.localdate().year + 1}
    if editing is not None:
        initial = {
            "year": editing.year,
            "holidays": dates_text(editing.holidays),
            "workdays": dates_text(editing.workdays),
            "source_note": editing.source_note,
        }
    form = HolidayScheduleForm(request.POST or None, initial=initial, fixed_year=editing is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if editing is not None:
                services.edit_holiday_schedule(
                    actor=actor,
                    schedule=editing,
                    holidays=data["holidays"],
                    workdays=data["workdays"],
                    source_note=data["source_note"],
                )
            else:
                services.enter_holiday_schedule(
                    actor=actor,
                    bureau=bureau,
                    school=school,
                    year=data["year"],
                    holidays=data["holidays"],
                    workdays=data["workdays"],
                    source_note=data["source_note"],
                )
        except NotAllowed:
            raise
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            messages.success(request, _("%(year)s 年的放假安排已保存。") % {"year": data["year"]})
            return redirect(list_url)
    return render(
        request,
        "org/holidays.html",
        {
            "owner_name": owner.name,
            "owner_code": owner.code,
            "school": school,
            "rows": _holiday_rows(rows, school=school),
            "form": form,
            "editing": editing,
            "back_url": back_url,
            "edit_url": edit_url,
            "list_url": list_url,
        },
    )


@login_required
def bureau_holidays(request: HttpRequest, code: str, year: int | None = None) -> HttpResponse:
    """The bureau's schedules, and the form to enter one (or, with `year`, to correct it)."""
    bureau = selectors.bureau_by_code(code)
    actor = actor_of(request)
    require(is_admin_of_bureau(actor, bureau.pk), _("只有本局管理员可以录入教育局的放假安排。"))
    rows = list(selectors.holiday_schedules_of_bureau(actor, bureau))
    editing = None
    if year is not None:
        editing = next((r for r in rows if r.year == year), None)
        if editing is None:
            raise NotFound(_("没有 %(year)s 年的放假安排。") % {"year": year})
    return _holiday_page(
        request,
        actor,
        bureau=bureau,
        school=None,
        rows=rows,
        editing=editing,
        back_url=reverse("bureau_home", args=[bureau.code]),
        edit_url="bureau_holidays:edit",
        list_url=reverse("bureau_holidays:list", args=[bureau.code]),
    )


@login_required
def school_holidays(request: HttpRequest, code: str, year: int | None = None) -> HttpResponse:
    """The school's own schedules (used only for years its bureau entered none), and its bureau's."""
    school, actor = _school_and_actor(request, code)
    require(is_school_admin(actor, school), _("只有本校管理员可以录入本校的放假安排。"))
    rows = list(selectors.holiday_schedules_of_school(actor, school))
    editing = None
    if year is not None:
        editing = next((r for r in rows if r.year == year and r.school_id == school.pk), None)
        if editing is None:
            raise NotFound(_("没有 %(year)s 年的放假安排。") % {"year": year})
    return _holiday_page(
        request,
        actor,
        bureau=None,
        school=school,
        rows=rows,
        editing=editing,
        back_url=reverse("home"),
        edit_url="org:holidays_edit",
        list_url=reverse("org:holidays", args=[school.code]),
    )


@login_required
def notification_settings(request: HttpRequest, code: str) -> HttpResponse:
    """The school's accounts with e-mail, SMS and 企业微信 (the notifications app's channels). Secrets
    are written, never shown back."""
    school, actor = _school_and_actor(request, code)
    require(is_school_admin(actor, school), _("只有本校管理员可以设置通知渠道。"))
    rows = {row.channel: row for row in notification_selectors.channel_settings(school_id=school.pk)}
    forms = {
        channel: ChannelForm(
            request.POST if request.method == "POST" and request.POST.get(f"{channel}-channel") else None,
            channel=channel,
            row=rows.get(channel),
        )
        for channel in EXTERNAL_CHANNELS
    }
    posted = next((f for f in forms.values() if f.is_bound), None)
    if posted is not None and posted.is_valid():
        config, secrets = posted.values()
        try:
            notification_services.configure_channel(
                actor=actor,
                school=school,
                channel=posted.kind,
                enabled=bool(posted.cleaned_data["enabled"]),
                provider=posted.cleaned_data["provider"],
                config=config,
                secrets=secrets,
            )
        except ServiceError as exc:
            show_service_error(posted, exc)
        else:
            messages.success(request, _("通知渠道设置已保存。"))
            return redirect("org:notification_settings", school.code)
    return render(
        request,
        "notifications/settings.html",
        {"school": school, "forms": [(Channel(c).label, f) for c, f in forms.items()]},
        status=422 if posted is not None else 200,
    )
