"""Reads for honors: the office's list, the prize ledger, the public roll and the verification lookup."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext, gettext_lazy

from chuangyou.honors import certificates
from chuangyou.honors.models import Honor, LongTermRecognition, LongTermRule, PrizeBudget
from chuangyou.lib.errors import NotFound
from chuangyou.lib.strokes import by_strokes
from chuangyou.nominations.selectors import bureau_awards
from chuangyou.org.models import Bureau, School, Staff, Student
from chuangyou.org.rules import Actor, can_read_school, can_view_student, require

READ_MESSAGE = gettext_lazy("您没有权限查看本校的表彰。")
CENT = Decimal("0.01")


def honors_for(actor: Actor, school: School) -> QuerySet[Honor]:
    require(can_read_school(actor, school), READ_MESSAGE)
    return Honor.objects.filter(school=school).select_related("award_type").order_by("-pk")


def get_honor(actor: Actor, school: School, pk: int) -> Honor:
    """One of the school's honors, for its office; NotFound otherwise."""
    found = honors_for(actor, school).select_related("school", "student").filter(pk=pk).first()
    if found is None:
        raise NotFound(gettext("没有这项荣誉。"))
    return found


def bureau_honors(actor: Actor, bureau: Bureau) -> QuerySet[Honor]:
    """The honors of the bureau's own awards, from all its schools: for the bureau admin only."""
    return (
        Honor.objects.filter(award_type__in=bureau_awards(actor, bureau), school__bureau=bureau)
        .select_related("school", "award_type")
        .order_by("-year", "award_type_id", "serial")
    )


@dataclass(frozen=True)
class LedgerLine:
    line_id: int
    name: str
    budget: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal


def ledger(actor: Actor, school: School) -> list[LedgerLine]:
    """Per 经费 line: budget, committed (issued, not cancelled), paid, remaining. One query."""
    require(can_read_school(actor, school), READ_MESSAGE)
    live = Q(payables__cancelled=False)
    budgets = (
        PrizeBudget.objects.filter(school=school)
        .select_related("line")
        .annotate(
            committed=Sum("payables__amount", filter=live),
            paid=Sum("payables__amount", filter=live & Q(payables__paid_on__isnull=False)),
        )
        .order_by("line_id")
    )
    rows = []
    for b in budgets:
        # Sums come back as 200 on SQLite and 200.00 on PostgreSQL: the ledger shows yuan and fen.
        done, paid = (Decimal(v or 0).quantize(CENT) for v in (b.committed, b.paid))
        rows.append(LedgerLine(b.line_id, b.line.name, b.amount, done, paid, b.amount - done))
    return rows


def roll(school: School, year: int) -> list[tuple[str, list[Honor]]]:
    """The public 光荣榜: issued (hence final), not revoked; names in 姓氏笔画 order within each award."""
    honors = Honor.objects.filter(school=school, campaign__year=year, revoked_on__isnull=True).select_related(
        "award_type"
    )
    groups: dict[str, list[Honor]] = defaultdict(list)
    for h in honors.order_by("award_type_id"):
        groups[h.award_type.name].append(h)
    return [(name, by_strokes(items, lambda h: h.name)) for name, items in groups.items()]


def verified(school: School, token: str) -> Honor | None:
    """The honor a QR token names, or None for a forged number or an edited token."""
    number = certificates.unsign_number(token)
    if not number:
        return None
    return Honor.objects.select_related("award_type").filter(school=school, number=number).first()


def verified_by_number(school: School, number: str, name: str) -> Honor | None:
    """The honor with this printed number whose holder has this name, or None (either one wrong)."""
    return (
        Honor.objects.select_related("award_type")
        .filter(school=school, number=number.strip(), name=name.strip())
        .first()
    )


def _run(years: set[int], length: int) -> list[int] | None:
    """The latest run of `length` consecutive years in `years`, if there is one."""
    for last in sorted(years, reverse=True):
        run = list(range(last - length + 1, last + 1))
        if all(y in years for y in run):
            return run
    return None


def qualifying_years(rule: LongTermRule, student_id: int) -> list[int] | None:
    years = set(
        Honor.objects.filter(
            award_type_id=rule.award_type_id, student_id=student_id, revoked_on__isnull=True
        ).values_list("year", flat=True)
    )
    return _run(years, rule.years)


@dataclass(frozen=True)
class Candidate:
    rule: LongTermRule
    student: Student
    years: list[int]

    @property
    def years_text(self) -> str:
        return "、".join(str(y) for y in self.years)


def long_term_candidates(actor: Actor, school: School) -> list[Candidate]:
    """Students the honors history qualifies for a long-term recognition, not yet confirmed. Two queries
    per rule, whatever the number of students."""
    require(can_read_school(actor, school), READ_MESSAGE)
    out = []
    for rule in LongTermRule.objects.filter(school=school).select_related("award_type").order_by("pk"):
        done = set(LongTermRecognition.objects.filter(rule=rule).values_list("student_id", flat=True))
        by_student: dict[int, set[int]] = defaultdict(set)
        students: dict[int, Student] = {}
        rows = Honor.objects.filter(
            award_type_id=rule.award_type_id, student__isnull=False, revoked_on__isnull=True
        ).select_related("student__school_class__grade")
        for h in rows:
            assert h.student is not None
            by_student[h.student.pk].add(h.year)
            students[h.student.pk] = h.student
        for sid, years in by_student.items():
            run = _run(years, rule.years)
            if run is not None and sid not in done:
                out.append(Candidate(rule, students[sid], run))
    return sorted(out, key=lambda c: (c.rule.pk, c.student.student_no))


def student_honors(actor: Actor, student: Student) -> tuple[list[Honor], list[LongTermRecognition]]:
    """Every honor of a student across years (revoked ones included, marked), for those who may see them."""
    require(can_view_student(actor, student), gettext("您没有权限查看这名学生的荣誉。"))
    honors = Honor.objects.filter(student=student).select_related("award_type").order_by("-year", "-pk")
    recognitions = LongTermRecognition.objects.filter(student=student).select_related("rule")
    return list(honors), list(recognitions)


def staff_honors(actor: Actor, staff: Staff) -> list[Honor]:
    own = actor.user is not None and staff.user_id == actor.user.pk
    require(own or can_read_school(actor, staff.school), gettext("您没有权限查看这位教职工的荣誉。"))
    return list(Honor.objects.filter(staff=staff).select_related("award_type").order_by("-year", "-pk"))


def certificate_honor(actor: Actor, school: School, honor_id: int) -> Honor:
    """A certificate is for the office, the holder, and a student's parents and 班主任."""
    honor = (
        Honor.objects.select_related("award_type", "school", "student__school", "staff")
        .filter(school=school, pk=honor_id)
        .first()
    )
    if honor is None:
        raise NotFound(gettext("没有这项荣誉。"))
    own_staff = honor.staff is not None and actor.user is not None and honor.staff.user_id == actor.user.pk
    allowed = (
        can_read_school(actor, school)
        or own_staff
        or (honor.student is not None and can_view_student(actor, honor.student))
    )
    require(allowed, gettext("您没有权限查看这张证书。"))
    return honor
