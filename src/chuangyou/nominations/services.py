"""Writes for award types, nominations, notices and objections. Pages, the API and commands call these.

Quotas and gates are enforced here, not in forms: advancing locks the award type's row first, so two
deciders at once can't both take the last place. While a nominee's notice runs, nothing about them
changes (the freeze).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.campaigns.models import Campaign, ResourceLine
from chuangyou.lib.errors import Conflict, Invalid, NotFound
from chuangyou.lib.uploads import CleanFile, Readable, clean_upload
from chuangyou.lib.workdays import add_working_days
from chuangyou.nominations import gates
from chuangyou.nominations.models import (
    DEFAULT_PATTERN,
    LEVEL_ORDER,
    AwardType,
    Decision,
    Exam,
    ExamKind,
    ExamScore,
    Gate,
    GateKind,
    Level,
    Nomination,
    NominationStatus,
    NomineeKind,
    Notice,
    Objection,
    ObjectionStatus,
    ObjectionStep,
    QuotaKind,
    QuotaUnit,
    next_level,
)
from chuangyou.nominations.rules import (
    can_decide_at,
    can_handle_objections,
    can_manage_awards,
    can_nominate,
    can_publish_notice,
)
from chuangyou.org.models import School, SchoolClass, Staff, Student
from chuangyou.org.rules import Actor, can_manage_campaign, require

MANAGE_MESSAGE = "只有工作小组、领导小组或学校管理员可以设置奖项。"
DECIDE_MESSAGE = "您不是这一层级的推荐人，不能对这条推荐作出决定。"
HANDLE_MESSAGE = "只有监督小组可以办理异议。"
STORY_MAX = 3000  # about 1,500 字 is asked for; twice that is the hard limit
ANONYMOUS_MIN_CHARS = 50
ACCEPT_WORKING_DAYS = 2  # to take an objection up
VERIFY_WORKING_DAYS = 5  # to verify it and conclude
MAX_DEFER_DAYS = 92  # 暂缓 at most 3 months
LIVE = (NominationStatus.ACTIVE, NominationStatus.SELECTED)


# --- award types ------------------------------------------------------------------------------------


AWARD_FIELDS = (
    "name", "code", "level", "for_kind", "quota_kind", "quota_value", "quota_unit", "shortlist_ratio",
    "prize", "budget_line", "number_pattern", "certificate_reason", "is_active", "proposal_source",
)  # fmt: skip


def _check_pattern(pattern: str) -> None:
    try:
        sample = pattern.format(year=2026, school="yz", award="SH", serial=1)
    except (KeyError, ValueError, IndexError) as exc:
        raise Invalid(
            "证书编号格式有误：只能使用 {year}、{school}、{award}、{serial}，如 " + DEFAULT_PATTERN,
            {"number_pattern": ["格式有误。"]},
        ) from exc
    if "{serial" not in pattern or not sample:
        raise Invalid("证书编号格式必须包含 {serial}（序号）。", {"number_pattern": ["缺少 {serial}。"]})


def _check_award(school: School, data: dict[str, Any]) -> None:
    _check_pattern(data.get("number_pattern") or DEFAULT_PATTERN)
    if data["quota_kind"] == QuotaKind.SHARE and not (Decimal(0) < data["quota_value"] <= 1):
        raise Invalid(
            "按比例设置名额时，比例应在 0 到 1 之间（如 0.2 即 20%）。", {"quota_value": ["比例有误。"]}
        )
    if data["shortlist_ratio"] < 1:
        raise Invalid("差额比例不能小于 1。", {"shortlist_ratio": ["不能小于 1。"]})
    line = data.get("budget_line")
    if line is not None and (line.school_id != school.pk or line.kind != "funds"):
        raise Invalid("经费科目必须是本校活动方案中的经费项。", {"budget_line": ["科目有误。"]})
    if data["level"] == Level.BUREAU:
        raise Invalid("教育局级奖项由教育局设置。", {"level": ["学校不能设置教育局级奖项。"]})


@transaction.atomic
def create_award_type(*, actor: Actor, school: School, **data: Any) -> AwardType:
    require(can_manage_awards(actor, school), MANAGE_MESSAGE)
    _check_award(school, data)
    if AwardType.objects.filter(school=school, name=data["name"]).exists():
        raise Conflict(f"已有名为「{data['name']}」的奖项。")
    award = AwardType.objects.create(school=school, **{k: v for k, v in data.items() if k in AWARD_FIELDS})
    record(actor, change_for("award_type.create", award, school_id=school.pk, after=snapshot(award)))
    return award


def _award_in_use_by_notice(award: AwardType) -> bool:
    return Nomination.objects.filter(award_type=award, notice__isnull=False).exists()


@transaction.atomic
def update_award_type(*, actor: Actor, award: AwardType, **data: Any) -> AwardType:
    assert award.school is not None
    require(can_manage_awards(actor, award.school), MANAGE_MESSAGE)
    award = AwardType.objects.select_for_update(of=("self",)).get(pk=award.pk)
    if _award_in_use_by_notice(award):
        raise Conflict(f"「{award.name}」已有人进入公示，奖项设置不能再修改。")
    assert award.school is not None
    _check_award(award.school, {**{f: getattr(award, f) for f in AWARD_FIELDS}, **data})
    before = snapshot(award)
    for key, value in data.items():
        if key in AWARD_FIELDS:
            setattr(award, key, value)
    award.save()
    record(
        actor,
        change_for(
            "award_type.update", award, school_id=award.school_id, before=before, after=snapshot(award)
        ),
    )
    return award


@transaction.atomic
def delete_award_type(*, actor: Actor, award: AwardType) -> None:
    assert award.school is not None
    require(can_manage_awards(actor, award.school), MANAGE_MESSAGE)
    if Nomination.objects.filter(award_type=award).exists():
        raise Conflict(f"「{award.name}」已有推荐，不能删除；可以停用。")
    record(actor, change_for("award_type.delete", award, school_id=award.school_id, before=snapshot(award)))
    award.gates.all().delete()
    award.delete()


GATE_PARAMS = {
    GateKind.MIN_PRIOR_HONORS: {"count", "level"},
    GateKind.NOT_WITHIN_YEARS: {"years"},
    GateKind.MIN_VOLUNTEER_HOURS: {"hours"},
    GateKind.NO_UPHELD_OBJECTION: {"years"},
}


@transaction.atomic
def add_gate(*, actor: Actor, award: AwardType, kind: str, params: dict[str, Any]) -> Gate:
    assert award.school is not None
    require(can_manage_awards(actor, award.school), MANAGE_MESSAGE)
    if kind not in GATE_PARAMS:
        raise Invalid("没有这种评选条件。", {"kind": ["条件类型有误。"]})
    if set(params) - GATE_PARAMS[GateKind(kind)]:
        raise Invalid("评选条件的参数有误。", {"params": ["参数有误。"]})
    if _award_in_use_by_notice(award):
        raise Conflict(f"「{award.name}」已有人进入公示，评选条件不能再修改。")
    gate = Gate.objects.create(award_type=award, kind=kind, params=params)
    record(actor, change_for("award_gate.create", gate, school_id=award.school_id, after=snapshot(gate)))
    return gate


@transaction.atomic
def remove_gate(*, actor: Actor, gate: Gate) -> None:
    award = gate.award_type
    assert award.school is not None
    require(can_manage_awards(actor, award.school), MANAGE_MESSAGE)
    if _award_in_use_by_notice(award):
        raise Conflict(f"「{award.name}」已有人进入公示，评选条件不能再修改。")
    record(actor, change_for("award_gate.delete", gate, school_id=award.school_id, before=snapshot(gate)))
    gate.delete()


@transaction.atomic
def install_presets(
    *, actor: Actor, school: School, budget_line: ResourceLine | None = None
) -> list[AwardType]:
    """The ready-made award types of the seeds and DOMAIN.md; a school edits or removes them after."""
    from chuangyou.nominations.presets import PRESETS

    require(can_manage_awards(actor, school), MANAGE_MESSAGE)
    made = []
    for preset in PRESETS:
        if AwardType.objects.filter(school=school, name=preset.name).exists():
            continue
        award = AwardType.objects.create(
            school=school,
            name=preset.name,
            code=preset.code,
            level=preset.level,
            for_kind=preset.for_kind,
            quota_kind=preset.quota_kind,
            quota_value=preset.quota_value,
            quota_unit=preset.quota_unit,
            prize=preset.prize if budget_line is not None else Decimal(0),
            budget_line=budget_line if preset.prize else None,
            proposal_source=preset.source,
        )
        for kind, params in preset.gates:
            Gate.objects.create(award_type=award, kind=kind, params=params)
        record(actor, change_for("award_type.create", award, school_id=school.pk, after=snapshot(award)))
        made.append(award)
    return made


# --- quotas ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaCheck:
    unit_label: str
    quota: int
    cap: int  # how many may be at this level or above: the quota, or quota × ratio below the award's level
    used: int


def _unit_filter(award: AwardType, n: Nomination) -> tuple[Q, Q, str]:
    """(nominations in the same quota unit, people counted for a share, the unit's name)."""
    student = n.student
    if award.quota_unit == QuotaUnit.CLASS and student is not None:
        cls = student.school_class
        return Q(student__school_class_id=cls.pk), Q(school_class_id=cls.pk), str(cls)
    if award.quota_unit in (QuotaUnit.CLASS, QuotaUnit.GRADE) and student is not None:
        grade = student.school_class.grade
        return Q(student__school_class__grade_id=grade.pk), Q(school_class__grade_id=grade.pk), grade.name
    return Q(school_id=n.school_id), Q(school_id=n.school_id), n.school.name


def quota_check(award: AwardType, n: Nomination, *, level: str, selecting: bool) -> QuotaCheck:
    in_unit, people, label = _unit_filter(award, n)
    if award.for_kind == NomineeKind.STUDENT:
        base = Student.objects.filter(people).count()
    elif award.for_kind in (NomineeKind.TEACHER, NomineeKind.PARTY_MEMBER):
        base = Staff.objects.filter(school_id=n.school_id).count()
    else:
        base = 1
    quota = award.quota_for(base)
    siblings = Nomination.objects.filter(in_unit, award_type=award, campaign_id=n.campaign_id).exclude(
        pk=n.pk
    )
    if selecting:
        used = siblings.filter(status=NominationStatus.SELECTED).count()
        return QuotaCheck(label, quota, quota, used)
    levels = LEVEL_ORDER[LEVEL_ORDER.index(Level(level)) :]
    used = siblings.filter(status__in=LIVE, level__in=levels).count()
    return QuotaCheck(label, quota, award.shortlist_for(quota), used)


def _require_quota(award: AwardType, n: Nomination, *, level: str, selecting: bool = False) -> None:
    q = quota_check(award, n, level=level, selecting=selecting)
    if q.used >= q.cap:
        what = (
            "入选名额"
            if selecting
            else f"{Level(level).label}级推荐名额（名额 {q.quota} 名，差额比例 1:{award.shortlist_ratio}）"
        )
        raise Conflict(f"「{award.name}」在{q.unit_label}的{what}已满：最多 {q.cap} 名，已有 {q.used} 名。")


def _lock_award(award: AwardType) -> AwardType:
    # Every decision that counts against a quota takes this lock first, so counts and writes are serial.
    return AwardType.objects.select_for_update(of=("self",)).get(pk=award.pk)


def _require_gates(award: AwardType, n: Nomination) -> None:
    results = gates.evaluate(award, gates.Nominee(n.kind, n.student_id, n.staff_id), n.campaign.year)
    failed = gates.failures(results)
    if failed:
        raise Invalid(failed)


# --- nominations -------------------------------------------------------------------------------------


def _frozen_message(n: Nomination, today: dt.date) -> str | None:
    notice = n.notice
    if notice is None:
        return None
    if notice.starts_on <= today <= notice.ends_on:
        return (
            f"「{n.nominee_name}」正在公示（至 {notice.ends_on:%Y-%m-%d}），"
            "公示期间不能修改其推荐、材料或决定。"
        )
    return f"「{n.nominee_name}」已进入公示，推荐材料和决定不能再修改。"


def require_not_frozen(n: Nomination, today: dt.date | None = None) -> None:
    message = _frozen_message(n, today or timezone.localdate())
    if message:
        raise Conflict(message)


def _decide(actor: Actor, n: Nomination, outcome: str, reason: str, *, level: str | None = None) -> Decision:
    return Decision.objects.create(
        school_id=n.school_id,
        nomination=n,
        level=level or n.level,
        outcome=outcome,
        reason=reason[:300],
        by=actor.user,
        by_label=actor.label[:120],
    )


def _clean_story(story: str) -> str:
    story = story.strip()
    if not story:
        raise Invalid("请填写事迹材料。", {"story": ["必填。"]})
    if len(story) > STORY_MAX:
        raise Invalid(f"事迹材料不能超过 {STORY_MAX} 字（建议 1500 字左右）。", {"story": ["太长。"]})
    return story


@transaction.atomic
def nominate(
    *,
    actor: Actor,
    award: AwardType,
    campaign: Campaign,
    student: Student | None = None,
    staff: Staff | None = None,
    school_class: SchoolClass | None = None,
    story: str,
    evidence: list[dict[str, str]] | None = None,
    reason: str = "",
) -> Nomination:
    school = campaign.school
    if student is not None:
        kind, name, unit = NomineeKind.STUDENT, student.name, str(student.school_class)
        class_id, branch_id, owner = student.school_class_id, None, student.school_id
    elif staff is not None:
        kind = NomineeKind.PARTY_MEMBER if award.for_kind == NomineeKind.PARTY_MEMBER else NomineeKind.TEACHER
        name, unit, class_id, branch_id, owner = (
            staff.name,
            staff.subject or school.name,
            None,
            staff.party_branch_id,
            staff.school_id,
        )
    elif school_class is not None:
        kind, name, unit = NomineeKind.CLASS, str(school_class), school.name
        class_id, branch_id, owner = school_class.pk, None, school_class.school_id
    else:
        raise Invalid("请选择被推荐人。", {"nominee": ["必填。"]})
    require(owner == school.pk, "被推荐人不是本校的。")
    require(
        can_nominate(actor, school, kind=kind, class_id=class_id, branch_id=branch_id), "您不能推荐这名对象。"
    )
    award = _lock_award(award)
    if (
        not award.is_active
        or (award.school_id is not None and award.school_id != school.pk)
        or (award.bureau_id is not None and award.bureau_id != school.bureau_id)
    ):
        raise NotFound("没有这个奖项。")
    if award.for_kind != kind and not (
        award.for_kind == NomineeKind.TEACHER and kind == NomineeKind.PARTY_MEMBER
    ):
        raise Invalid(
            f"「{award.name}」表彰的是{award.get_for_kind_display()}，不能推荐{NomineeKind(kind).label}。"
        )
    duplicate = Nomination.objects.filter(award_type=award, campaign=campaign)
    if (student and duplicate.filter(student=student).exists()) or (
        staff and duplicate.filter(staff=staff).exists()
    ):
        raise Conflict(f"「{name}」已被推荐为「{award.name}」。")
    n = Nomination(
        school=school,
        award_type=award,
        campaign=campaign,
        kind=kind,
        student=student,
        staff=staff,
        school_class=school_class,
        nominee_name=name,
        unit=unit,
        story=_clean_story(story),
        evidence=evidence or [],
        level=_start_level(award, kind),
        nominated_by=actor.user if actor.user is not None else _system_user(),
    )
    _require_gates(award, n)
    _require_quota(award, n, level=n.level)
    n.save()
    _decide(actor, n, Decision.Outcome.NOMINATED, reason or "推荐")
    record(actor, change_for("nomination.create", n, school_id=school.pk, after=snapshot(n)))
    return n


def _start_level(award: AwardType, kind: str) -> str:
    """The nominator's choice is the first level's decision: a class's nominee goes to the grade, an
    office's or a branch's to the school, never above the award's own level."""
    first = (
        Level.GRADE if kind in (NomineeKind.STUDENT, NomineeKind.CLASS, NomineeKind.TEAM) else Level.SCHOOL
    )
    return min(first, Level(award.level), key=LEVEL_ORDER.index)


def _system_user() -> Any:
    raise Invalid("推荐必须由具体的人提出。")


@transaction.atomic
def edit_nomination(
    *, actor: Actor, nomination: Nomination, story: str, evidence: list[dict[str, str]] | None = None
) -> Nomination:
    n = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("notice", "student", "school")
        .get(pk=nomination.pk)
    )
    require(can_decide_at(actor, n), DECIDE_MESSAGE)
    require_not_frozen(n)
    before = snapshot(n, ["story", "evidence"])
    n.story = _clean_story(story)
    if evidence is not None:
        n.evidence = evidence
    n.save(update_fields=["story", "evidence"])
    _decide(actor, n, Decision.Outcome.EDITED, "修改事迹材料")
    record(
        actor,
        change_for(
            "nomination.edit",
            n,
            school_id=n.school_id,
            before=before,
            after=snapshot(n, ["story", "evidence"]),
        ),
    )
    return n


def _locked(nomination: Nomination) -> tuple[AwardType, Nomination]:
    award = _lock_award(nomination.award_type)
    n = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("notice", "student__school_class__grade", "staff", "school", "campaign")
        .get(pk=nomination.pk)
    )
    return award, n


def _require_active(n: Nomination) -> None:
    if n.status != NominationStatus.ACTIVE:
        raise Conflict(f"这条推荐已是「{n.get_status_display()}」状态，不能再作决定。")


@transaction.atomic
def advance(*, actor: Actor, nomination: Nomination, reason: str) -> Nomination:
    """Send a nomination up one level, within that level's shortlist (quota × ratio)."""
    award, n = _locked(nomination)
    require(can_decide_at(actor, n), DECIDE_MESSAGE)
    require_not_frozen(n)
    _require_active(n)
    up = next_level(n.level)
    if up is None or LEVEL_ORDER.index(Level(up)) > LEVEL_ORDER.index(Level(award.level)):
        raise Conflict(
            f"「{award.name}」是{award.get_level_display()}级奖项，已到评定层级，请确定入选或不予推荐。"
        )
    _require_gates(award, n)
    _require_quota(award, n, level=up)
    before = snapshot(n, ["level"])
    _decide(actor, n, Decision.Outcome.ADVANCED, reason or "推荐至上一级")
    n.level = up
    n.save(update_fields=["level"])
    record(
        actor,
        change_for(
            "nomination.advance", n, school_id=n.school_id, before=before, after=snapshot(n, ["level"])
        ),
    )
    return n


@transaction.atomic
def select(*, actor: Actor, nomination: Nomination, reason: str) -> Nomination:
    """At the award's own level: put the nomination on the shortlist for the notice, within quota."""
    award, n = _locked(nomination)
    require(can_decide_at(actor, n), DECIDE_MESSAGE)
    require_not_frozen(n)
    _require_active(n)
    if n.level != award.level:
        raise Conflict(
            f"「{award.name}」在{award.get_level_display()}级评定，这条推荐还在{n.get_level_display()}级。"
        )
    _require_gates(award, n)
    _require_quota(award, n, level=n.level, selecting=True)
    _decide(actor, n, Decision.Outcome.SELECTED, reason or "确定入选")
    n.status = NominationStatus.SELECTED
    n.save(update_fields=["status"])
    record(actor, change_for("nomination.select", n, school_id=n.school_id, after=snapshot(n, ["status"])))
    return n


@transaction.atomic
def decline(*, actor: Actor, nomination: Nomination, reason: str) -> Nomination:
    _award, n = _locked(nomination)
    require(can_decide_at(actor, n), DECIDE_MESSAGE)
    require_not_frozen(n)
    _require_active(n)
    if not reason.strip():
        raise Invalid("不予推荐须写明理由。", {"reason": ["必填。"]})
    _decide(actor, n, Decision.Outcome.NOT_ADVANCED, reason)
    n.status = NominationStatus.NOT_ADVANCED
    n.save(update_fields=["status"])
    record(
        actor,
        change_for(
            "nomination.decline", n, school_id=n.school_id, after={"status": n.status, "reason": reason}
        ),
    )
    return n


@transaction.atomic
def rescore(*, actor: Actor, nomination: Nomination, score: Decimal, reason: str) -> Nomination:
    _award, n = _locked(nomination)
    require(can_decide_at(actor, n), DECIDE_MESSAGE)
    require_not_frozen(n)
    before = snapshot(n, ["score"])
    n.score = score
    n.save(update_fields=["score"])
    _decide(actor, n, Decision.Outcome.SCORED, f"{score} 分：{reason}")
    record(
        actor,
        change_for("nomination.score", n, school_id=n.school_id, before=before, after=snapshot(n, ["score"])),
    )
    return n


# --- notices ----------------------------------------------------------------------------------------


@transaction.atomic
def publish_notice(
    *,
    actor: Actor,
    campaign: Campaign,
    title: str,
    basis: str,
    starts_on: dt.date,
    office: str,
    phone: str,
    address: str,
    nominations: list[Nomination],
    working_days: int = 5,
) -> Notice:
    school = campaign.school
    require(can_publish_notice(actor, school), "只有工作小组、领导小组或学校管理员可以发布公示。")
    if not nominations:
        raise Invalid("公示名单不能为空：请先在各层级确定入选名单。")
    if not 1 <= working_days <= 30:
        raise Invalid("公示期应为 1 到 30 个工作日。", {"working_days": ["天数有误。"]})
    ids = [n.pk for n in nominations]
    locked = list(Nomination.objects.select_for_update(of=("self",)).filter(pk__in=ids))
    for n in locked:
        if n.school_id != school.pk or n.campaign_id != campaign.pk:
            raise NotFound("名单中有不属于本次活动的推荐。")
        if n.status != NominationStatus.SELECTED or n.notice_id is not None:
            raise Conflict(f"「{n.nominee_name}」不是待公示的入选推荐。")
    notice = Notice.objects.create(
        school=school,
        campaign=campaign,
        title=title,
        basis=basis,
        starts_on=starts_on,
        working_days=working_days,
        ends_on=add_working_days(starts_on, working_days),
        office=office,
        phone=phone,
        address=address,
        published_by=actor.user if actor.user is not None else _system_user(),
    )
    Nomination.objects.filter(pk__in=ids).update(notice=notice)
    record(
        actor,
        change_for(
            "notice.publish", notice, school_id=school.pk, after={**snapshot(notice), "nominations": ids}
        ),
    )
    return notice


# --- objections ---------------------------------------------------------------------------------------


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


PUBLIC = Actor(user=None)  # an objector needs no account


@transaction.atomic
def file_objection(
    *,
    notice: Notice,
    nomination: Nomination,
    anonymous: bool,
    name: str = "",
    phone: str = "",
    organization: str = "",
    grounds: str,
    evidence: CleanFile | None = None,
    today: dt.date | None = None,
) -> tuple[Objection, str]:
    """Anyone may object while the notice runs. Returns the objection and the code to check the reply."""
    today = today or timezone.localdate()
    nomination = Nomination.objects.get(pk=nomination.pk)
    if nomination.notice_id != notice.pk or nomination.status == NominationStatus.REMOVED:
        raise Invalid("请选择本公示名单中的被推荐人。", {"nomination": ["不在本公示名单中。"]})
    if not notice.starts_on <= today <= notice.ends_on:
        raise Conflict(
            f"本公示期为 {notice.starts_on:%Y-%m-%d} 至 {notice.ends_on:%Y-%m-%d}，"
            "现在不在公示期内，不能提出异议。"
        )
    grounds = grounds.strip()
    if not grounds:
        raise Invalid("请写明异议的事实和理由。", {"grounds": ["必填。"]})
    if anonymous:
        errors = []
        if len(grounds) < ANONYMOUS_MIN_CHARS:
            errors.append(
                f"匿名异议须具体：理由至少 {ANONYMOUS_MIN_CHARS} 字（现在 {len(grounds)} 字），"
                "写明时间、地点和事实。"
            )
        if nomination.nominee_name not in grounds:
            errors.append(f"匿名异议须在理由中写明被推荐人的姓名「{nomination.nominee_name}」。")
        if errors:
            raise Invalid("".join(errors), {"grounds": errors})
        name = phone = organization = ""
    else:
        missing = {f: ["实名异议必填。"] for f, v in (("name", name), ("phone", phone)) if not v.strip()}
        if missing:
            raise Invalid("实名异议须填写姓名和联系电话；单位提出的还须填写单位名称。", missing)
    code = secrets.token_hex(5).upper()
    objection = Objection(
        school_id=notice.school_id,
        notice=notice,
        nomination=nomination,
        is_anonymous=anonymous,
        name=name.strip(),
        phone=phone.strip(),
        organization=organization.strip(),
        grounds=grounds,
        code_hash=_hash(code),
        due_on=add_working_days(today + dt.timedelta(days=1), ACCEPT_WORKING_DAYS),
    )
    if evidence is not None:
        objection.evidence.save(evidence.name, ContentFile(evidence.content), save=False)
    objection.save()
    ObjectionStep.objects.create(
        school_id=notice.school_id, objection=objection, to_status=ObjectionStatus.RECEIVED, by_label="异议人"
    )
    record(
        PUBLIC,
        change_for(
            "objection.file",
            objection,
            school_id=notice.school_id,
            after=snapshot(objection, ["notice", "nomination", "is_anonymous", "status"]),
        ),
    )
    return objection, code


def objection_by_code(notice_school: School, code: str) -> Objection:
    found = (
        Objection.objects.select_related("nomination", "notice")
        .filter(school=notice_school, code_hash=_hash(code))
        .first()
    )
    if found is None:
        raise NotFound("没有找到这个查询码对应的异议，请核对后再试。")
    return found


# The handling steps: from which statuses each step may be taken.
STEPS: dict[str, tuple[str, ...]] = {
    ObjectionStatus.ACCEPTED: (ObjectionStatus.RECEIVED,),
    ObjectionStatus.VERIFYING: (ObjectionStatus.ACCEPTED,),
    ObjectionStatus.UPHELD: (ObjectionStatus.VERIFYING, ObjectionStatus.DEFERRED),
    ObjectionStatus.REJECTED: (ObjectionStatus.VERIFYING, ObjectionStatus.DEFERRED),
    ObjectionStatus.DEFERRED: (ObjectionStatus.VERIFYING,),
    ObjectionStatus.REPLIED: (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED, ObjectionStatus.DEFERRED),
    ObjectionStatus.ARCHIVED: (ObjectionStatus.REPLIED,),
}


@transaction.atomic
def handle_objection(
    *,
    actor: Actor,
    objection: Objection,
    to_status: str,
    note: str = "",
    reply: str = "",
    deferred_until: dt.date | None = None,
    today: dt.date | None = None,
) -> Objection:
    """One step of 受理 → 核实 → 成立 / 不成立 / 暂缓 → 反馈 → 归档, audited. 成立 removes the nominee."""
    today = today or timezone.localdate()
    o = Objection.objects.select_for_update(of=("self",)).select_related("school").get(pk=objection.pk)
    require(can_handle_objections(actor, o.school), HANDLE_MESSAGE)
    if to_status not in STEPS:
        raise Invalid("没有这个办理环节。")
    if o.status not in STEPS[to_status]:
        raise Conflict(
            f"这件异议现在是「{o.get_status_display()}」，不能直接转为「{ObjectionStatus(to_status).label}」。"
        )
    before = snapshot(o, ["status", "outcome", "due_on", "deferred_until", "reply"])
    if (
        to_status in (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED, ObjectionStatus.DEFERRED)
        and not note.strip()
    ):
        raise Invalid("核实结论须写明核实情况。", {"note": ["必填。"]})
    if to_status == ObjectionStatus.ACCEPTED:
        o.due_on = add_working_days(today + dt.timedelta(days=1), VERIFY_WORKING_DAYS)
    elif to_status == ObjectionStatus.DEFERRED:
        limit = o.filed_at.date() + dt.timedelta(days=MAX_DEFER_DAYS)
        if deferred_until is None or not today < deferred_until <= limit:
            raise Invalid(
                f"暂缓须给出期限，且最长 3 个月（不晚于 {limit:%Y-%m-%d}）。",
                {"deferred_until": ["期限有误。"]},
            )
        o.deferred_until, o.due_on, o.outcome = deferred_until, deferred_until, to_status
    elif to_status in (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED):
        o.outcome = to_status
        o.due_on = add_working_days(today + dt.timedelta(days=1), ACCEPT_WORKING_DAYS)
        if to_status == ObjectionStatus.UPHELD:
            _remove_nominee(actor, o, note)
    elif to_status == ObjectionStatus.REPLIED:
        if not reply.strip():
            raise Invalid("请填写给异议人的答复。", {"reply": ["必填。"]})
        o.reply = reply.strip()
    o.status = to_status
    o.save()
    ObjectionStep.objects.create(
        school_id=o.school_id,
        objection=o,
        to_status=to_status,
        note=note,
        by=actor.user,
        by_label=actor.label[:120],
    )
    record(
        actor,
        change_for(
            f"objection.{to_status}",
            o,
            school_id=o.school_id,
            before=before,
            after=snapshot(o, ["status", "outcome", "due_on", "deferred_until", "reply"]),
        ),
    )
    return o


def _remove_nominee(actor: Actor, o: Objection, note: str) -> None:
    n = Nomination.objects.select_for_update(of=("self",)).get(pk=o.nomination_id)
    if hasattr(n, "honor"):
        raise Conflict("已颁发的荣誉须通过「撤销」处理。")
    n.status = NominationStatus.REMOVED
    n.removal_note = f"异议 #{o.pk} 经核实成立：{note}"[:300]
    n.save(update_fields=["status", "removal_note"])
    _decide(actor, n, Decision.Outcome.REMOVED, n.removal_note)
    record(
        actor,
        change_for(
            "nomination.remove", n, school_id=n.school_id, after=snapshot(n, ["status", "removal_note"])
        ),
    )


def is_final(n: Nomination, today: dt.date, objections: list[Objection] | None = None) -> bool:
    """Final: selected, its notice ended, and every objection against it closed (不成立, replied)."""
    if n.status != NominationStatus.SELECTED or n.notice is None or today <= n.notice.ends_on:
        return False
    objs = objections if objections is not None else list(n.objections.all())
    return all(o.is_closed for o in objs)


# --- data-proposed nominations and exam scores ----------------------------------------------------


@transaction.atomic
def nominate_from_proposal(
    *, actor: Actor, award: AwardType, campaign: Campaign, student: Student
) -> Nomination:
    """Confirm what the data proposes: the story and evidence come from the records, not from typing."""
    from chuangyou.nominations.proposals import proposals

    found = next((p for p in proposals(award, campaign) if p.student.pk == student.pk), None)
    if found is None:
        raise Invalid(f"「{student.name}」不在系统依据数据提出的「{award.name}」名单中，或已被推荐。")
    return nominate(
        actor=actor,
        award=award,
        campaign=campaign,
        student=found.student,
        story=found.story,
        evidence=found.evidence,
        reason="系统依据数据提名，经确认推荐",
    )


EXAM_MESSAGE = "只有工作小组、领导小组或学校管理员可以导入考试成绩。"


@transaction.atomic
def import_exam_scores(
    *, actor: Actor, school: School, year: int, term: str, kind: str, name: str, data: Readable
) -> Exam:
    """All or nothing: one bad row and no score is stored; every error is reported with row and column."""
    from chuangyou.nominations import exams

    require(can_manage_campaign(actor, school), EXAM_MESSAGE)
    term = term.strip()
    if not term:
        raise Invalid("请填写学期，如：2026 秋季学期。", {"term": ["必填。"]})
    if kind not in ExamKind.values:
        raise Invalid("请选择期中考试或期末考试。", {"kind": ["考试类型有误。"]})
    if Exam.objects.filter(school=school, year=year, term=term, kind=kind).exists():
        raise Conflict(f"{term}{ExamKind(kind).label}的成绩已经导入过。")
    upload = clean_upload(name=name, data=data, allowed=("xlsx",), field="file")
    students = {s.student_no: s for s in Student.objects.filter(school=school).select_related("school_class")}
    rows, errors = exams.read(upload.content, students)
    if errors:
        raise Invalid(
            f"成绩表有 {len(errors)} 处错误，没有导入任何成绩。请改正后重新上传。",
            {"file": [str(e) for e in errors]},
        )
    exam = Exam.objects.create(
        school=school, year=year, term=term, kind=kind, file_name=name[:120], imported_by=_person(actor)
    )
    ExamScore.objects.bulk_create(
        ExamScore(
            school=school, exam=exam, student=r.student, school_class_id=r.student.school_class_id,
            subject=r.subject, score=r.score,
        )
        for r in rows
    )  # fmt: skip
    record(
        actor,
        change_for("exam.import", exam, school_id=school.pk, after={**snapshot(exam), "rows": len(rows)}),
    )
    return exam


def _person(actor: Actor) -> Any:
    if actor.user is None:
        raise Invalid("这一步须由具体的人完成。")
    return actor.user
