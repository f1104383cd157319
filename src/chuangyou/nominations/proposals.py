"""Nominees the data proposes, for award types decided by a measurable result.

Nominations sit above the apps they read here (see the layers in pyproject.toml), so it imports them
openly. Each source reads another app's records (approved volunteer hours, funded projects, monthly book
picks, competition prizes, imported exam scores) for one campaign year and returns, per student, the
lines that justify the award and links to the records. A person confirms a proposal; the nomination's
事迹材料 and evidence are then made from these lines, so nobody retypes what the system already knows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from chuangyou.activities.models import Award, ExternalAward, Result
from chuangyou.books.models import BookAward
from chuangyou.campaigns.models import Campaign
from chuangyou.nominations import gates
from chuangyou.nominations.models import (
    AwardType,
    ExamScore,
    Nomination,
    ProposalSource,
    QuotaKind,
    QuotaUnit,
)
from chuangyou.org.models import School, Student
from chuangyou.projects.models import Proposal as Project
from chuangyou.projects.models import Status
from chuangyou.volunteering.models import Claim, ClaimStatus

PRIZES = ("first", "second", "third")  # 一/二/三等奖; 优秀奖 is not a prize for this purpose


@dataclass
class Proposal:
    student: Student
    reasons: list[str] = field(default_factory=list)
    evidence: list[dict[str, str]] = field(default_factory=list)

    @property
    def story(self) -> str:
        return "系统依据以下记录提名：\n" + "\n".join(f"{i}. {r}" for i, r in enumerate(self.reasons, 1))


class _Found(dict[int, Proposal]):
    def add(self, student: Student, reason: str, source: str, pk: object) -> None:
        p = self.setdefault(student.pk, Proposal(student))
        p.reasons.append(reason)
        p.evidence.append({"source": source, "id": str(pk), "label": reason})


def number(d: Decimal) -> str:
    """42.50 → 42.5, 40.00 → 40: how people write hours and scores."""
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _students(ids: object) -> dict[int, Student]:
    rows = Student.objects.filter(pk__in=ids).select_related("school_class__grade")
    return {s.pk: s for s in rows}


# --- sources -----------------------------------------------------------------------------------------


def _volunteer_hours(school: School, campaign: Campaign, award: AwardType) -> _Found:
    """The most approved hours in the year, per quota unit, as many as the quota (ties at the cut kept)."""
    totals = (
        Claim.objects.filter(
            school=school, status=ClaimStatus.APPROVED, student__isnull=False, served_on__year=campaign.year
        )
        .values("student_id")
        .annotate(total=Sum("hours"), times=Count("id"))
    )
    by_id = {row["student_id"]: row for row in totals}
    students = _students(by_id)
    unit_of: Callable[[Student], tuple[int, str]]
    if award.quota_unit == QuotaUnit.CLASS:
        unit_of = lambda s: (s.school_class_id, str(s.school_class))  # noqa: E731
        sizes = Student.objects.filter(school=school).values("school_class_id").annotate(n=Count("id"))
        size = {r["school_class_id"]: r["n"] for r in sizes}
    elif award.quota_unit == QuotaUnit.GRADE:
        unit_of = lambda s: (s.school_class.grade_id, f"{s.school_class.grade.name}年级")  # noqa: E731
        sizes = Student.objects.filter(school=school).values("school_class__grade_id").annotate(n=Count("id"))
        size = {r["school_class__grade_id"]: r["n"] for r in sizes}
    else:
        unit_of = lambda s: (0, "全校")  # noqa: E731
        size = {0: Student.objects.filter(school=school).count()}
    units: dict[int, list[Student]] = defaultdict(list)
    for s in students.values():
        units[unit_of(s)[0]].append(s)
    found = _Found()
    for unit_id, members in units.items():
        quota = (
            int(award.quota_value)
            if award.quota_kind == QuotaKind.COUNT
            else math.floor(award.quota_value * size.get(unit_id, 0))
        )
        ranked = sorted(members, key=lambda s: (-by_id[s.pk]["total"], s.student_no))
        if quota < 1 or not ranked:
            continue
        cut = by_id[ranked[min(quota, len(ranked)) - 1].pk]["total"]
        for s in ranked:
            total = by_id[s.pk]["total"]
            if total < cut:
                break
            rank = 1 + sum(1 for m in ranked if by_id[m.pk]["total"] > total)
            reason = (
                f"{campaign.year} 年已认证志愿服务 {number(total)} 小时（{by_id[s.pk]['times']} 次），"
                f"{unit_of(s)[1]}第 {rank} 名"
            )
            found.add(s, reason, "volunteering.hours", f"{s.pk}/{campaign.year}")
    return found


def _funded_projects(school: School, campaign: Campaign, award: AwardType) -> _Found:
    projects = (
        Project.objects.filter(school=school, status=Status.FUNDED, decided_on__year=campaign.year)
        .select_related("lead__school_class__grade")
        .prefetch_related("team__student__school_class__grade")
        .order_by("decided_on", "pk")
    )
    found = _Found()
    for p in projects:
        members = {m.student.pk: m.student for m in p.team.all()} | {p.lead.pk: p.lead}
        for s in sorted(members.values(), key=lambda s: (s.pk != p.lead_id, s.student_no)):
            role = "负责人" if s.pk == p.lead_id else "成员"
            reason = (
                f"创新项目《{p.title}》获立项资助（{number(p.amount_granted or Decimal(0))} 元），任{role}"
            )
            found.add(s, reason, "projects.proposal", p.pk)
    return found


def _book_picks(school: School, campaign: Campaign, award: AwardType) -> _Found:
    picks = (
        BookAward.objects.filter(school=school, month__year=campaign.year)
        .select_related("student__school_class__grade", "recommendation")
        .order_by("month", "rank")
    )
    found = _Found()
    for a in picks:
        reason = f"{a.month:%Y年%m月}好书推荐奖第 {a.rank} 名：《{a.recommendation.title}》"
        found.add(a.student, reason, "books.bookaward", a.pk)
    return found


def _competition_prizes(school: School, campaign: Campaign, award: AwardType) -> _Found:
    found = _Found()
    results = (
        Result.objects.filter(
            school=school,
            award__in=PRIZES,
            registration__student__isnull=False,
            registration__activity__campaign=campaign,
        )
        .select_related("registration__student__school_class__grade", "registration__activity")
        .order_by("registration__activity__starts_at", "pk")
    )
    for r in results:
        student = r.registration.student
        assert student is not None
        found.add(
            student, f"{r.registration.activity.title} {Award(r.award).label}", "activities.result", r.pk
        )
    external = (
        ExternalAward.objects.filter(school=school, award__in=PRIZES, awarded_on__year=campaign.year)
        .select_related("student__school_class__grade")
        .order_by("awarded_on", "pk")
    )
    for e in external:
        reason = f"{e.competition}（{e.get_level_display()}）{Award(e.award).label}"
        found.add(e.student, reason, "activities.externalaward", e.pk)
    return found


def _exam_firsts(school: School, campaign: Campaign, award: AwardType) -> _Found:
    """First in a class and in a grade, on the total and on each subject, in each midterm and final.
    Ties share the place."""
    scores = list(
        ExamScore.objects.filter(school=school, exam__year=campaign.year)
        .select_related("exam", "student__school_class__grade", "school_class__grade")
        .order_by("exam_id", "pk")
    )
    found = _Found()
    by_exam: dict[int, list[ExamScore]] = defaultdict(list)
    for sc in scores:
        by_exam[sc.exam_id].append(sc)
    for rows in by_exam.values():
        exam = rows[0].exam
        subjects = list(dict.fromkeys(sc.subject for sc in rows))
        scopes: dict[tuple[str, int], tuple[str, list[ExamScore]]] = {}
        for sc in rows:
            for key, label in (
                (("class", sc.school_class_id), str(sc.school_class)),
                (("grade", sc.school_class.grade_id), f"{sc.school_class.grade.name}年级"),
            ):
                scopes.setdefault(key, (label, []))[1].append(sc)
        for (_kind, _id), (label, members) in sorted(
            scopes.items(), key=lambda kv: (kv[0][0] != "class", kv[0][1])
        ):
            totals: dict[int, Decimal] = defaultdict(Decimal)
            people: dict[int, Student] = {}
            for sc in members:
                totals[sc.student_id] += sc.score
                people[sc.student_id] = sc.student
            best = max(totals.values())
            for sid in sorted(sid for sid, t in totals.items() if t == best):
                reason = f"{exam} {label}总分第一名（{number(best)} 分）"
                found.add(people[sid], reason, "nominations.exam", exam.pk)
            for subject in subjects:
                marks = [sc for sc in members if sc.subject == subject]
                top = max(sc.score for sc in marks)
                for sc in marks:
                    if sc.score == top:
                        reason = f"{exam} {label}{subject}第一名（{number(top)} 分）"
                        found.add(sc.student, reason, "nominations.exam", exam.pk)
    return found


SOURCES: dict[str, Callable[[School, Campaign, AwardType], _Found]] = {
    ProposalSource.VOLUNTEER_HOURS: _volunteer_hours,
    ProposalSource.FUNDED_PROJECTS: _funded_projects,
    ProposalSource.BOOK_PICKS: _book_picks,
    ProposalSource.COMPETITION_PRIZES: _competition_prizes,
    ProposalSource.EXAM_FIRSTS: _exam_firsts,
}


def proposals(award: AwardType, campaign: Campaign) -> list[Proposal]:
    """Every proposal for `award` in `campaign`'s year that passes the award's gates, less the students
    already nominated for it.
    Unscoped: selectors and services decide who may see or confirm them."""
    source = SOURCES.get(award.proposal_source)
    if source is None:
        return []
    found = source(campaign.school, campaign, award)
    award_gates = list(award.gates.all())
    if award_gates:  # the award's own rules (a 20-hour floor, no upheld objection) hold for proposals too
        found = _Found(
            (sid, p)
            for sid, p in found.items()
            if all(
                r.passed
                for r in gates.evaluate(
                    award, gates.Nominee("student", student_id=sid), campaign.year, award_gates
                )
            )
        )
    taken = set(
        Nomination.objects.filter(award_type=award, campaign=campaign, student__isnull=False).values_list(
            "student_id", flat=True
        )
    )
    return sorted((p for sid, p in found.items() if sid not in taken), key=lambda p: p.student.student_no)
