"""Reads of volunteer claims and totals, limited to what the actor may see."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_lazy

from chuangyou.lib.errors import NotFound
from chuangyou.org.models import School, Staff, Student
from chuangyou.org.rules import Actor, can_manage_campaign, can_read_school, require
from chuangyou.volunteering.models import Claim, ClaimStatus, VolunteerSettings
from chuangyou.volunteering.rules import can_list_volunteers, can_view_claim

VIEW_MESSAGE = gettext_lazy("您没有权限查看这条志愿服务记录。")
LIST_MESSAGE = gettext_lazy("只有本校管理员、三个小组成员、班主任和主管教育局可以查看志愿者名单。")
ZERO = Decimal("0")
CENTS = Decimal("0.01")


def settings_for(school: School) -> VolunteerSettings:
    """The school's rules: its row, else DOMAIN.md's defaults, unsaved. A read never writes: the row
    is made, audited, by the first `services.update_settings`."""
    return VolunteerSettings.objects.filter(school=school).first() or VolunteerSettings(school=school)


def participant_of(actor: Actor, school: School) -> Student | Staff | None:
    """Who the actor claims hours as in this school: their own student row, else their staff row."""
    if actor.own_student_id is not None:
        student = Student.objects.filter(pk=actor.own_student_id, school=school).first()
        if student is not None:
            return student
    if actor.user is None:
        return None
    return Staff.objects.filter(user=actor.user, school=school).first()


def _claims(school: School) -> QuerySet[Claim]:
    return Claim.objects.filter(school=school).select_related(
        "student__school_class__grade", "staff", "organizer", "school"
    )


def claims_visible_to(actor: Actor, school: School) -> QuerySet[Claim]:
    """The whole school for its office; otherwise one's own, one's children's, one's class's, and
    the claims naming one as organizer."""
    base = _claims(school)
    if can_read_school(actor, school) or can_manage_campaign(actor, school):
        return base
    allowed = Q(student_id__in=actor.child_student_ids) | Q(
        student__school_class_id__in=actor.head_teacher_class_ids()
    )
    if actor.own_student_id is not None:
        allowed |= Q(student_id=actor.own_student_id)
    if actor.user is not None:
        allowed |= Q(staff__user=actor.user) | Q(organizer__user=actor.user)
    return base.filter(allowed)


def claim_for(actor: Actor, school: School, claim_id: int) -> Claim:
    claim = _claims(school).filter(pk=claim_id).first()
    if claim is None:
        raise NotFound(gettext("没有这条志愿服务记录。"))
    require(can_view_claim(actor, claim), VIEW_MESSAGE)
    return claim


StatusFilter = Literal["pending", "approved", "rejected", "all"]
STATUS_FILTERS: tuple[StatusFilter, ...] = ("pending", "approved", "rejected", "all")


def status_filter(value: str | None, default: StatusFilter = "pending") -> StatusFilter:
    return next((f for f in STATUS_FILTERS if f == value), default)


def claims_to_certify(actor: Actor, school: School, *, status: StatusFilter = "pending") -> QuerySet[Claim]:
    """The review queue: claims naming the actor as organizer; all of them for those running the campaign."""
    rows = _claims(school)
    if not can_manage_campaign(actor, school):
        if actor.user is None:
            return rows.none()
        rows = rows.filter(organizer__user=actor.user)
    if status != "all":
        rows = rows.filter(status=status)
    return rows.order_by("served_on", "pk") if status == "pending" else rows


def claims_of(*, student: Student | None = None, staff: Staff | None = None) -> QuerySet[Claim]:
    """One person's claims; the caller has checked the viewer may see that person."""
    rows = Claim.objects.select_related("organizer", "school")
    return rows.filter(student=student) if student is not None else rows.filter(staff=staff)


def consents_awaited(actor: Actor) -> QuerySet[Claim]:
    """A parent's to-do list: their children's pending claims still without consent."""
    return (
        Claim.objects.filter(
            student_id__in=actor.child_student_ids, status=ClaimStatus.PENDING, consent="missing"
        )
        .select_related("student", "organizer", "school")
        .order_by("served_on", "pk")
    )


# --- totals and milestones ----------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    total: Decimal
    reached: list[int]
    next_milestone: int | None

    @property
    def remaining(self) -> Decimal | None:
        return None if self.next_milestone is None else Decimal(self.next_milestone) - self.total

    @property
    def percent(self) -> int:
        """How far along the way to the next milestone, for the progress bar."""
        if self.next_milestone is None:
            return 100
        start = Decimal(self.reached[-1]) if self.reached else ZERO
        span = Decimal(self.next_milestone) - start
        return int((self.total - start) * 100 / span) if span > 0 else 100


def progress(total: Decimal, milestones: Collection[int]) -> Progress:
    ordered = sorted(milestones)
    reached = [m for m in ordered if total >= m]
    upcoming = [m for m in ordered if total < m]
    return Progress(total=total, reached=reached, next_milestone=upcoming[0] if upcoming else None)


def _approved_sum() -> Coalesce:
    return Coalesce(
        Sum("volunteer_claims__hours", filter=Q(volunteer_claims__status=ClaimStatus.APPROVED)),
        Value(ZERO),
        output_field=DecimalField(max_digits=9, decimal_places=2),
    )


def _pending_sum() -> Coalesce:
    return Coalesce(
        Sum("volunteer_claims__hours", filter=Q(volunteer_claims__status=ClaimStatus.PENDING)),
        Value(ZERO),
        output_field=DecimalField(max_digits=9, decimal_places=2),
    )


def approved_total(*, student: Student | None = None, staff: Staff | None = None) -> Decimal:
    total = (
        claims_of(student=student, staff=staff).filter(status=ClaimStatus.APPROVED).aggregate(t=Sum("hours"))
    )
    return (total["t"] or ZERO).quantize(CENTS)  # SQLite's sum drops the scale PostgreSQL keeps


VolunteerKind = Literal["students", "staff"]


def volunteers(
    actor: Actor, school: School, *, kind: VolunteerKind = "students", class_id: int | None = None
) -> QuerySet[Student] | QuerySet[Staff]:
    """Everyone with a claim, with approved and pending hours, most hours first. A 班主任 who is not
    in the office sees their own classes' students."""
    require(can_list_volunteers(actor, school), LIST_MESSAGE)
    office = can_read_school(actor, school)
    if kind == "staff":
        if not office:
            return Staff.objects.none()
        staff = Staff.objects.filter(school=school, volunteer_claims__isnull=False).distinct()
        return (
            Staff.objects.filter(pk__in=staff)
            .annotate(total=_approved_sum(), pending=_pending_sum())
            .order_by("-total", "staff_no")
        )
    students = Student.objects.filter(school=school, volunteer_claims__isnull=False)
    if not office:
        students = students.filter(school_class_id__in=actor.head_teacher_class_ids())
    if class_id is not None:
        students = students.filter(school_class_id=class_id)
    return (
        Student.objects.filter(pk__in=students.values("pk"))
        .select_related("school_class__grade")
        .annotate(total=_approved_sum(), pending=_pending_sum())
        .order_by("-total", "student_no")
    )


def organizer_choices(school: School) -> QuerySet[Staff]:
    return Staff.objects.filter(school=school).order_by("name", "staff_no")
