"""综合素质评价 on the evaluation engine: each student of a class on the five dimensions (A/B/C/D, A at
most 30%), rated by the 班主任 and the class's teachers, who see beside each dimension the student's
participation record (this app) and the 写实记录 the student wrote, chose evidence for and signed.

The engine keeps the ballots and the count; the 写实记录 (`evaluations.models.Portfolio`, one per
subject) is written only here, by the student.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.audit.services import change_for, record
from chuangyou.evaluations import counting
from chuangyou.evaluations import services as engine
from chuangyou.evaluations.models import Evaluation, GroupKind, Portfolio, Source, State, SubjectType, Use
from chuangyou.evaluations.rules import can_manage_evaluation
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.org.models import Role, RoleMembership, SchoolClass, Staff, Student
from chuangyou.org.rules import Actor, require
from chuangyou.records.selectors import line_key, student_lines


def create_quality_evaluation(
    *,
    actor: Actor,
    school_class: SchoolClass,
    term: str,
    teachers: Sequence[Staff],
    opens_at: dt.datetime,
    closes_at: dt.datetime,
) -> Evaluation:
    """综合素质评价 of one class for one term: each student on the five dimensions (A/B/C/D, A at most
    30%), rated by the 班主任 and the class's teachers, who see beside each dimension the student's
    participation record and the 写实记录 the student selected and signed."""
    school = school_class.school
    require(can_manage_evaluation(actor, school), engine.MANAGE_MESSAGE)
    term = (term or "").strip()
    if not term:
        raise Invalid(gettext("请填写学期。"), {"term": [gettext("请填写学期。")]})
    if any(t.school_id != school.pk for t in teachers):
        raise Invalid(
            gettext("任课教师须是本校教职工。"), {"teachers": [gettext("任课教师须是本校教职工。")]}
        )
    day = timezone.localdate()
    heads = sorted(
        set(
            RoleMembership.objects.active_on(day)
            .filter(role=Role.HEAD_TEACHER, school_class=school_class)
            .values_list("user_id", flat=True)
        )
    )
    if not heads:
        raise Invalid(gettext("这个班级还没有班主任。"))
    others = sorted(set(engine.staff_user_ids(t.pk for t in teachers).values()) - set(heads))
    with transaction.atomic():
        evaluation = engine.create_evaluation(
            actor=actor,
            school=school,
            title=f"{term}综合素质评价·{school_class}",
            subject_type=SubjectType.STUDENT,
            preset="quality",
            opens_at=opens_at,
            closes_at=closes_at,
            use=Use.QUALITY,
            use_object_id=school_class.pk,
        )
        subjects = engine.add_subjects(
            actor=actor,
            evaluation=evaluation,
            specs=engine.roster_subjects(evaluation, school_class=school_class),
        )
        engine.add_group(
            actor=actor,
            evaluation=evaluation,
            kind=GroupKind.LEADERS,
            name="班主任",
            source=Source.LIST,
            user_ids=heads,
        )
        if others:
            engine.add_group(
                actor=actor,
                evaluation=evaluation,
                kind=GroupKind.PEERS,
                name="任课教师",
                source=Source.LIST,
                user_ids=others,
            )
        Portfolio.objects.bulk_create(
            [
                Portfolio(school=school, evaluation=evaluation, subject=s, student_id=s.object_id)
                for s in subjects
                if s.object_id is not None
            ]
        )
    return evaluation


PORTFOLIO_TEXT_MAX = 500


def _own_portfolio(actor: Actor, portfolio: Portfolio) -> Portfolio:
    require(
        actor.own_student_id is not None and actor.own_student_id == portfolio.student_id,
        gettext("写实记录须由学生本人填写和签名，老师和家长不能代写。"),
    )
    locked = Portfolio.objects.select_for_update().select_related("evaluation").get(pk=portfolio.pk)
    if locked.signed_on is not None:
        raise Conflict(gettext("写实记录已签名确认，不能再修改。"))
    if locked.evaluation.state not in (State.DRAFT, State.OPEN):
        raise Conflict(gettext("评价已截止，写实记录不能再修改。"))
    return locked


def write_portfolio(
    *, actor: Actor, portfolio: Portfolio, entries: Mapping[str, Mapping[str, Any]]
) -> Portfolio:
    """The student's own 写实记录: per dimension, their words and the record lines they select as
    evidence (only lines of their own participation record)."""
    with transaction.atomic():
        locked = _own_portfolio(actor, portfolio)
        rubric = counting.rubric_from_json(locked.evaluation.rubric_in_force)
        own_lines = {line_key(line) for lines in student_lines(locked.student_id).values() for line in lines}
        clean: dict[str, dict[str, Any]] = {}
        for c in rubric.criteria:
            entry = entries.get(c.key) or {}
            text = str(entry.get("text") or "").strip()
            if len(text) > PORTFOLIO_TEXT_MAX:
                raise Invalid(
                    gettext("%(criterion)s：写实记录不超过 %(max)s 字。")
                    % {"criterion": c.title, "max": PORTFOLIO_TEXT_MAX}
                )
            chosen = [str(k) for k in entry.get("lines") or []]
            if any(k not in own_lines for k in chosen):
                raise Invalid(
                    gettext("%(criterion)s：只能选择本人参与档案中的记录。") % {"criterion": c.title}
                )
            if text or chosen:
                clean[c.key] = {"text": text, "lines": sorted(set(chosen))}
        before = {"entries": locked.entries}
        locked.entries = clean
        locked.save(update_fields=["entries"])
        record(
            actor,
            change_for(
                "evaluation.portfolio_write",
                locked,
                school_id=locked.school_id,
                before=before,
                after={"entries": clean},
            ),
        )
    return locked


def sign_portfolio(
    *, actor: Actor, portfolio: Portfolio, signature: str, today: dt.date | None = None
) -> Portfolio:
    """The student signs the selection with their own name; after that nobody can change it."""
    with transaction.atomic():
        locked = _own_portfolio(actor, portfolio)
        student = Student.objects.get(pk=locked.student_id)
        if (signature or "").strip() != student.name:
            raise Invalid(
                gettext("签名须与本人姓名一致。"), {"signature": [gettext("签名须与本人姓名一致。")]}
            )
        if not locked.entries:
            raise Invalid(gettext("请先填写写实记录，再签名确认。"))
        locked.signature = student.name
        locked.signed_on = today or timezone.localdate()
        locked.save(update_fields=["signature", "signed_on"])
        record(
            actor,
            change_for(
                "evaluation.portfolio_sign",
                locked,
                school_id=locked.school_id,
                after={"signed_on": str(locked.signed_on), "entries": locked.entries},
            ),
        )
    return locked
