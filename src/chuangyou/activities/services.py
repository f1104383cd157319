"""Writes for activities: the activity, sign-up and withdrawal with the waitlist, teams, results,
external awards and evidence.

Every sign-up and withdrawal locks the activity row first, so counting the confirmed places and
taking one is a single step: no overbooking, and waitlist positions stay 1, 2, 3… On SQLite the
IMMEDIATE transaction already serializes writers; on PostgreSQL `select_for_update` does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.activities import rules
from chuangyou.activities.models import (
    ACTIVE,
    Activity,
    Award,
    Evidence,
    ExternalAward,
    Kind,
    Level,
    Registration,
    RegStatus,
    Result,
    ResultImport,
    Status,
    TeamMember,
)
from chuangyou.audit.services import Change, change_for, record, record_many, snapshot
from chuangyou.campaigns.models import Phase
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed, ServiceError
from chuangyou.lib.uploads import clean_upload
from chuangyou.org.models import Grade, School, SchoolClass, Staff, Student
from chuangyou.org.rules import Actor, can_manage_campaign, require

Person = Student | Staff
SAFETY_TYPES = ("pdf", "doc", "docx", "jpg", "jpeg", "png")
EVIDENCE_TYPES = ("jpg", "jpeg", "png", "pdf", "doc", "docx")
CERTIFICATE_TYPES = ("jpg", "jpeg", "png", "pdf")


# --- the activity --------------------------------------------------------------------------------


@dataclass
class ActivityInput:
    """An activity's fields as a form or the API gives them; checked by `_check_input`."""

    kind: str
    title: str
    phase: Phase
    person_in_charge: Staff
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    signup_opens: dt.datetime
    signup_closes: dt.datetime
    description: str = ""
    venue: str = ""
    resources: str = ""
    grades: Sequence[Grade] = ()
    classes: Sequence[SchoolClass] = ()
    for_students: bool = True
    for_teachers: bool = False
    for_party_members: bool = False
    is_team: bool = False
    team_min: int = 1
    team_max: int = 1

    FIELDS = (
        "kind", "title", "phase", "person_in_charge", "starts_at", "ends_at", "capacity", "signup_opens",
        "signup_closes", "description", "venue", "resources", "for_students", "for_teachers",
        "for_party_members", "is_team", "team_min", "team_max",
    )  # fmt: skip


def _fail(field_name: str, message: str) -> Invalid:
    return Invalid(message, {field_name: [message]})


def _check_input(school: School, data: ActivityInput) -> None:
    data.title = (data.title or "").strip()
    if not data.title:
        raise _fail("title", gettext("请填写活动名称。"))
    if len(data.title) > 120:
        raise _fail("title", gettext("活动名称不能超过 120 个字。"))
    if data.kind not in Kind.values:
        raise _fail("kind", gettext("请选择活动类别。"))
    if data.phase.school_id != school.pk:
        raise _fail("phase", gettext("所选阶段不属于本校的活动方案。"))
    if data.person_in_charge.school_id != school.pk:
        raise _fail("person_in_charge", gettext("负责人须是本校教职工。"))
    if any(g.school_id != school.pk for g in data.grades) or any(
        c.school_id != school.pk for c in data.classes
    ):
        raise _fail("classes", gettext("所选年级或班级不属于本校。"))
    if data.ends_at < data.starts_at:
        raise _fail("ends_at", gettext("结束时间不能早于开始时间。"))
    if data.signup_closes < data.signup_opens:
        raise _fail("signup_closes", gettext("报名截止时间不能早于报名开始时间。"))
    if data.signup_closes > data.ends_at:
        raise _fail("signup_closes", gettext("报名截止时间不能晚于活动结束时间。"))
    if data.capacity < 1:
        raise _fail("capacity", gettext("名额至少为 1。"))
    if not (data.for_students or data.for_teachers or data.for_party_members):
        raise _fail("for_students", gettext("请至少选择一类可报名的人员（学生、教师或党员教师）。"))
    if data.is_team:
        if data.team_min < 1 or data.team_max < data.team_min:
            raise _fail(
                "team_max", gettext("每队人数范围不正确：最少人数至少为 1，最多人数不能少于最少人数。")
            )
    else:
        data.team_min = data.team_max = 1


def _activity_fact(activity: Activity) -> dict[str, object]:
    return snapshot(activity) | {
        "grades": sorted(activity.grades.values_list("pk", flat=True)),
        "classes": sorted(activity.classes.values_list("pk", flat=True)),
    }


def _store_safety_plan(activity: Activity, upload: UploadedFile) -> None:
    clean = clean_upload(name=upload.name or "预案", data=upload, allowed=SAFETY_TYPES, field="safety_plan")
    activity.safety_plan.save(clean.name, ContentFile(clean.content), save=False)


def create_activity(
    *, actor: Actor, school: School, data: ActivityInput, safety_plan: UploadedFile | None = None
) -> Activity:
    require(can_manage_campaign(actor, school), rules.MANAGE_MESSAGE)
    _check_input(school, data)
    with transaction.atomic():
        activity = Activity(school=school, campaign_id=data.phase.campaign_id, status=Status.DRAFT)
        for name in ActivityInput.FIELDS:
            setattr(activity, name, getattr(data, name))
        if safety_plan is not None:
            _store_safety_plan(activity, safety_plan)
        activity.save()
        activity.grades.set(data.grades)
        activity.classes.set(data.classes)
        record(
            actor,
            change_for("activity.create", activity, school_id=school.pk, after=_activity_fact(activity)),
        )
    return activity


def update_activity(
    *,
    actor: Actor,
    activity: Activity,
    data: ActivityInput,
    safety_plan: UploadedFile | None = None,
) -> Activity:
    require(can_manage_campaign(actor, activity.school), rules.MANAGE_MESSAGE)
    _check_input(activity.school, data)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        before = _activity_fact(locked)
        taken = Registration.objects.filter(activity=locked, status=RegStatus.CONFIRMED).count()
        if data.capacity < taken:
            raise _fail(
                "capacity",
                gettext("已有 %(taken)s 人（队）报名成功，名额不能少于 %(taken)s。") % {"taken": taken},
            )
        if locked.is_team != data.is_team and Registration.objects.filter(activity=locked).exists():
            raise _fail("is_team", gettext("已有人报名，不能再更改个人/团体形式。"))
        for name in ActivityInput.FIELDS:
            setattr(locked, name, getattr(data, name))
        locked.campaign_id = data.phase.campaign_id
        if safety_plan is not None:
            _store_safety_plan(locked, safety_plan)
        locked.save()
        locked.grades.set(data.grades)
        locked.classes.set(data.classes)
        # More places than before: the waitlist moves up at once, in order.
        changes = _promote(locked)
        after = _activity_fact(locked)
        record_many(
            actor,
            [
                change_for("activity.update", locked, school_id=locked.school_id, before=before, after=after),
                *changes,
            ],
        )
    return locked


def _set_status(actor: Actor, activity: Activity, status: Status, action: str) -> Activity:
    require(can_manage_campaign(actor, activity.school), rules.MANAGE_MESSAGE)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status == Status.CANCELLED:
            raise Conflict(gettext("活动已取消，不能再更改状态。"))
        before = snapshot(locked, ["status"])
        locked.status = status
        locked.save(update_fields=["status"])
        record(
            actor,
            change_for(
                action, locked, school_id=locked.school_id, before=before, after=snapshot(locked, ["status"])
            ),
        )
    return locked


def publish_activity(*, actor: Actor, activity: Activity) -> Activity:
    return _set_status(actor, activity, Status.PUBLISHED, "activity.publish")


def cancel_activity(*, actor: Actor, activity: Activity) -> Activity:
    return _set_status(actor, activity, Status.CANCELLED, "activity.cancel")


def delete_activity(*, actor: Actor, activity: Activity) -> None:
    """Only a draft nobody signed up for: anything else is history and is cancelled instead."""
    require(can_manage_campaign(actor, activity.school), rules.MANAGE_MESSAGE)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status != Status.DRAFT or Registration.objects.filter(activity=locked).exists():
            raise Conflict(gettext("只能删除尚无人报名的草稿活动；已发布的活动请取消。"))
        record(
            actor,
            change_for("activity.delete", locked, school_id=locked.school_id, before=_activity_fact(locked)),
        )
        locked.delete()


# --- eligibility ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Who may take part, loaded once per operation so a bulk sign-up checks everyone without queries."""

    grade_ids: frozenset[int]
    class_ids: frozenset[int]
    grade_names: tuple[str, ...]
    class_names: tuple[str, ...]

    @classmethod
    def of(cls, activity: Activity) -> Scope:
        grades = list(activity.grades.all())
        classes = list(activity.classes.select_related("grade"))
        return cls(
            frozenset(g.pk for g in grades),
            frozenset(c.pk for c in classes),
            tuple(g.name for g in grades),
            tuple(str(c) for c in classes),
        )


def eligibility_problem(activity: Activity, person: Person, scope: Scope) -> str | None:
    """Why `person` may not take part, in Chinese; None when they may."""
    if person.school_id != activity.school_id:
        return gettext("%(name)s不是本校人员。") % {"name": person.name}
    if isinstance(person, Student):
        if not activity.for_students:
            return gettext("本活动不面向学生。")
        if scope.grade_ids or scope.class_ids:
            school_class = person.school_class
            if school_class.grade_id not in scope.grade_ids and school_class.pk not in scope.class_ids:
                allowed = gettext("、").join((*scope.grade_names, *scope.class_names))
                return gettext("本活动只面向%(allowed)s的学生，%(name)s所在的%(school_class)s不在其中。") % {
                    "allowed": allowed,
                    "name": person.name,
                    "school_class": school_class,
                }
        return None
    if activity.for_teachers:
        return None
    if activity.for_party_members:
        return None if person.is_party_member else gettext("本活动只面向党员教师。")
    return gettext("本活动不面向教师。")


# --- sign-up, the waitlist and withdrawal --------------------------------------------------------


def _lock(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


def _check_window(activity: Activity, now: dt.datetime) -> None:
    if activity.status != Status.PUBLISHED:
        raise Invalid(gettext("活动尚未发布或已取消，不能报名。"))
    if now < activity.signup_opens:
        raise Invalid(
            gettext("报名尚未开始：%(localtime)s 开始报名。")
            % {"localtime": format(timezone.localtime(activity.signup_opens), "%Y-%m-%d %H:%M")}
        )
    if now > activity.signup_closes:
        raise Invalid(
            gettext("报名已截止（%(localtime)s）。")
            % {"localtime": format(timezone.localtime(activity.signup_closes), "%Y-%m-%d %H:%M")}
        )


@dataclass
class Taken:
    """Everyone already holding a place or a waitlist spot (captains and team members alike)."""

    student_ids: set[int] = field(default_factory=set)
    staff_ids: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, activity: Activity, people: Sequence[Person] | None = None) -> Taken:
        """Who holds a spot; limited to `people` when given, so one sign-up reads one or two rows."""
        taken = cls()
        registrations = Registration.objects.filter(activity=activity, status__in=ACTIVE)
        members = TeamMember.objects.filter(activity=activity)
        if people is not None:
            student_ids = [p.pk for p in people if isinstance(p, Student)]
            staff_ids = [p.pk for p in people if isinstance(p, Staff)]
            whose = Q(student_id__in=student_ids) | Q(staff_id__in=staff_ids)
            registrations, members = registrations.filter(whose), members.filter(whose)
        for student_id, staff_id in [
            *registrations.values_list("student_id", "staff_id"),
            *members.values_list("student_id", "staff_id"),
        ]:
            taken.add(student_id, staff_id)
        return taken

    def add(self, student_id: int | None, staff_id: int | None) -> None:
        if student_id is not None:
            self.student_ids.add(student_id)
        if staff_id is not None:
            self.staff_ids.add(staff_id)

    def holds(self, person: Person) -> bool:
        ids = self.student_ids if isinstance(person, Student) else self.staff_ids
        return person.pk in ids


def _next_place(activity: Activity) -> tuple[str, int | None]:
    confirmed = Registration.objects.filter(activity=activity, status=RegStatus.CONFIRMED).count()
    if confirmed < activity.capacity:
        return RegStatus.CONFIRMED, None
    last = Registration.objects.filter(activity=activity, status=RegStatus.WAITLISTED).aggregate(
        last=Max("waitlist_position")
    )["last"]
    return RegStatus.WAITLISTED, (last or 0) + 1


def _require_act_for(actor: Actor, person: Person) -> None:
    if isinstance(person, Student):
        require(rules.can_act_for_student(actor, person), gettext("您只能为自己或本班学生报名、退出。"))
    else:
        require(rules.can_act_for_staff(actor, person), gettext("您只能为自己报名、退出。"))


def _person_fields(person: Person) -> dict[str, Person]:
    return {"student": person} if isinstance(person, Student) else {"staff": person}


def _register(
    actor: Actor, locked: Activity, person: Person, scope: Scope, taken: Taken, team_name: str = ""
) -> Registration:
    """Take a place or a waitlist spot for `person` on an already locked activity. Raises before writing."""
    problem = eligibility_problem(locked, person, scope)
    if problem:
        raise Invalid(problem)
    if taken.holds(person):
        raise Conflict(gettext("%(person_name)s已经报名了这个活动。") % {"person_name": person.name})
    status, position = _next_place(locked)
    registration = Registration.objects.create(
        school_id=locked.school_id,
        activity=locked,
        team_name=team_name,
        status=status,
        waitlist_position=position,
        registered_by=actor.user,
        **_person_fields(person),
    )
    taken.add(registration.student_id, registration.staff_id)
    return registration


def _sign_up_change(registration: Registration) -> Change:
    return change_for(
        "activity.sign_up",
        registration,
        school_id=registration.school_id,
        after=snapshot(
            registration, ["activity", "student", "staff", "team_name", "status", "waitlist_position"]
        ),
    )


def sign_up(
    *, actor: Actor, activity: Activity, person: Person, now: dt.datetime | None = None
) -> Registration:
    """An individual sign-up: a place if one is left, else the next waitlist position."""
    _require_act_for(actor, person)
    if activity.is_team:
        raise Invalid(gettext("这是团体项目，请由队长以团队报名。"))
    try:
        with transaction.atomic():
            locked = _lock(activity)
            _check_window(locked, now or timezone.now())
            registration = _register(actor, locked, person, Scope.of(locked), Taken.of(locked, [person]))
            record(actor, _sign_up_change(registration))
    except IntegrityError as exc:  # the unique constraint, should a check ever be bypassed
        raise Conflict(gettext("%(person_name)s已经报名了这个活动。") % {"person_name": person.name}) from exc
    return registration


@dataclass(frozen=True)
class BulkOutcome:
    student: Student
    registration: Registration | None
    message: str  # why it was refused, or "" when signed up


def bulk_sign_up(
    *, actor: Actor, activity: Activity, students: Iterable[Student], now: dt.datetime | None = None
) -> list[BulkOutcome]:
    """A 班主任 signs up students of their class at once. Each one is checked on its own: a refusal is
    reported for that student and the others still go through."""
    chosen = list(students)
    if not chosen:
        raise Invalid(gettext("请至少选择一名学生。"))
    for student in chosen:
        require(
            rules.can_act_for_student(actor, student) and student.pk != actor.own_student_id,
            gettext("您只能为本班学生批量报名。"),
        )
    if activity.is_team:
        raise Invalid(gettext("这是团体项目，请以团队报名。"))
    outcomes: list[BulkOutcome] = []
    with transaction.atomic():
        locked = _lock(activity)
        _check_window(locked, now or timezone.now())
        scope, taken = Scope.of(locked), Taken.of(locked, chosen)
        changes = []
        for student in chosen:
            try:
                registration = _register(actor, locked, student, scope, taken)
            except ServiceError as exc:
                outcomes.append(BulkOutcome(student, None, exc.message))
            else:
                outcomes.append(BulkOutcome(student, registration, ""))
                changes.append(_sign_up_change(registration))
        record_many(actor, changes)
    return outcomes


def register_team(
    *,
    actor: Actor,
    activity: Activity,
    captain: Person,
    members: Sequence[Person],
    team_name: str,
    now: dt.datetime | None = None,
) -> Registration:
    """A team: the captain holds the place; every member is eligible and not already registered."""
    # The captain (or whoever may act for the captain) names the members; each is checked for eligibility.
    _require_act_for(actor, captain)
    if not activity.is_team:
        raise Invalid(gettext("这是个人项目，请各自报名。"))
    team_name = (team_name or "").strip()
    if not team_name:
        raise _fail("team_name", gettext("请填写队名。"))
    everyone = [captain, *members]
    keys = [(type(p).__name__, p.pk) for p in everyone]
    if len(set(keys)) != len(keys):
        raise Invalid(gettext("同一人不能在队伍中出现两次。"))
    if not activity.team_min <= len(everyone) <= activity.team_max:
        raise Invalid(
            gettext("每队须有 %(team_min)s–%(team_max)s 人（含队长），现在是 %(everyone_count)s 人。")
            % {"team_min": activity.team_min, "team_max": activity.team_max, "everyone_count": len(everyone)}
        )
    try:
        with transaction.atomic():
            locked = _lock(activity)
            _check_window(locked, now or timezone.now())
            scope, taken = Scope.of(locked), Taken.of(locked, everyone)
            problems = []
            for person in everyone:
                problem = eligibility_problem(locked, person, scope)
                if problem is None and taken.holds(person):
                    problem = gettext("%(name)s已经报名了这个活动。") % {"name": person.name}
                if problem:
                    problems.append(problem)
            if problems:
                raise Invalid("；".join(problems))
            registration = _register(actor, locked, captain, scope, taken, team_name=team_name)
            TeamMember.objects.bulk_create(
                TeamMember(
                    school_id=locked.school_id,
                    registration=registration,
                    activity=locked,
                    **_person_fields(m),
                )
                for m in members
            )
            change = _sign_up_change(registration)
            change.after["members"] = [f"{type(m).__name__.lower()}:{m.pk}" for m in members]  # type: ignore[index]
            record(actor, change)
    except IntegrityError as exc:
        raise Conflict(gettext("队伍中有人已经报名了这个活动。")) from exc
    return registration


def _promote(locked: Activity) -> list[Change]:
    """Fill free places from the waitlist in order and close the gap in the positions."""
    free = locked.capacity - Registration.objects.filter(activity=locked, status=RegStatus.CONFIRMED).count()
    if free <= 0:
        return []
    moving = list(
        Registration.objects.filter(activity=locked, status=RegStatus.WAITLISTED).order_by(
            "waitlist_position"
        )[:free]
    )
    if not moving:
        return []
    Registration.objects.filter(pk__in=[r.pk for r in moving]).update(
        status=RegStatus.CONFIRMED, waitlist_position=None
    )
    Registration.objects.filter(activity=locked, status=RegStatus.WAITLISTED).update(
        waitlist_position=F("waitlist_position") - len(moving)
    )
    return [
        change_for(
            "activity.promote",
            r,
            school_id=r.school_id,
            before={"status": r.status, "waitlist_position": r.waitlist_position},
            after={"status": RegStatus.CONFIRMED, "waitlist_position": None},
        )
        for r in moving
    ]


def withdraw(*, actor: Actor, registration: Registration, now: dt.datetime | None = None) -> Registration:
    """Give up a place or a waitlist spot. A freed place goes to the first on the waitlist in the same
    transaction, so nobody can slip in between."""
    _require_act_for(actor, registration.person)
    moment = now or timezone.now()
    with transaction.atomic():
        locked = _lock(registration.activity)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegStatus.WITHDRAWN:
            raise Conflict(gettext("已经退出了这个活动。"))
        if moment > locked.signup_closes or locked.starts_at <= moment:
            raise Invalid(gettext("报名已截止，不能在网上退出，请联系活动负责人。"))
        if Result.objects.filter(registration=current).exists():
            raise Conflict(gettext("已登记成绩，不能退出。"))
        before = snapshot(current, ["status", "waitlist_position"])
        old_position = current.waitlist_position
        current.status, current.waitlist_position, current.withdrawn_at = RegStatus.WITHDRAWN, None, moment
        current.save(update_fields=["status", "waitlist_position", "withdrawn_at"])
        members = list(current.members.values_list("student_id", "staff_id"))
        current.members.all().delete()
        changes = [
            change_for(
                "activity.withdraw",
                current,
                school_id=current.school_id,
                before=before | {"members": members},
                after=snapshot(current, ["status", "waitlist_position"]),
            )
        ]
        if old_position is not None:
            Registration.objects.filter(
                activity=locked, status=RegStatus.WAITLISTED, waitlist_position__gt=old_position
            ).update(waitlist_position=F("waitlist_position") - 1)
        else:
            changes += _promote(locked)
        record_many(actor, changes)
    return current


# --- results -------------------------------------------------------------------------------------


def _check_result(rank: int | None, score: Decimal | None, award: str) -> None:
    if award and award not in Award.values:
        raise _fail("award", gettext("奖项只能是一等奖、二等奖、三等奖或优秀奖。"))
    if rank is not None and rank < 1:
        raise _fail("rank", gettext("名次须是正整数。"))
    if score is not None and not Decimal("-99999") < score < Decimal("99999"):
        raise _fail("score", gettext("成绩超出范围。"))
    if rank is None and score is None and not award:
        raise _fail("award", gettext("请至少填写名次、成绩或奖项中的一项。"))


def _result_fact(result: Result) -> dict[str, object]:
    return snapshot(result, ["registration", "rank", "score", "award", "note"])


def record_result(
    *,
    actor: Actor,
    registration: Registration,
    rank: int | None = None,
    score: Decimal | None = None,
    award: str = "",
    note: str = "",
) -> Result:
    """The result of one confirmed registration; recording again replaces it (both kept in the audit)."""
    activity = registration.activity
    require(rules.can_record_results(actor, activity), rules.RESULTS_MESSAGE)
    _check_result(rank, score, award)
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != RegStatus.CONFIRMED:
            raise Invalid(gettext("只能为报名成功的人员登记成绩。"))
        result = Result.objects.filter(registration=current).first()
        before = _result_fact(result) if result else None
        result = result or Result(school_id=current.school_id, registration=current)
        result.rank, result.score, result.award, result.note = rank, score, award, note.strip()[:200]
        result.save()
        record(
            actor,
            change_for(
                "activity.result",
                result,
                school_id=result.school_id,
                before=before,
                after=_result_fact(result),
            ),
        )
    return result


def delete_result(*, actor: Actor, result: Result) -> None:
    require(rules.can_record_results(actor, result.registration.activity), rules.RESULTS_MESSAGE)
    with transaction.atomic():
        record(
            actor,
            change_for(
                "activity.result_delete", result, school_id=result.school_id, before=_result_fact(result)
            ),
        )
        result.delete()


def import_results(*, actor: Actor, activity: Activity, name: str, stream: IO[bytes]) -> ResultImport:
    """Results from an .xlsx, all or nothing: any bad row and nothing is written, and the upload keeps
    an annotated copy of the workbook with each error at its row and column."""
    from chuangyou.activities import xlsx

    require(rules.can_record_results(actor, activity), rules.RESULTS_MESSAGE)
    sheet = xlsx.read_results(name, stream)
    by_student: dict[str, Registration] = {}
    by_staff: dict[str, Registration] = {}
    confirmed = Registration.objects.filter(activity=activity, status=RegStatus.CONFIRMED).select_related(
        "student", "staff"
    )
    for registration in confirmed:
        if registration.student:
            by_student[registration.student.student_no] = registration
        if registration.staff:
            by_staff[registration.staff.staff_no] = registration
    for member in TeamMember.objects.filter(registration__in=confirmed).select_related(
        "student", "staff", "registration"
    ):
        if member.student:
            by_student[member.student.student_no] = member.registration
        if member.staff:
            by_staff[member.staff.staff_no] = member.registration
    rows, errors = xlsx.parse_result_rows(sheet, by_student, by_staff)
    upload = ResultImport(
        school_id=activity.school_id,
        activity=activity,
        file_name=name[:120],
        row_count=len(sheet.rows),
        error_count=len(errors),
        uploaded_by=actor.user,
    )
    with transaction.atomic():
        if errors:
            upload.report.save(
                "成绩导入错误报告.xlsx", ContentFile(xlsx.write_error_report(sheet, errors)), save=False
            )
            upload.save()
            record(
                actor,
                change_for(
                    "activity.result_import_refused",
                    upload,
                    school_id=upload.school_id,
                    after=snapshot(upload),
                ),
            )
            return upload
        changes = []
        for row in rows:
            result = Result.objects.filter(registration=row.registration).first()
            before = _result_fact(result) if result else None
            result = result or Result(school_id=activity.school_id, registration=row.registration)
            result.rank, result.score, result.award, result.note = row.rank, row.score, row.award, row.note
            result.save()
            changes.append(
                change_for(
                    "activity.result",
                    result,
                    school_id=result.school_id,
                    before=before,
                    after=_result_fact(result),
                )
            )
        upload.applied = True
        upload.save()
        changes.append(
            change_for("activity.result_import", upload, school_id=upload.school_id, after=snapshot(upload))
        )
        record_many(actor, changes)
    return upload


# --- external competitions -----------------------------------------------------------------------


def record_external_award(
    *,
    actor: Actor,
    student: Student,
    competition: str,
    level: str,
    awarded_on: dt.date,
    certificate: UploadedFile,
    award: str = "",
    rank: int | None = None,
) -> ExternalAward:
    """A prize won outside (全国中学生数学竞赛, 信息学奥赛 …). The certificate scan is its evidence."""
    require(
        rules.can_record_external_award(actor, student),
        gettext("只有班主任或工作小组成员可以登记校外竞赛获奖。"),
    )
    competition = (competition or "").strip()
    if not competition:
        raise _fail("competition", gettext("请填写竞赛名称。"))
    if level not in Level.values:
        raise _fail("level", gettext("请选择获奖级别。"))
    _check_result(rank, None, award)
    if awarded_on > timezone.localdate():
        raise _fail("awarded_on", gettext("获奖日期不能晚于今天。"))
    clean = clean_upload(
        name=certificate.name or "证书", data=certificate, allowed=CERTIFICATE_TYPES, field="certificate"
    )
    with transaction.atomic():
        prize = ExternalAward(
            school_id=student.school_id,
            student=student,
            competition=competition[:120],
            level=level,
            award=award,
            rank=rank,
            awarded_on=awarded_on,
            recorded_by=actor.user,
        )
        prize.certificate.save(clean.name, ContentFile(clean.content), save=False)
        prize.save()
        record(
            actor,
            change_for("activity.external_award", prize, school_id=prize.school_id, after=snapshot(prize)),
        )
    return prize


def delete_external_award(*, actor: Actor, prize: ExternalAward) -> None:
    require(
        rules.can_record_external_award(actor, prize.student),
        gettext("只有班主任或工作小组成员可以删除校外竞赛获奖。"),
    )
    with transaction.atomic():
        record(
            actor,
            change_for(
                "activity.external_award_delete", prize, school_id=prize.school_id, before=snapshot(prize)
            ),
        )
        prize.delete()


# --- evidence ------------------------------------------------------------------------------------


def add_evidence(*, actor: Actor, activity: Activity, upload: UploadedFile, caption: str = "") -> Evidence:
    require(
        rules.can_record_results(actor, activity), gettext("只有活动负责人或工作小组成员可以上传活动材料。")
    )
    clean = clean_upload(name=upload.name or "材料", data=upload, allowed=EVIDENCE_TYPES)
    with transaction.atomic():
        evidence = Evidence(
            school_id=activity.school_id,
            activity=activity,
            original_name=clean.name[:120],
            is_image=clean.is_image,
            caption=(caption or "").strip()[:200],
            uploaded_by=actor.user,
        )
        evidence.file.save(clean.name, ContentFile(clean.content), save=False)
        evidence.save()
        record(
            actor,
            change_for("activity.evidence", evidence, school_id=evidence.school_id, after=snapshot(evidence)),
        )
    return evidence


def set_exhibition_approved(*, actor: Actor, evidence: Evidence, approved: bool) -> Evidence:
    require(can_manage_campaign(actor, evidence.activity.school), rules.MANAGE_MESSAGE)
    if approved and not evidence.is_image:
        raise Invalid(gettext("只有照片可以用于成果展示。"))
    with transaction.atomic():
        before = snapshot(evidence, ["exhibition_approved"])
        updated = Evidence.objects.filter(pk=evidence.pk).update(exhibition_approved=approved)
        if not updated:
            raise NotAllowed(gettext("这份材料已被删除。"))
        evidence.exhibition_approved = approved
        record(
            actor,
            change_for(
                "activity.evidence_exhibition",
                evidence,
                school_id=evidence.school_id,
                before=before,
                after=snapshot(evidence, ["exhibition_approved"]),
            ),
        )
    return evidence


def delete_evidence(*, actor: Actor, evidence: Evidence) -> None:
    require(
        rules.can_record_results(actor, evidence.activity),
        gettext("只有活动负责人或工作小组成员可以删除活动材料。"),
    )
    with transaction.atomic():
        record(
            actor,
            change_for(
                "activity.evidence_delete", evidence, school_id=evidence.school_id, before=snapshot(evidence)
            ),
        )
        evidence.delete()
