"""Opening the vote (freeze the rubric, make the voter roll, seal the ballots; optionally lock the seal
with the supervision group's passphrase), one-time codes, and casting a ballot.

Casting writes no audit entry of its own (its fine timestamp would sit next to the ballot's insertion
order); the voter roll, who voted on which day, is recorded once, when the vote closes."""

from __future__ import annotations

import datetime as dt
import hmac
import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.audit.services import Change, change_for, record, record_many
from chuangyou.evaluations import counting, sealing
from chuangyou.evaluations.models import (
    Ballot,
    Entitlement,
    Evaluation,
    GroupKind,
    RaterGroup,
    Recusal,
    Source,
    State,
    Subject,
    SubjectType,
)
from chuangyou.evaluations.notices import REMIND_BEFORE, already_reminded, remind_pending, tell_voters
from chuangyou.evaluations.services.shared import (
    CODE_LENGTH,
    MAX_CODES,
    RECEIPT_LENGTH,
    _digest,
    _locked,
    _random_text,
    _require_manage,
    _require_state,
    code_digest,
    receipt_digest,
)
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed, NotFound
from chuangyou.org.models import (
    Guardianship,
    RoleMembership,
    Staff,
    Student,
)
from chuangyou.org.rules import Actor, require

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
    return _open_voting(actor, evaluation, today, passphrase="")[0]


@dataclass(frozen=True)
class LockedOpening:
    evaluation: Evaluation
    recovery_code: str  # formatted in groups of four; exists nowhere else, so show it once


PASSPHRASE_MIN = 8
PASSPHRASE_MAX = 200


def open_voting_with_passphrase(
    *, actor: Actor, evaluation: Evaluation, passphrase: str, today: dt.date | None = None
) -> LockedOpening:
    """Open the vote as open_voting does, with the seal locked by the supervision group's passphrase
    (sealing.py): closing will need it, or the recovery code returned here and kept nowhere."""
    _require_manage(actor, evaluation.school)
    if len(passphrase.strip()) < PASSPHRASE_MIN or len(passphrase) > PASSPHRASE_MAX:
        message = gettext("口令须为 %(min)s–%(max)s 个字符。") % {
            "min": PASSPHRASE_MIN,
            "max": PASSPHRASE_MAX,
        }
        raise Invalid(message, {"passphrase": [message]})
    opened, recovery_code = _open_voting(actor, evaluation, today, passphrase=passphrase)
    return LockedOpening(evaluation=opened, recovery_code=recovery_code)


def _voter_roll(
    locked: Evaluation, subjects: list[Subject], groups: list[RaterGroup], day: dt.date
) -> tuple[list[Entitlement], list[Recusal]]:
    """Each group's voters on `day`, each with the subjects they must not rate (themselves, their
    children, a conflict of interest) and why; a self-assessment group rates only the voter's own."""
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
                (s, "利益相关（如项目指导教师）回避") for s in subjects if user_id in s.conflicted_user_ids
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
    return entitlements, recusals


def _seal(locked: Evaluation, passphrase: str) -> str:
    """Freeze the rubric and set the key the ballots are sealed to; with a passphrase, lock it and
    return the recovery code (else "")."""
    locked.frozen_rubric = locked.rubric
    locked.state = State.OPEN
    locked.seal_salt = sealing.new_salt()
    unlock, recovery_code = b"", ""
    if passphrase:
        unlock, lock, recovery_code = sealing.new_lock(locked.pk, locked.seal_salt, passphrase)
        locked.seal_lock = lock.to_json()
    locked.seal_public_key = sealing.public_key_hex(locked.pk, locked.seal_salt, unlock)
    locked.save(update_fields=["frozen_rubric", "state", "seal_salt", "seal_public_key", "seal_lock"])
    return recovery_code


def _opening_changes(
    locked: Evaluation, entitled: int, recusals: list[Recusal], *, locked_seal: bool
) -> list[Change]:
    opened: dict[str, Any] = {
        "state": State.OPEN,
        "rubric": locked.frozen_rubric,
        "rules": locked.rules,
        "entitled": entitled,
    }
    if locked_seal:
        opened["passphrase_lock"] = True  # that there is one; never the passphrase or the code
    changes: list[Change] = [
        change_for(
            "evaluation.open", locked, school_id=locked.school_id, before={"state": State.DRAFT}, after=opened
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
    return changes


def _open_voting(
    actor: Actor, evaluation: Evaluation, today: dt.date | None, *, passphrase: str
) -> tuple[Evaluation, str]:
    """Both ways of opening; with a passphrase, also the recovery code (else "")."""
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
        entitlements, recusals = _voter_roll(locked, subjects, groups, day)
        Entitlement.objects.bulk_create(entitlements, batch_size=2000, ignore_conflicts=False)
        tell_voters(locked, entitlements)
        Recusal.objects.bulk_create(recusals, batch_size=2000)
        recovery_code = _seal(locked, passphrase)
        record_many(
            actor, _opening_changes(locked, len(entitlements), recusals, locked_seal=bool(passphrase))
        )
    return locked, recovery_code


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
