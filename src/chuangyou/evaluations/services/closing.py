"""Closing the vote (open the seal, shuffle, write the ballots in plain), paper ballots entered twice,
the count, publishing and the recount."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.evaluations import counting, proof, sealing
from chuangyou.evaluations.models import (
    Ballot,
    Entitlement,
    Evaluation,
    PaperEntry,
    RaterGroup,
    State,
)
from chuangyou.evaluations.rules import can_enter_paper, can_supervise
from chuangyou.evaluations.services.shared import (
    SUPERVISE_MESSAGE,
    _locked,
    _require_manage,
    _require_state,
)
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.org.rules import Actor, require

# --- closing ------------------------------------------------------------------------------------


def close_voting(
    *, actor: Actor, evaluation: Evaluation, passphrase: str = "", recovery_code: str = ""
) -> Evaluation:
    """End the vote. The sealed ballots are opened and, with every roll row, rewritten in random
    order, so neither row order nor transaction ids link a ballot to a voter; the ciphertexts are
    gone with the old rows. The roll goes to the audit log. A vote opened with a passphrase lock
    needs the passphrase or the recovery code; a wrong one changes nothing."""
    _require_manage(actor, evaluation.school)
    unlock = _unlock(evaluation, passphrase=passphrase, recovery_code=recovery_code)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_state(locked, State.OPEN, message=gettext("只有投票中的评议可以截止。"))
        if locked.seal_lock != unlock.lock:  # opened with a lock since it was read: ask for it
            raise Conflict(gettext("这项评议刚刚开始投票，请刷新页面后再截止。"))
        ballots = _opened_ballots(locked, unlock.value)
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
                    **({"unlocked_with": unlock.used} if unlock.used else {}),
                },
            ),
        )
    return locked


@dataclass(frozen=True)
class _Unlock:
    lock: dict[str, Any] | None  # the lock as read (None: none)
    value: bytes = b""  # U; b"" without a lock
    used: str = ""  # which secret gave it: "passphrase" or "recovery_code"


def _unlock(evaluation: Evaluation, *, passphrase: str, recovery_code: str) -> _Unlock:
    """U of an open vote's passphrase lock, from the passphrase or the recovery code. Read and
    stretched before the close's transaction, so argon2id's work holds no lock on the database."""
    row = Evaluation.objects.filter(pk=evaluation.pk).values_list("state", "seal_salt", "seal_lock").first()
    state, salt, stored = row if row is not None else ("", "", None)
    if state != State.OPEN or not stored:
        return _Unlock(lock=stored)
    lock = sealing.Lock.from_json(stored)
    if passphrase and recovery_code:
        message = gettext("请只填写口令或恢复码中的一项。")
        raise Invalid(message, {"recovery_code": [message]})
    try:
        if recovery_code:
            value = sealing.unlock_with_recovery_code(lock, evaluation.pk, salt, recovery_code)
            return _Unlock(lock=stored, value=value, used="recovery_code")
        if passphrase:
            return _Unlock(
                lock=stored, value=sealing.unlock_with_passphrase(lock, passphrase), used="passphrase"
            )
    except sealing.WrongKey:
        field = "recovery_code" if recovery_code else "passphrase"
        message = gettext("恢复码不正确。") if recovery_code else gettext("口令不正确。")
        raise Invalid(message, {field: [message]}) from None
    message = gettext("这项评议的选票由监督小组口令加锁：请输入口令或恢复码后再截止。")
    raise Invalid(message, {"passphrase": [message]})


def _opened_ballots(evaluation: Evaluation, unlock: bytes = b"") -> list[Ballot]:
    """Every ballot of the evaluation in plain, as new unsaved rows (new ids, no ciphertext)."""
    rows = list(Ballot.objects.filter(evaluation=evaluation))
    box = None
    if evaluation.seal_public_key and any(b.sealed is not None for b in rows):
        try:
            box = sealing.opener(evaluation.pk, evaluation.seal_salt, evaluation.seal_public_key, unlock)
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
