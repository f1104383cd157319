"""Building an evaluation: its rubric, visibility, subjects (评议对象) and rater groups (评议主体), all
before voting opens; and the two helpers the uses built on the engine share."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.audit.services import change_for, record, record_many, snapshot
from chuangyou.evaluations import counting, rubrics
from chuangyou.evaluations.models import (
    PERSON_TYPES,
    Evaluation,
    GroupKind,
    RaterGroup,
    Source,
    State,
    Subject,
    SubjectType,
    Visibility,
    allowed_visibilities,
    default_visibility,
)
from chuangyou.evaluations.services.shared import (
    _locked,
    _require_manage,
    _require_state,
)
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.org.models import (
    PartyBranch,
    Role,
    School,
    SchoolClass,
    Staff,
    Student,
)
from chuangyou.org.rules import Actor

# --- building -----------------------------------------------------------------------------------


def _check_rubric(rubric: Mapping[str, Any]) -> None:
    try:
        parsed = counting.rubric_from_json(rubric)
    except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
        raise Invalid(gettext("评价标准格式不正确。"), {"rubric": [gettext("评价标准格式不正确。")]}) from exc
    if not parsed.criteria:
        raise Invalid(
            gettext("评价标准至少要有一项指标。"), {"rubric": [gettext("评价标准至少要有一项指标。")]}
        )


def create_evaluation(
    *,
    actor: Actor,
    school: School,
    title: str,
    subject_type: str,
    preset: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    description: str = "",
    rubric: Mapping[str, Any] | None = None,
    rules: Mapping[str, Any] | None = None,
    use: str = "",
    use_object_id: int | None = None,
    visibility: str = "",
) -> Evaluation:
    """An evaluation in draft, from a ready-made rubric (or a custom one), with its preset rules.
    Who reads the result defaults by what is rated (models.default_visibility)."""
    _require_manage(actor, school)
    title = (title or "").strip()
    if not title:
        raise Invalid(gettext("请填写评议名称。"), {"title": [gettext("请填写评议名称。")]})
    if subject_type not in SubjectType.values:
        raise Invalid(gettext("请选择评议对象。"), {"subject_type": [gettext("请选择评议对象。")]})
    if rubric is None:
        if preset not in rubrics.PRESETS:
            raise Invalid(gettext("请选择评价标准模板。"), {"preset": [gettext("请选择评价标准模板。")]})
        rubric = rubrics.PRESETS[preset][1]
    _check_rubric(rubric)
    if closes_at <= opens_at:
        raise Invalid(
            gettext("投票截止须晚于投票开始。"), {"closes_at": [gettext("投票截止须晚于投票开始。")]}
        )
    merged_rules = rubrics.preset_rules(preset) | dict(rules or {})
    counting.rules_from_json(merged_rules)
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            school=school,
            title=title[:120],
            subject_type=subject_type,
            description=description.strip(),
            preset=preset if preset in rubrics.PRESETS else "",
            rubric=json.loads(json.dumps(rubric)),
            rules=merged_rules,
            opens_at=opens_at,
            closes_at=closes_at,
            use=use,
            use_object_id=use_object_id,
            visibility=_checked_visibility(subject_type, visibility or default_visibility(subject_type)),
        )
        record(
            actor,
            change_for("evaluation.create", evaluation, school_id=school.pk, after=snapshot(evaluation)),
        )
    return evaluation


def _checked_visibility(subject_type: str, visibility: str) -> str:
    if visibility not in allowed_visibilities(subject_type):
        message = (
            gettext("对个人的评议结果不能公开，只能选本人、领导小组或全校教职工。")
            if visibility == Visibility.PUBLIC
            else gettext("请选择结果查阅范围。")
        )
        raise Invalid(message, {"visibility": [message]})
    return visibility


def set_visibility(*, actor: Actor, evaluation: Evaluation, visibility: str) -> Evaluation:
    """Who reads the published result; may change at any time, and each change is audited."""
    _require_manage(actor, evaluation.school)
    with transaction.atomic():
        locked = _locked(evaluation)
        checked = _checked_visibility(locked.subject_type, visibility)
        if checked == locked.visibility:
            return locked
        before = {"visibility": locked.visibility}
        locked.visibility = checked
        locked.save(update_fields=["visibility"])
        record(
            actor,
            change_for(
                "evaluation.visibility", locked, school_id=locked.school_id, before=before,
                after={"visibility": checked},
            ),
        )  # fmt: skip
    return locked


def update_rubric(*, actor: Actor, evaluation: Evaluation, rubric: Mapping[str, Any]) -> Evaluation:
    """Change the criteria, their weights and scales while the evaluation is a draft. Opening the vote
    freezes the rubric, so a running count can't be changed by an edit."""
    _require_manage(actor, evaluation.school)
    _check_rubric(rubric)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(locked, State.DRAFT, message=gettext("投票开始后评价标准不能再修改。"))
        before = {"rubric": locked.rubric}
        locked.rubric = json.loads(json.dumps(rubric))
        locked.save(update_fields=["rubric"])
        record(
            actor,
            change_for(
                "evaluation.rubric_update",
                locked,
                school_id=locked.school_id,
                before=before,
                after={"rubric": locked.rubric},
            ),
        )
    return locked


@dataclass(frozen=True)
class SubjectSpec:
    kind: str
    object_id: int | None
    name: str
    has_project: bool = False
    not_rated: bool = False
    conflicted_user_ids: tuple[int, ...] = ()


def roster_subjects(
    evaluation: Evaluation, *, school_class: SchoolClass | None = None, today: dt.date | None = None
) -> list[SubjectSpec]:
    """The evaluation's possible subjects, from the roster, by its subject type."""
    school, kind = evaluation.school, evaluation.subject_type
    day = today or timezone.localdate()
    if kind == SubjectType.TEACHER:
        return [SubjectSpec(kind, s.pk, s.name) for s in Staff.objects.filter(school=school)]
    if kind == SubjectType.PARTY_MEMBER:
        staff = Staff.objects.filter(school=school, is_party_member=True)
        return [SubjectSpec(kind, s.pk, s.name) for s in staff]
    if kind == SubjectType.STUDENT:
        students = Student.objects.filter(school=school)
        if school_class is not None:
            students = students.filter(school_class=school_class)
        return [SubjectSpec(kind, s.pk, s.name) for s in students]
    if kind == SubjectType.BRANCH:
        year_ago = day - dt.timedelta(days=365)
        return [
            # a branch under a year old is not rated (五星创评)
            SubjectSpec(kind, b.pk, b.name, not_rated=bool(b.founded_on and b.founded_on > year_ago))
            for b in PartyBranch.objects.filter(school=school)
        ]
    if kind == SubjectType.CLASS:
        classes = SchoolClass.objects.filter(school=school).select_related("grade")
        return [SubjectSpec(kind, c.pk, str(c)) for c in classes]
    return []  # projects and commitments are added by name, or by their own apps


def add_subjects(*, actor: Actor, evaluation: Evaluation, specs: Sequence[SubjectSpec]) -> list[Subject]:
    _require_manage(actor, evaluation.school)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(locked, State.DRAFT, message=gettext("投票开始后不能再修改评议对象。"))
        existing = set(locked.subjects.exclude(object_id=None).values_list("kind", "object_id"))
        rows = []
        for spec in specs:
            name = spec.name.strip()
            if not name:
                raise Invalid(gettext("请填写评议对象名称。"), {"name": [gettext("请填写评议对象名称。")]})
            if spec.object_id is not None and (spec.kind, spec.object_id) in existing:
                continue
            surname = name[:1] if spec.kind in PERSON_TYPES else name
            rows.append(
                Subject(
                    school=locked.school,
                    evaluation=locked,
                    kind=spec.kind,
                    object_id=spec.object_id,
                    name=name[:120],
                    surname_key=counting.surname_key(surname)[:200],
                    has_project=spec.has_project,
                    not_rated=spec.not_rated,
                    conflicted_user_ids=list(spec.conflicted_user_ids),
                )
            )
        created = Subject.objects.bulk_create(rows)
        record(
            actor,
            change_for(
                "evaluation.subjects_add",
                locked,
                school_id=locked.school_id,
                after={
                    "subjects": [{"kind": s.kind, "object_id": s.object_id, "name": s.name} for s in created]
                },
            ),
        )
    return sorted(created, key=lambda s: (s.surname_key, s.pk))  # 姓氏笔画, as the ballot lists them


def remove_subjects(*, actor: Actor, evaluation: Evaluation, subject_ids: Sequence[int]) -> int:
    """Remove several subjects at once (those of this evaluation among `subject_ids`); returns how many."""
    _require_manage(actor, evaluation.school)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(locked, State.DRAFT, message=gettext("投票开始后不能再修改评议对象。"))
        chosen = list(locked.subjects.filter(pk__in=list(subject_ids)))
        if not chosen:
            raise Invalid(gettext("请先勾选要移除的评议对象。"))
        record_many(
            actor,
            [
                change_for("evaluation.subject_remove", s, school_id=locked.school_id, before=snapshot(s))
                for s in chosen
            ],
        )
        Subject.objects.filter(pk__in=[s.pk for s in chosen]).delete()
    return len(chosen)


def remove_subject(*, actor: Actor, subject: Subject) -> None:
    _require_manage(actor, subject.evaluation.school)
    with transaction.atomic():
        locked = _locked(subject.evaluation)
        _require_state(locked, State.DRAFT, message=gettext("投票开始后不能再修改评议对象。"))
        record(
            actor,
            change_for(
                "evaluation.subject_remove", subject, school_id=locked.school_id, before=snapshot(subject)
            ),
        )
        subject.delete()


def add_group(
    *,
    actor: Actor,
    evaluation: Evaluation,
    kind: str,
    name: str,
    source: str,
    weight: Decimal = Decimal(1),
    role: str = "",
    school_class: SchoolClass | None = None,
    party_branch: PartyBranch | None = None,
    user_ids: Sequence[int] = (),
) -> RaterGroup:
    _require_manage(actor, evaluation.school)
    if kind not in GroupKind.values:
        raise Invalid(gettext("请选择评议主体。"), {"kind": [gettext("请选择评议主体。")]})
    if source not in Source.values:
        raise Invalid(gettext("请选择成员来源。"), {"source": [gettext("请选择成员来源。")]})
    if weight < 0:
        raise Invalid(gettext("权重不能为负数。"), {"weight": [gettext("权重不能为负数。")]})
    if source == Source.ROLE and role not in Role.values:
        raise Invalid(gettext("请选择角色。"), {"role": [gettext("请选择角色。")]})
    if source == Source.CLASS and (school_class is None or school_class.school_id != evaluation.school_id):
        raise Invalid(gettext("请选择本校班级。"), {"school_class": [gettext("请选择本校班级。")]})
    if source == Source.BRANCH and (party_branch is None or party_branch.school_id != evaluation.school_id):
        raise Invalid(gettext("请选择本校党支部。"), {"party_branch": [gettext("请选择本校党支部。")]})
    if source == Source.LIST and not user_ids:
        raise Invalid(gettext("指定名单至少要有一人。"), {"user_ids": [gettext("指定名单至少要有一人。")]})
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(locked, State.DRAFT, message=gettext("投票开始后不能再修改评议主体。"))
        group = RaterGroup.objects.create(
            school=locked.school,
            evaluation=locked,
            kind=kind,
            name=(name or GroupKind(kind).label).strip()[:60],
            source=source,
            weight=weight,
            role=role if source == Source.ROLE else "",
            school_class=school_class if source == Source.CLASS else None,
            party_branch=party_branch if source == Source.BRANCH else None,
            user_ids=sorted(set(user_ids)) if source == Source.LIST else [],
        )
        record(
            actor,
            change_for("evaluation.group_add", group, school_id=locked.school_id, after=snapshot(group)),
        )
    return group


def remove_group(*, actor: Actor, group: RaterGroup) -> None:
    _require_manage(actor, group.evaluation.school)
    with transaction.atomic():
        locked = _locked(group.evaluation)
        _require_state(locked, State.DRAFT, message=gettext("投票开始后不能再修改评议主体。"))
        record(
            actor,
            change_for("evaluation.group_remove", group, school_id=locked.school_id, before=snapshot(group)),
        )
        group.delete()


# --- for the uses built on the engine -----------------------------------------------------------
# Each use lives in the app it serves (projects/review.py, commitments/appraisal.py,
# records/services.py; the one-click presets in presets.py) and builds its evaluation through the
# functions above. These two helpers are what they share.


def staff_user_ids(staff_ids: Iterable[int]) -> dict[int, int]:
    """Staff id → user id, for staff who have an account (only they can vote)."""
    rows = Staff.objects.filter(pk__in=list(staff_ids), user__isnull=False).values_list("pk", "user_id")
    return {pk: user_id for pk, user_id in rows if user_id is not None}


def create_once(message: str, **fields: Any) -> Evaluation:
    """Create an evaluation that may exist once per source (a unique constraint): a second is a 409."""
    try:
        with transaction.atomic():
            return create_evaluation(**fields)
    except IntegrityError as exc:
        raise Conflict(message) from exc
