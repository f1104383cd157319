"""Reads of evaluations, limited to what the actor may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext, gettext_lazy

from chuangyou.evaluations import counting, proof
from chuangyou.evaluations.models import (
    Ballot,
    Entitlement,
    Evaluation,
    NetUse,
    State,
    SubjectType,
    Visibility,
)
from chuangyou.evaluations.rules import can_read_evaluations, can_read_whole_result, can_supervise
from chuangyou.lib.errors import NotFound
from chuangyou.lib.strokes import by_strokes
from chuangyou.org.models import PartyBranch, School, SchoolClass, Staff, Student
from chuangyou.org.rules import Actor, require

READ_MESSAGE = gettext_lazy("只有本校管理员、三个小组成员和教育局可以查看评议管理页面。")


def evaluations_visible_to(actor: Actor, school: School) -> QuerySet[Evaluation]:
    require(can_read_evaluations(actor, school), READ_MESSAGE)
    return Evaluation.objects.filter(school=school).select_related("school")


def evaluation_for(actor: Actor, school: School, pk: int) -> Evaluation:
    found = evaluations_visible_to(actor, school).filter(pk=pk).first()
    if found is None:
        raise NotFound(gettext("没有这项评议。"))
    return found


def public_evaluation(school: School, pk: int) -> Evaluation:
    found = Evaluation.objects.filter(school=school, pk=pk).select_related("school").first()
    if found is None:
        raise NotFound(gettext("没有这项评议。"))
    return found


def entitlements_of(actor: Actor, school: School) -> QuerySet[Entitlement]:
    """The evaluations this signed-in person may vote in (open ones, not yet voted)."""
    if actor.user is None:
        return Entitlement.objects.none()
    return (
        Entitlement.objects.filter(user=actor.user, school=school, evaluation__state=State.OPEN)
        .select_related("evaluation", "group")
        .order_by("evaluation__closes_at", "pk")
    )


@dataclass(frozen=True)
class Turnout:
    name: str
    entitled: int
    voted: int

    @property
    def percent(self) -> int:
        return round(self.voted * 100 / self.entitled) if self.entitled else 0


def turnout(evaluation: Evaluation) -> list[Turnout]:
    """Who has voted, counted per group from the roll: the only figure shown while voting runs."""
    rows = (
        evaluation.groups.annotate(
            entitled=Count("entitlements"),
            voted=Count("entitlements", filter=Q(entitlements__has_voted=True)),
        )
        .order_by("pk")
        .values_list("name", "entitled", "voted")
    )
    return [Turnout(name, entitled, voted) for name, entitled, voted in rows]


def ballot_table(actor: Actor, evaluation: Evaluation) -> QuerySet[Ballot]:
    """Every ballot, anonymous, by its random key (so in random order). Supervision only, after close."""
    require(can_supervise(actor, evaluation.school), gettext("只有监督小组成员可以下载选票明细。"))
    if evaluation.state not in (State.CLOSED, State.PUBLISHED):
        raise NotFound(gettext("投票截止后才能查看选票明细。"))
    return Ballot.objects.filter(evaluation=evaluation).select_related("group").order_by("id")


def reliability_flags(actor: Actor, evaluation: Evaluation) -> dict[str, Any]:
    require(can_supervise(actor, evaluation.school), gettext("只有监督小组成员可以查看评委可靠性提示。"))
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    rules = counting.rules_from_json(evaluation.rules)
    ballots = [
        counting.BallotIn(str(pk), str(group_id), content or {})
        # sealed ballots (voting still open) have no readable content yet
        for pk, group_id, content in Ballot.objects.filter(
            evaluation=evaluation, content__isnull=False
        ).values_list("pk", "group_id", "content")
    ]
    flags = counting.reliability(rubric=rubric, rules=rules, ballots=ballots)
    bursts = [
        {
            "network": use.net_hash[:10],
            "day": use.day,
            "time": f"{use.slot * 10 // 60:02d}:{use.slot * 10 % 60:02d}",
            "uses": use.uses,
        }
        for use in NetUse.objects.filter(evaluation=evaluation, uses__gte=rules.burst_size).order_by(
            "day", "slot"
        )
    ]
    return {"ballots": flags, "bursts": bursts}


def codes_used(evaluation: Evaluation) -> int:
    return int(NetUse.objects.filter(evaluation=evaluation).aggregate(n=Sum("uses"))["n"] or 0)


def results_by_object(evaluation: Evaluation) -> dict[int, dict[str, Any]]:
    """The published result row of each subject, by the id of the object rated (e.g. a commitment
    item): what a source app shows beside its own rows. Empty until the result is published."""
    if evaluation.state != State.PUBLISHED or evaluation.result is None:
        return {}
    objects: dict[int, int] = {
        pk: object_id
        for pk, object_id in evaluation.subjects.values_list("pk", "object_id")
        if object_id is not None
    }
    return {objects[int(s["key"])]: s for s in evaluation.result["subjects"] if int(s["key"]) in objects}


def result_rows_for(actor: Actor, evaluation: Evaluation) -> list[dict[str, Any]] | None:
    """The published result's subject rows this person may read: all of them, or (visibility 本人)
    only the rows about this person. Raises NotFound before publication, NotAllowed when none."""
    if evaluation.state != State.PUBLISHED or evaluation.result is None:
        raise NotFound(gettext("评议结果尚未公布。"))
    rows: list[dict[str, Any]] = evaluation.result["subjects"]
    if can_read_whole_result(actor, evaluation):
        return rows
    own = own_subject_keys(actor, evaluation) if evaluation.visibility == Visibility.SELF else set()
    require(
        bool(own), gettext("这项评议的结果只向%(who)s公布。") % {"who": evaluation.get_visibility_display()}
    )
    return [row for row in rows if row["key"] in own]


def own_subject_keys(actor: Actor, evaluation: Evaluation) -> set[str]:
    """The subjects of this evaluation that are the signed-in person (a teacher, a member, a student)."""
    if actor.user is None:
        return set()
    mine: list[int]
    if evaluation.subject_type in (SubjectType.TEACHER, SubjectType.PARTY_MEMBER):
        mine = list(
            Staff.objects.filter(user=actor.user, school=evaluation.school).values_list("pk", flat=True)
        )
    elif evaluation.subject_type == SubjectType.STUDENT:
        mine = list(
            Student.objects.filter(user=actor.user, school=evaluation.school).values_list("pk", flat=True)
        )
    else:
        return set()
    return {
        str(pk) for pk in evaluation.subjects.filter(object_id__in=list(mine)).values_list("pk", flat=True)
    }


def public_result(school: School, pk: int) -> Evaluation:
    """A published result that anyone may read: only a public one, and never before publication."""
    evaluation = public_evaluation(school, pk)
    if evaluation.state != State.PUBLISHED or evaluation.result is None:
        raise NotFound(gettext("评议结果尚未公布。"))
    if evaluation.visibility != Visibility.PUBLIC:
        raise NotFound(gettext("这项评议的结果不对外公开。"))
    return evaluation


def results_readable_by(actor: Actor, school: School) -> list[Evaluation]:
    """The published results of the school this person may open (in full, or their own row)."""
    published = Evaluation.objects.filter(school=school, state=State.PUBLISHED).select_related("school")
    return [
        e
        for e in published.order_by("-published_on", "-pk")[:50]
        if can_read_whole_result(actor, e) or (e.visibility == Visibility.SELF and own_subject_keys(actor, e))
    ]


def count_files(actor: Actor, evaluation: Evaluation) -> proof.CountFiles:
    """The ballot file, the signed result and the figures to check a published count by: for whoever
    may read the whole result (not for one who sees only their own row)."""
    if evaluation.state != State.PUBLISHED or evaluation.result is None:
        raise NotFound(gettext("评议结果尚未公布。"))
    require(
        can_read_whole_result(actor, evaluation),
        gettext("这项评议的结果只向%(who)s公布。") % {"who": evaluation.get_visibility_display()},
    )
    return proof.count_files(evaluation)


def public_count_files(school: School, pk: int) -> tuple[Evaluation, proof.CountFiles]:
    """The same for a public result, with no login."""
    evaluation = public_result(school, pk)
    return evaluation, proof.count_files(evaluation)


# --- choosing subjects from the roster ------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One person (or class, branch) the roster offers as a subject, and whether it is already one."""

    object_id: int
    name: str
    detail: str
    added: bool


@dataclass(frozen=True)
class CandidateFilter:
    """What the 选择评议对象 page narrows the roster by; empty fields don't narrow."""

    q: str = ""  # part of the name
    subject: str = ""  # 任教学科 (teachers, party members)
    position: str = ""  # part of 职务
    party_only: bool = False
    grade_id: int | None = None  # students, classes
    class_id: int | None = None  # students


def roster_candidates(evaluation: Evaluation, f: CandidateFilter) -> list[Candidate]:
    """The roster rows of the evaluation's subject type, narrowed by `f`, in 笔画 order of name."""
    school, kind = evaluation.school, evaluation.subject_type
    added = set(evaluation.subjects.exclude(object_id=None).values_list("object_id", flat=True))
    rows: list[Candidate] = []
    if kind in (SubjectType.TEACHER, SubjectType.PARTY_MEMBER):
        staff = Staff.objects.filter(school=school)
        if kind == SubjectType.PARTY_MEMBER or f.party_only:
            staff = staff.filter(is_party_member=True)
        if f.subject:
            staff = staff.filter(subject=f.subject)
        if f.position:
            staff = staff.filter(position__contains=f.position)
        if f.q:
            staff = staff.filter(name__contains=f.q)
        rows = [
            Candidate(s.pk, s.name, " · ".join(x for x in (s.subject, s.position) if x), s.pk in added)
            for s in staff
        ]
    elif kind == SubjectType.STUDENT:
        students = Student.objects.filter(school=school).select_related("school_class__grade")
        if f.grade_id:
            students = students.filter(school_class__grade_id=f.grade_id)
        if f.class_id:
            students = students.filter(school_class_id=f.class_id)
        if f.q:
            students = students.filter(name__contains=f.q)
        rows = [Candidate(s.pk, s.name, str(s.school_class), s.pk in added) for s in students]
    elif kind == SubjectType.CLASS:
        classes = SchoolClass.objects.filter(school=school).select_related("grade")
        if f.grade_id:
            classes = classes.filter(grade_id=f.grade_id)
        rows = [Candidate(c.pk, str(c), "", c.pk in added) for c in classes]
    elif kind == SubjectType.BRANCH:
        rows = [Candidate(b.pk, b.name, "", b.pk in added) for b in PartyBranch.objects.filter(school=school)]
    return by_strokes(rows, lambda c: c.name)


def taught_subjects(school: School) -> list[str]:
    """The 任教学科 the school's staff teach, for the filter."""
    return sorted(
        set(Staff.objects.filter(school=school).exclude(subject="").values_list("subject", flat=True))
    )
