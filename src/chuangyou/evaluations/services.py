"""Writes for evaluations: build one, open the vote (freeze the rubric, make the voter roll), issue
one-time codes, cast ballots, enter paper ballots, close, publish, recount.

Ballot content never enters the audit log. Casting a ballot writes no audit entry of its own (its
fine timestamp would sit next to the ballot's insertion order); the voter roll, who voted on which
day, is recorded once, when the vote closes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import Change, change_for, record, record_many, snapshot
from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import selectors as commitment_selectors
from chuangyou.evaluations import counting, proof, rubrics, sealing
from chuangyou.evaluations.models import (
    PERSON_TYPES,
    Ballot,
    Entitlement,
    Evaluation,
    GroupKind,
    PaperEntry,
    Portfolio,
    RaterGroup,
    Recusal,
    Source,
    State,
    Subject,
    SubjectType,
    Use,
    Visibility,
    allowed_visibilities,
    default_visibility,
)
from chuangyou.evaluations.notices import REMIND_BEFORE, already_reminded, remind_pending, tell_voters
from chuangyou.evaluations.rules import can_enter_paper, can_manage_evaluation, can_supervise
from chuangyou.evaluations.selectors import line_key, student_lines
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed, NotFound
from chuangyou.org.models import (
    Guardianship,
    PartyBranch,
    Role,
    RoleMembership,
    School,
    SchoolClass,
    Staff,
    Student,
)
from chuangyou.org.rules import Actor, require
from chuangyou.projects import review
from chuangyou.projects import selectors as project_selectors
from chuangyou.projects.models import Call, Proposal
from chuangyou.projects.models import Status as ProposalStatus

MANAGE_MESSAGE = gettext_lazy("只有本校管理员、领导小组或工作小组成员可以管理评议。")
SUPERVISE_MESSAGE = gettext_lazy("只有监督小组成员可以查看全部计票数据。")
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off paper by parents
CODE_LENGTH = 10
RECEIPT_LENGTH = 12
MAX_CODES = 2000


def _digest(purpose: str, text: str) -> str:
    """A keyed hash, so a copied database can't be searched for codes or receipts by brute force."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{purpose}:{text}".encode(), hashlib.sha256).hexdigest()


def normalize_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_digest(code: str) -> str:
    return _digest("code", normalize_code(code))


def receipt_digest(receipt: str) -> str:
    return _digest("receipt", normalize_code(receipt))


def _random_text(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def format_receipt(receipt: str) -> str:
    return "-".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def _require_manage(actor: Actor, school: School) -> None:
    require(can_manage_evaluation(actor, school), MANAGE_MESSAGE)


def _locked(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("school").get(pk=evaluation.pk)


def _require_state(evaluation: Evaluation, *states: str, message: str) -> None:
    if evaluation.state not in states:
        raise Conflict(message)


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


# --- opening: the frozen rubric and the voter roll --------------------------------------------------


def _members(group: RaterGroup, day: dt.date) -> list[int]:
    """User ids of a group's voters, drawn from the roster on the day voting opens."""
    if group.source == Source.ROLE:
        seats = RoleMembership.objects.active_on(day).filter(school_id=group.school_id, role=group.role)
        return sorted(set(seats.values_list("user_id", flat=True)))
    if group.source == Source.LIST:
        return sorted(set(group.user_ids))
    users: Iterable[int | None]
    if group.source == Source.CLASS:
        if group.kind == GroupKind.PARENTS:
            users = Guardianship.objects.filter(student__school_class=group.school_class_id).values_list(
                "guardian__user_id", flat=True
            )
        else:
            users = Student.objects.filter(school_class=group.school_class_id).values_list(
                "user_id", flat=True
            )
        return sorted({u for u in users if u is not None})
    if group.source == Source.BRANCH:
        users = Staff.objects.filter(party_branch=group.party_branch_id).values_list("user_id", flat=True)
        return sorted({u for u in users if u is not None})
    return []


def _people_of(subjects: Sequence[Subject]) -> tuple[dict[int, Subject], dict[int, list[Subject]]]:
    """Who each subject is (user → their own subject) and whose parent is whom (user → children)."""
    own: dict[int, Subject] = {}
    children: dict[int, list[Subject]] = {}
    staff_ids = [s.object_id for s in subjects if s.kind in {SubjectType.TEACHER, SubjectType.PARTY_MEMBER}]
    student_ids = [s.object_id for s in subjects if s.kind == SubjectType.STUDENT]
    by_key = {(s.kind in {SubjectType.TEACHER, SubjectType.PARTY_MEMBER}, s.object_id): s for s in subjects}
    for pk, user_id in Staff.objects.filter(pk__in=staff_ids).values_list("pk", "user_id"):
        if user_id is not None:
            own[user_id] = by_key[(True, pk)]
    for pk, user_id in Student.objects.filter(pk__in=student_ids).values_list("pk", "user_id"):
        if user_id is not None:
            own[user_id] = by_key[(False, pk)]
    links = Guardianship.objects.filter(student_id__in=student_ids, guardian__user__isnull=False)
    for student_id, user_id in links.values_list("student_id", "guardian__user_id"):
        children.setdefault(user_id, []).append(by_key[(False, student_id)])
    return own, children


def open_voting(*, actor: Actor, evaluation: Evaluation, today: dt.date | None = None) -> Evaluation:
    """Freeze the rubric and rules, materialize the voter roll, and log each recusal."""
    _require_manage(actor, evaluation.school)
    day = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(locked, State.DRAFT, message=gettext("这项评议已经开始投票。"))
        subjects = list(locked.subjects.all())
        groups = list(locked.groups.all())
        if not subjects:
            raise Invalid(gettext("请先添加评议对象。"))
        if not groups:
            raise Invalid(gettext("请先添加评议主体。"))
        own, children = _people_of(subjects)
        entitlements: list[Entitlement] = []
        recusals: list[Recusal] = []
        for group in groups:
            for user_id in _members(group, day):
                mine = own.get(user_id)
                if group.kind == GroupKind.SELF:
                    if mine is not None:
                        entitlements.append(
                            Entitlement(
                                school=locked.school,
                                evaluation=locked,
                                group=group,
                                user_id=user_id,
                                own_subject=mine,
                            )
                        )
                    continue
                skip: list[tuple[Subject, str]] = []
                if mine is not None:
                    skip.append((mine, "本人不参加对自己的评议"))
                skip += [(child, "家长不评议自己的子女") for child in children.get(user_id, [])]
                skip += [
                    (s, "利益相关（如项目指导教师）回避")
                    for s in subjects
                    if user_id in s.conflicted_user_ids
                ]
                entitlements.append(
                    Entitlement(
                        school=locked.school,
                        evaluation=locked,
                        group=group,
                        user_id=user_id,
                        recused_subject_ids=sorted({s.pk for s, _ in skip}),
                    )
                )
                recusals += [
                    Recusal(
                        school=locked.school,
                        evaluation=locked,
                        group=group,
                        user_id=user_id,
                        subject=s,
                        reason=why,
                    )
                    for s, why in skip
                ]
        Entitlement.objects.bulk_create(entitlements, batch_size=2000, ignore_conflicts=False)
        tell_voters(locked, entitlements)
        Recusal.objects.bulk_create(recusals, batch_size=2000)
        locked.frozen_rubric = locked.rubric
        locked.state = State.OPEN
        locked.seal_salt = sealing.new_salt()
        locked.seal_public_key = sealing.public_key_hex(locked.pk, locked.seal_salt)
        locked.save(update_fields=["frozen_rubric", "state", "seal_salt", "seal_public_key"])
        changes: list[Change] = [
            change_for(
                "evaluation.open",
                locked,
                school_id=locked.school_id,
                before={"state": State.DRAFT},
                after={
                    "state": State.OPEN,
                    "rubric": locked.frozen_rubric,
                    "rules": locked.rules,
                    "entitled": len(entitlements),
                },
            )
        ]
        changes += [
            change_for(
                "evaluation.recuse",
                r.subject,
                school_id=locked.school_id,
                after={
                    "user_id": r.user_id,
                    "group": r.group.name,
                    "subject": r.subject.name,
                    "reason": r.reason,
                },
            )
            for r in recusals
        ]
        record_many(actor, changes)
    return locked


def issue_codes(*, actor: Actor, group: RaterGroup, count: int) -> list[str]:
    """One-time codes for a group without accounts. Only their hashes are kept: the plain codes are
    returned once, to be printed on the slips."""
    evaluation = group.evaluation
    _require_manage(actor, evaluation.school)
    if group.source != Source.CODES:
        raise Invalid(gettext("只有“一次性投票码”的评议主体可以生成投票码。"))
    if not 1 <= count <= MAX_CODES:
        message = gettext("一次可生成 1–%(max)s 个投票码。") % {"max": MAX_CODES}
        raise Invalid(message, {"count": [message]})
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(locked, State.DRAFT, State.OPEN, message=gettext("投票已截止，不能再生成投票码。"))
        codes = [_random_text(CODE_LENGTH) for _ in range(count)]
        Entitlement.objects.bulk_create(
            [
                Entitlement(school=locked.school, evaluation=locked, group=group, code_hash=code_digest(c))
                for c in codes
            ]
        )
        record(
            actor,
            change_for(
                "evaluation.codes_issue",
                group,
                school_id=locked.school_id,
                after={"count": count, "group": group.name},
            ),
        )
    return codes


def remind_voters(*, actor: Actor, evaluation: Evaluation) -> int:
    """A day before voting closes, tell each voter with an account who has not voted yet, once. The task
    worker calls it (booked when voting opens). The audit log keeps how many were reminded, never who.
    Returns how many."""
    _require_manage(actor, evaluation.school)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(locked, State.OPEN, message=gettext("只有投票中的评议可以提醒未投票的人。"))
        now = timezone.now()
        if not locked.closes_at - REMIND_BEFORE <= now < locked.closes_at:
            raise Conflict(gettext("投票截止前一天内才提醒未投票的人。"))
        if already_reminded(locked):
            raise Conflict(gettext("这项评议已经提醒过未投票的人。"))
        count = remind_pending(locked)
        record(
            actor,
            change_for("evaluation.remind", locked, school_id=locked.school_id, after={"reminded": count}),
        )
    return count


# --- voting -------------------------------------------------------------------------------------


def entitlement_for_code(code: str) -> Entitlement:
    found = (
        Entitlement.objects.select_related("evaluation__school", "group")
        .filter(code_hash=code_digest(code))
        .first()
    )
    if found is None:
        raise NotFound(gettext("投票码无效，请核对后重新输入。"))
    return found


def allowed_subjects(entitlement: Entitlement, subjects: Sequence[Subject]) -> list[Subject]:
    if entitlement.own_subject_id is not None:
        return [s for s in subjects if s.pk == entitlement.own_subject_id]
    recused = set(entitlement.recused_subject_ids)
    return [s for s in subjects if s.pk not in recused and not s.not_rated]


def clean_content(
    rubric: counting.Rubric, subjects: Sequence[Subject], allowed: Sequence[Subject], raw: Mapping[str, Any]
) -> dict[str, dict[str, str | None]]:
    """Every subject, every criterion: a mark or None. Subjects the voter may not rate are blank,
    the same as a voluntary abstention, so a recusal doesn't mark the ballot."""
    allowed_ids = {s.pk for s in allowed}
    content: dict[str, dict[str, str | None]] = {}
    errors: dict[str, list[str]] = {}
    for subject in subjects:
        marks = raw.get(str(subject.pk)) or {}
        row: dict[str, str | None] = {}
        for c in rubric.criteria:
            value = marks.get(c.key) if subject.pk in allowed_ids else None
            text = None if value is None or str(value).strip() == "" else str(value).strip()
            try:
                c.scale.points(text)
            except ValueError as exc:
                errors.setdefault(f"{subject.pk}.{c.key}", []).append(f"{subject.name}·{c.title}：{exc}")
                text = None
            row[c.key] = text
        content[str(subject.pk)] = row
    if errors:
        raise Invalid(gettext("选票有不符合量表的打分，请修改后再提交。"), errors)
    return content


def _network_hash(evaluation: Evaluation, address: str, day: dt.date) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        prefix = "unknown"
    else:
        bits = 24 if ip.version == 4 else 48
        prefix = str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))
    return _digest("net", f"{evaluation.pk}:{prefix}:{day}")


def _count_network_use(evaluation_id: int, net_hash: str, day: dt.date, slot: int) -> None:
    """One statement, so concurrent code ballots from one network neither race nor lock a row twice.
    PostgreSQL and SQLite (3.24+) both speak INSERT … ON CONFLICT DO UPDATE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO evaluations_netuse (evaluation_id, net_hash, day, slot, uses) "
            "VALUES (%s, %s, %s, %s, 1) ON CONFLICT (evaluation_id, net_hash, day, slot) "
            "DO UPDATE SET uses = evaluations_netuse.uses + 1",
            [evaluation_id, net_hash, day, slot],
        )


class WouldBeVoid(Invalid):
    """The ballot as marked would be a 废票: the voter is told why before anything is stored."""


def void_explanation(judged: str, rules: counting.Rules) -> str:
    if judged == "same_score":
        why = gettext("您给所有评议对象打了同样的分数")
    else:
        why = gettext("得分达到满分 %(p)s%% 的对象超过了 %(m)s 个") % {
            "p": rules.top_band_percent,
            "m": rules.top_band_max,
        }
    return gettext(
        "按公布的计票规则，这张选票将是废票（%(why)s），不计入结果。"
        "您可以修改后再提交；如果确实要这样投，请勾选“我知道这是废票，仍然提交”。"
    ) % {"why": why}


def cast_ballot(
    *,
    actor: Actor,
    entitlement: Entitlement,
    marks: Mapping[str, Any],
    code: str | None = None,
    address: str | None = None,
    now: dt.datetime | None = None,
    accept_void: bool = False,
) -> str:
    """Store one ballot and mark the voter as having voted, in one transaction: the conditional
    UPDATE … WHERE has_voted = false lets exactly one of many concurrent submissions through.
    A ballot the rules would void is refused with the reason (WouldBeVoid) unless the voter, told
    why, submits it anyway (`accept_void`). Returns the receipt code, shown once; only its hash is kept."""
    if entitlement.code_hash is not None:
        require(
            code is not None and hmac.compare_digest(code_digest(code), entitlement.code_hash),
            gettext("投票码无效。"),
        )
    else:
        require(
            actor.user is not None and actor.user.pk == entitlement.user_id,
            gettext("您不在这项评议的投票名单中。"),
        )
    evaluation = Evaluation.objects.select_related("school").get(pk=entitlement.evaluation_id)
    moment = now or timezone.now()
    if not evaluation.in_window(moment):
        raise NotAllowed(gettext("现在不在投票时间内。"))
    subjects = list(evaluation.subjects.all())
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    content = clean_content(rubric, subjects, allowed_subjects(entitlement, subjects), marks)
    rules = counting.rules_from_json(evaluation.rules)
    judged = counting.verdict(counting.BallotIn("", "", content), rubric, rules)
    if judged not in ("valid", "blank") and not accept_void:
        raise WouldBeVoid(void_explanation(judged, rules))
    day = timezone.localdate(moment)
    receipt = _random_text(RECEIPT_LENGTH)
    with transaction.atomic():
        claimed = Entitlement.objects.filter(pk=entitlement.pk, has_voted=False).update(
            has_voted=True, voted_on=day
        )
        if not claimed:
            message = (
                gettext("这个投票码已经使用过了。")
                if entitlement.code_hash
                else gettext("您已经投过票了，每人只能投一次。")
            )
            raise Conflict(message)
        if evaluation.seal_public_key:
            stored: dict[str, Any] = {
                "content": None,
                "verdict": "",
                "sealed": sealing.seal(evaluation.seal_public_key, content, judged),
            }
        else:
            stored = {"content": content, "verdict": judged}
        Ballot.objects.create(
            school_id=evaluation.school_id,
            evaluation=evaluation,
            group_id=entitlement.group_id,
            day=day,
            receipt_hash=receipt_digest(receipt),
            **stored,
        )
        if entitlement.code_hash is not None and address:
            # Counted after commit in its own write, so this row shares no transaction with the ballot.
            net, slot = _network_hash(evaluation, address, day), (moment.hour * 60 + moment.minute) // 10
            transaction.on_commit(lambda: _count_network_use(evaluation.pk, net, day, slot))
    return receipt


def receipt_counted(evaluation: Evaluation, receipt: str) -> bool:
    return Ballot.objects.filter(evaluation=evaluation, receipt_hash=receipt_digest(receipt)).exists()


# --- closing ------------------------------------------------------------------------------------


def close_voting(*, actor: Actor, evaluation: Evaluation) -> Evaluation:
    """End the vote. The sealed ballots are opened and, with every roll row, rewritten in random
    order, so neither row order nor transaction ids link a ballot to a voter; the ciphertexts are
    gone with the old rows. The roll goes to the audit log."""
    _require_manage(actor, evaluation.school)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(locked, State.OPEN, message=gettext("只有投票中的评议可以截止。"))
        ballots = _opened_ballots(locked)
        secrets.SystemRandom().shuffle(ballots)
        Ballot.objects.filter(evaluation=locked).delete()
        Ballot.objects.bulk_create(ballots, batch_size=2000)
        roll = Entitlement.objects.filter(evaluation=locked)
        roll.update(has_voted=F("has_voted"))
        voted = list(
            roll.filter(has_voted=True, user__isnull=False)
            .order_by("user_id")
            .values_list("user_id", "voted_on")
        )
        locked.state = State.CLOSED
        locked.save(update_fields=["state"])
        record(
            actor,
            change_for(
                "evaluation.close",
                locked,
                school_id=locked.school_id,
                before={"state": State.OPEN},
                after={
                    "state": State.CLOSED,
                    "entitled": roll.count(),
                    "voted": [{"user_id": u, "on": str(d)} for u, d in voted],
                    "codes_used": roll.filter(has_voted=True, user__isnull=True).count(),
                },
            ),
        )
    return locked


def _opened_ballots(evaluation: Evaluation) -> list[Ballot]:
    """Every ballot of the evaluation in plain, as new unsaved rows (new ids, no ciphertext)."""
    rows = list(Ballot.objects.filter(evaluation=evaluation))
    box = None
    if evaluation.seal_public_key and any(b.sealed is not None for b in rows):
        try:
            box = sealing.opener(evaluation.pk, evaluation.seal_salt, evaluation.seal_public_key)
        except sealing.SealSecretChanged:
            raise Conflict(
                gettext(
                    "无法开启密封的选票：投票开始后服务器的选票密钥（BALLOT_SEAL_SECRET 或 SECRET_KEY）"
                    "被更换了。请把密钥改回投票开始时的值后再截止。"
                )
            ) from None
    opened = []
    for ballot in rows:
        content, verdict = ballot.content, ballot.verdict
        if ballot.sealed is not None and box is not None:
            content, verdict = sealing.unseal(box, bytes(ballot.sealed))
        opened.append(
            Ballot(
                school_id=ballot.school_id,
                evaluation_id=ballot.evaluation_id,
                group_id=ballot.group_id,
                day=ballot.day,
                receipt_hash=ballot.receipt_hash,
                content=content,
                verdict=verdict,
            )
        )
    return opened


# --- paper ballots ------------------------------------------------------------------------------


def _check_tallies(
    evaluation: Evaluation, valid: int, tallies: Mapping[str, Mapping[str, Mapping[str, int]]]
) -> dict[str, dict[str, dict[str, int]]]:
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    subjects = {str(s.pk): s for s in evaluation.subjects.all()}
    clean: dict[str, dict[str, dict[str, int]]] = {}
    for subject_key, per_criterion in tallies.items():
        if subject_key not in subjects:
            raise Invalid(gettext("计票里有不属于这项评议的对象。"))
        for criterion_key, counts in per_criterion.items():
            try:
                criterion = rubric.criterion(criterion_key)
            except StopIteration as exc:
                raise Invalid(gettext("计票里有不存在的指标。")) from exc
            total = 0
            for value, times in counts.items():
                try:
                    criterion.scale.points(value)
                except ValueError as exc:
                    raise Invalid(f"{subjects[subject_key].name}·{criterion.title}：{exc}") from exc
                if int(times) < 0:
                    raise Invalid(gettext("票数不能为负数。"))
                total += int(times)
                if int(times):
                    clean.setdefault(subject_key, {}).setdefault(criterion_key, {})[str(value)] = int(times)
            if total > valid:
                raise Invalid(
                    gettext("%(subject)s·%(criterion)s：票数合计超过有效票数 %(valid)s。")
                    % {"subject": subjects[subject_key].name, "criterion": criterion.title, "valid": valid}
                )
    return clean


def enter_paper(
    *,
    actor: Actor,
    group: RaterGroup,
    issued: int,
    returned: int,
    void: int,
    blank: int,
    tallies: Mapping[str, Mapping[str, Mapping[str, int]]],
) -> PaperEntry:
    """The next of the two entries of a group's 纸质票; the two must come from different people."""
    evaluation = group.evaluation
    require(can_enter_paper(actor, evaluation.school), gettext("纸质票须由工作小组成员录入。"))
    if min(issued, returned, void, blank) < 0 or returned > issued or void + blank > returned:
        raise Invalid(gettext("票数不合理：收回票数不能超过发出票数，废票与弃权票之和不能超过收回票数。"))
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(
            locked, State.OPEN, State.CLOSED, message=gettext("只有投票开始后、公布之前可以录入纸质票。")
        )
        clean = _check_tallies(locked, returned - void - blank, tallies)
        if actor.user is None:
            raise NotAllowed(gettext("纸质票须由工作小组成员录入。"))
        entries = list(PaperEntry.objects.filter(group=group))
        if len(entries) >= 2:
            raise Conflict(gettext("这个评议主体的纸质票已经录入两次；如有错误，请先撤回一次再录入。"))
        if entries and entries[0].entered_by_id == actor.user.pk:
            raise NotAllowed(gettext("两次录入须由两位不同的工作小组成员完成。"))
        round_ = 2 if entries and entries[0].round == 1 else 1
        try:
            with transaction.atomic():
                entry = PaperEntry.objects.create(
                    school=locked.school,
                    evaluation=locked,
                    group=group,
                    round=round_,
                    entered_by=actor.user,
                    issued=issued,
                    returned=returned,
                    void=void,
                    blank=blank,
                    tallies=clean,
                )
        except IntegrityError as exc:
            raise Conflict(gettext("这一次录入已经存在。")) from exc
        record(
            actor,
            change_for("evaluation.paper_enter", entry, school_id=locked.school_id, after=snapshot(entry)),
        )
    return entry


def withdraw_paper(*, actor: Actor, entry: PaperEntry) -> None:
    """Take back an entry (after a mismatch) so it can be entered again."""
    require(can_enter_paper(actor, entry.evaluation.school), gettext("纸质票须由工作小组成员录入。"))
    with transaction.atomic():
        locked = _locked(entry.evaluation)
        _require_state(
            locked, State.OPEN, State.CLOSED, message=gettext("评议结果已公布，纸质票不能再修改。")
        )
        record(
            actor,
            change_for(
                "evaluation.paper_withdraw", entry, school_id=locked.school_id, before=snapshot(entry)
            ),
        )
        entry.delete()


@dataclass
class PaperStatus:
    group: RaterGroup
    entries: list[PaperEntry] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return len(self.entries) == 2

    @property
    def matches(self) -> bool:
        return self.complete and self.entries[0].figures() == self.entries[1].figures()


def paper_status(evaluation: Evaluation) -> list[PaperStatus]:
    by_group: dict[int, PaperStatus] = {}
    entries = (
        PaperEntry.objects.filter(evaluation=evaluation)
        .select_related("group", "entered_by")
        .order_by("round")
    )
    for entry in entries:
        by_group.setdefault(entry.group_id, PaperStatus(entry.group)).entries.append(entry)
    return list(by_group.values())


# --- counting -----------------------------------------------------------------------------------


# Per subject, criterion, group and mark: how many valid ballots gave it. One GROUP BY over the
# ballots' JSON; "" and null marks are abstentions and left out, as in counting.tally.
_MARKS_SQL = {
    "postgresql": """
        SELECT b.group_id, s.key, c.key, c.value #>> '{}', count(*)
        FROM evaluations_ballot b, jsonb_each(b.content) s, jsonb_each(s.value) c
        WHERE b.evaluation_id = %s AND b.verdict = 'valid'
          AND jsonb_typeof(c.value) <> 'null' AND c.value #>> '{}' <> ''
        GROUP BY 1, 2, 3, 4
    """,
    "sqlite": """
        SELECT b.group_id, s.key, c.key, c.value, count(*)
        FROM evaluations_ballot b, json_each(b.content) s, json_each(s.value) c
        WHERE b.evaluation_id = %s AND b.verdict = 'valid' AND c.type <> 'null' AND c.value <> ''
        GROUP BY 1, 2, 3, 4
    """,
}


def _raw_ballots(ballots: Any) -> Iterable[counting.BallotIn]:
    return (
        counting.BallotIn(str(pk), str(group_id), content)
        for pk, group_id, content in ballots.values_list("pk", "group_id", "content").iterator(
            chunk_size=5000
        )
    )


def _tally_in_sql(evaluation: Evaluation, rubric: counting.Rubric, rules: counting.Rules) -> counting.Tally:
    """The tally of the online ballots, aggregated by the database from the stored verdicts."""
    out = counting.Tally()
    ballots = Ballot.objects.filter(evaluation=evaluation)
    per_verdict = (
        ballots.exclude(verdict="")
        .values("group_id", "verdict")
        .annotate(n=Count("pk"))
        .values_list("group_id", "verdict", "n")
        .order_by()
    )
    for group_id, judged, n in per_verdict:
        out.verdicts[str(group_id)][judged] += n
    criteria = {c.key: c for c in rubric.criteria}
    with connection.cursor() as cursor:
        cursor.execute(_MARKS_SQL[connection.vendor], [evaluation.pk])
        for group_id, subject, criterion, value, n in cursor.fetchall():
            if criterion in criteria:
                # SQLite's json_each hands a JSON number back as a number: key it as Python writes it
                out.marks[(subject, criterion, str(group_id))][str(value)] += n
    # rows stored before verdicts existed are judged here, one by one
    out.add(counting.tally(_raw_ballots(ballots.filter(verdict="")), rubric, rules))
    return out


def compute_result(evaluation: Evaluation, *, from_raw: bool = False) -> dict[str, Any]:
    """Count the online ballots and the agreed paper totals. By default the database aggregates the
    ballots; `from_raw` judges and tallies every raw ballot in Python instead (the recount), and the
    two give the same result."""
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    rules = counting.rules_from_json(evaluation.rules)
    subjects = [
        counting.SubjectIn(str(s.pk), s.name, s.surname_key, s.has_project, s.not_rated)
        for s in evaluation.subjects.all()
    ]
    entitled: dict[int, int] = {}
    for group_id in Entitlement.objects.filter(evaluation=evaluation).values_list("group_id", flat=True):
        entitled[group_id] = entitled.get(group_id, 0) + 1
    groups = [
        counting.GroupIn(str(g.pk), g.name, counting.fraction(str(g.weight)), entitled.get(g.pk, 0))
        for g in evaluation.groups.all()
    ]
    ballots = Ballot.objects.filter(evaluation=evaluation)
    tallied = (
        counting.tally(_raw_ballots(ballots), rubric, rules)
        if from_raw
        else _tally_in_sql(evaluation, rubric, rules)
    )
    papers = [
        counting.PaperIn(str(e.group_id), e.issued, e.returned, e.void, e.blank, e.tallies)
        for e in PaperEntry.objects.filter(evaluation=evaluation, round=1)
    ]
    return counting.count(
        rubric=rubric, rules=rules, subjects=subjects, groups=groups, tallied=tallied, papers=papers
    )


def _require_paper_agreed(evaluation: Evaluation) -> None:
    for status in paper_status(evaluation):
        if not status.complete:
            raise Conflict(
                gettext("「%(group)s」的纸质票只录入了一次，须两人各录入一次。")
                % {"group": status.group.name}
            )
        if not status.matches:
            raise Conflict(
                gettext("「%(group)s」的纸质票两次录入不一致，请核对后重新录入。")
                % {"group": status.group.name}
            )


def publish(*, actor: Actor, evaluation: Evaluation, today: dt.date | None = None) -> Evaluation:
    _require_manage(actor, evaluation.school)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(locked, State.CLOSED, message=gettext("只有已截止的评议可以公布结果。"))
        _require_paper_agreed(locked)
        locked.result = compute_result(locked)
        locked.state = State.PUBLISHED
        locked.published_on = today or timezone.localdate()
        locked.save(update_fields=["result", "state", "published_on"])
        record(
            actor,
            change_for(
                "evaluation.publish",
                locked,
                school_id=locked.school_id,
                before={"state": State.CLOSED},
                after={
                    "state": State.PUBLISHED,
                    "result_sha256": result_digest(locked.result),
                    # the ballot file's digest, in the sealed log: a ballot rewritten later shows
                    "ballots_sha256": proof.ballots_digest(locked),
                },
            ),
        )
    return locked


def result_digest(result: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(result, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Recount:
    result: dict[str, Any]
    matches: bool | None  # None: nothing published yet to compare with
    differences: list[str]


def _differences(stored: Mapping[str, Any], fresh: Mapping[str, Any]) -> list[str]:
    out = []
    old = {s["key"]: s for s in stored.get("subjects", [])}
    for s in fresh["subjects"]:
        before = old.pop(s["key"], None)
        if before is None:
            out.append(f"{s['name']}：公布结果中没有")
        elif (before["total"], before["rank"], before.get("level"), before.get("stars")) != (
            s["total"], s["rank"], s.get("level"), s.get("stars")
        ):  # fmt: skip
            out.append(
                f"{s['name']}：公布 {before['total']}（第{before['rank']}名），"
                f"重算 {s['total']}（第{s['rank']}名）"
            )
    out += [f"{s['name']}：重算结果中没有" for s in old.values()]
    if not out and result_digest(stored) != result_digest(fresh):
        out.append("分项统计与公布结果不一致")
    return out


def recount(*, actor: Actor, evaluation: Evaluation) -> Recount:
    """Recompute from the raw ballots and compare with the published result. Logged."""
    require(can_supervise(actor, evaluation.school), SUPERVISE_MESSAGE)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(locked, State.CLOSED, State.PUBLISHED, message=gettext("投票截止后才能重新计票。"))
        fresh = compute_result(locked, from_raw=True)
        diffs = _differences(locked.result, fresh) if locked.result is not None else []
        matches = None if locked.result is None else not diffs
        record(
            actor,
            change_for(
                "evaluation.recount",
                locked,
                school_id=locked.school_id,
                after={"matches": matches, "result_sha256": result_digest(fresh), "differences": diffs},
            ),
        )
    return Recount(fresh, matches, diffs)


# --- uses built on the engine -------------------------------------------------------------------
# Each builds an evaluation from its source app's seam and, where the source keeps an outcome,
# writes it back through that app's own service, so the source's checks apply.


def _user_ids_of_staff(staff_ids: Iterable[int]) -> dict[int, int]:
    """Staff id → user id, for staff who have an account (only they can vote)."""
    rows = Staff.objects.filter(pk__in=list(staff_ids), user__isnull=False).values_list("pk", "user_id")
    return {pk: user_id for pk, user_id in rows if user_id is not None}


def _create_once(message: str, **fields: Any) -> Evaluation:
    """Create an evaluation that may exist once per source (a unique constraint): a second is a 409."""
    try:
        with transaction.atomic():
            return create_evaluation(**fields)
    except IntegrityError as exc:
        raise Conflict(message) from exc


def create_project_review(
    *, actor: Actor, call: Call, opens_at: dt.datetime, closes_at: dt.datetime
) -> Evaluation:
    """The 创新项目 panel review of one call: its proposals under review, rated by its panel, each
    advisor recused from their own project (recusals come from the projects app and are logged again
    here, with the voter roll, when voting opens)."""
    _require_manage(actor, call.school)
    if call.review_opened_at is None:
        raise Conflict(gettext("请先在创新项目中确定评审组并开始评审。"))
    proposals = review.review_subjects(call)
    if not proposals:
        raise Invalid(gettext("这次征集没有评审中的项目。"))
    users = _user_ids_of_staff(review.panel_raters(call))
    if not users:
        raise Invalid(gettext("评审组成员都还没有账号，无法在线评分。"))
    recused_users: dict[int, set[int]] = {}
    for proposal_id, staff_id in review.recused(call):
        if staff_id in users:
            recused_users.setdefault(proposal_id, set()).add(users[staff_id])
    with transaction.atomic():
        evaluation = _create_once(
            gettext("这次征集的评审评分已经建立。"),
            actor=actor,
            school=call.school,
            title=f"{call.title}·评审评分",
            subject_type=SubjectType.PROJECT,
            preset="project",
            opens_at=opens_at,
            closes_at=closes_at,
            use=Use.PROJECT_REVIEW,
            use_object_id=call.pk,
        )
        add_subjects(
            actor=actor,
            evaluation=evaluation,
            specs=[
                SubjectSpec(
                    SubjectType.PROJECT,
                    p.proposal_id,
                    p.title,
                    conflicted_user_ids=tuple(sorted(recused_users.get(p.proposal_id, ()))),
                )
                for p in proposals
            ],
        )
        add_group(
            actor=actor,
            evaluation=evaluation,
            kind=GroupKind.PANEL,
            name="评审组",
            source=Source.LIST,
            user_ids=sorted(users.values()),
        )
    return evaluation


@dataclass(frozen=True)
class ProjectOutcome:
    """One proposal's line on the decision form: the count's rank and total, and a suggestion."""

    proposal: Proposal
    rank: int | None
    total: Decimal | None
    suggest_funded: bool
    suggest_amount: Decimal | None


def project_outcomes(evaluation: Evaluation) -> list[ProjectOutcome]:
    """The published ranking, with a funding suggestion: in rank order, each proposal gets its request
    (up to the per-project cap) while the call's remaining budget lasts. A person confirms."""
    if evaluation.use != Use.PROJECT_REVIEW or evaluation.result is None:
        return []
    call = Call.objects.get(pk=evaluation.use_object_id or 0)
    by_subject = {s.pk: s.object_id for s in evaluation.subjects.all()}
    proposals = Proposal.objects.in_bulk([pid for pid in by_subject.values() if pid is not None])
    remaining = project_selectors.budget_of(call).remaining
    rows = []
    for s in evaluation.result["subjects"]:  # rank order, unranked last
        proposal = proposals.get(by_subject.get(int(s["key"])) or 0)
        if proposal is None:
            continue
        ask = proposal.budget_request
        if call.per_project_cap is not None:
            ask = min(ask, call.per_project_cap)
        amount = min(ask, remaining) if s["rank"] is not None else Decimal(0)
        funded = amount > 0 and proposal.status == ProposalStatus.UNDER_REVIEW
        if funded:
            remaining -= amount
        total = Decimal(s["total"]) if s["total"] is not None else None
        rows.append(ProjectOutcome(proposal, s["rank"], total, funded, amount if funded else None))
    return rows


@dataclass(frozen=True)
class ProjectDecision:
    proposal_id: int
    funded: bool
    amount: Decimal | None


def record_project_outcomes(
    *, actor: Actor, evaluation: Evaluation, decisions: Sequence[ProjectDecision], reason: str
) -> list[Proposal]:
    """Write each proposal's rank and total back to 创新项目 with the funding a person confirmed,
    through projects.review.record_panel_outcome (its checks: rights, status, request and budget)."""
    _require_manage(actor, evaluation.school)
    if evaluation.use != Use.PROJECT_REVIEW:
        raise Invalid(gettext("这项评议不是创新项目评审。"))
    if evaluation.state != State.PUBLISHED or evaluation.result is None:
        raise Conflict(gettext("评审结果公布后才能记录资助决定。"))
    lines = {o.proposal.pk: o for o in project_outcomes(evaluation)}
    why = (reason or "").strip() or f"{evaluation.title}（{evaluation.published_on}公布）"
    done = []
    with transaction.atomic():
        for d in decisions:
            line = lines.get(d.proposal_id)
            if line is None:
                raise Invalid(gettext("有不属于这次评审的项目。"))
            done.append(
                review.record_panel_outcome(
                    actor=actor,
                    proposal=line.proposal,
                    rank=line.rank,
                    total=line.total,
                    decision="funded" if d.funded else "not_funded",
                    amount=d.amount if d.funded else None,
                    reason=why,
                )
            )
        record(
            actor,
            change_for(
                "evaluation.project_outcomes",
                evaluation,
                school_id=evaluation.school_id,
                after={"proposals": [p.pk for p in done], "reason": why},
            ),
        )
    return done


def create_commitment_appraisal(
    *,
    actor: Actor,
    campaign: Campaign,
    branch: PartyBranch,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    members_weight: Decimal = Decimal(1),
    public_weight: Decimal = Decimal(1),
    organization_weight: Decimal = Decimal(1),
) -> Evaluation:
    """评诺: every published commitment item of the campaign, rated 党员评 (the branch's members) +
    群众评 (the public, by one-time code) + 组织评 (the leading group). A member does not rate their
    own items."""
    _require_manage(actor, campaign.school)
    if branch.school_id != campaign.school_id:
        raise Invalid(gettext("请选择本校党支部。"), {"branch": [gettext("请选择本校党支部。")]})
    items = commitment_selectors.ballot_subjects(campaign)
    if not items:
        raise Invalid(gettext("这个活动方案还没有公开的承诺事项。"))
    owners = _user_ids_of_staff(i.owner_id for i in items if i.owner_kind == "staff")
    with transaction.atomic():
        evaluation = _create_once(
            gettext("这个活动方案的评诺已经建立。"),
            actor=actor,
            school=campaign.school,
            title=f"{campaign.year}年度评诺",
            subject_type=SubjectType.COMMITMENT,
            preset="commitment",
            opens_at=opens_at,
            closes_at=closes_at,
            use=Use.COMMITMENTS,
            use_object_id=campaign.pk,
        )
        add_subjects(
            actor=actor,
            evaluation=evaluation,
            specs=[
                SubjectSpec(
                    SubjectType.COMMITMENT,
                    i.item_id,
                    f"{i.owner_name}：{i.content}",
                    conflicted_user_ids=(owners[i.owner_id],)
                    if i.owner_kind == "staff" and i.owner_id in owners
                    else (),
                )
                for i in items
            ],
        )
        for kind, name, source, weight, extra in (
            (GroupKind.PEERS, "党员评", Source.BRANCH, members_weight, {"party_branch": branch}),
            (GroupKind.PUBLIC, "群众评", Source.CODES, public_weight, {}),
            (GroupKind.LEADERS, "组织评", Source.ROLE, organization_weight, {"role": Role.LEADING_GROUP}),
        ):
            add_group(
                actor=actor,
                evaluation=evaluation,
                kind=kind,
                name=name,
                source=source,
                weight=weight,
                **extra,
            )
    return evaluation


def _preset_groups(
    actor: Actor, evaluation: Evaluation, groups: Sequence[tuple[str, str, str, dict[str, Any]]]
) -> None:
    for kind, name, source, extra in groups:
        add_group(actor=actor, evaluation=evaluation, kind=kind, name=name, source=source, **extra)


def create_teacher_merit(
    *, actor: Actor, school: School, opens_at: dt.datetime, closes_at: dt.datetime
) -> Evaluation:
    """One click: 师德标兵 民主测评 of every teacher on the 五个模范, by peers, students, parents (by
    code) and the leading group, at equal weights (there is no national default)."""
    _require_manage(actor, school)
    with transaction.atomic():
        evaluation = create_evaluation(
            actor=actor,
            school=school,
            title=f"{timezone.localdate().year}年师德标兵民主测评",
            subject_type=SubjectType.TEACHER,
            preset="five_models",
            opens_at=opens_at,
            closes_at=closes_at,
            use=Use.TEACHER_MERIT,
        )
        add_subjects(actor=actor, evaluation=evaluation, specs=roster_subjects(evaluation))
        _preset_groups(
            actor,
            evaluation,
            [
                (GroupKind.PEERS, "同事互评", Source.ROLE, {"role": Role.TEACHER}),
                (GroupKind.STUDENTS, "学生评议", Source.ROLE, {"role": Role.STUDENT}),
                (GroupKind.PARENTS, "家长评议", Source.CODES, {}),
                (GroupKind.LEADERS, "领导评议", Source.ROLE, {"role": Role.LEADING_GROUP}),
            ],
        )
    return evaluation


def create_five_star(
    *, actor: Actor, school: School, opens_at: dt.datetime, closes_at: dt.datetime
) -> Evaluation:
    """One click: 五星级 创评 of the school's branches on the 110-point scale with its star bands, by
    the party members, the staff (群众) and the leading group. A branch under a year old is listed
    as not rated."""
    _require_manage(actor, school)
    members = sorted(
        u for u in Staff.objects.filter(school=school, is_party_member=True).values_list("user_id", flat=True)
        if u is not None
    )  # fmt: skip
    if not members:
        raise Invalid(gettext("本校还没有登记党员教师。"))
    with transaction.atomic():
        evaluation = create_evaluation(
            actor=actor,
            school=school,
            title=f"{timezone.localdate().year}年五星级党支部创评",
            subject_type=SubjectType.BRANCH,
            preset="five_star",
            opens_at=opens_at,
            closes_at=closes_at,
            use=Use.FIVE_STAR,
        )
        add_subjects(actor=actor, evaluation=evaluation, specs=roster_subjects(evaluation))
        _preset_groups(
            actor,
            evaluation,
            [
                (GroupKind.PEERS, "党员评议", Source.LIST, {"user_ids": members}),
                (GroupKind.PUBLIC, "群众评议", Source.ROLE, {"role": Role.TEACHER}),
                (GroupKind.LEADERS, "领导评议", Source.ROLE, {"role": Role.LEADING_GROUP}),
            ],
        )
    return evaluation


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
    _require_manage(actor, school)
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
    others = sorted(set(_user_ids_of_staff(t.pk for t in teachers).values()) - set(heads))
    with transaction.atomic():
        evaluation = create_evaluation(
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
        subjects = add_subjects(
            actor=actor,
            evaluation=evaluation,
            specs=roster_subjects(evaluation, school_class=school_class),
        )
        add_group(
            actor=actor,
            evaluation=evaluation,
            kind=GroupKind.LEADERS,
            name="班主任",
            source=Source.LIST,
            user_ids=heads,
        )
        if others:
            add_group(
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
