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
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import change_for, record, record_many, snapshot
from chuangyou.campaigns.models import Campaign, ResourceLine
from chuangyou.lib.errors import Conflict, Invalid, NotFound
from chuangyou.lib.uploads import CleanFile, Readable, clean_upload
from chuangyou.lib.workdays import add_working_days
from chuangyou.nominations import gates
from chuangyou.nominations.models import (
    BUREAU_PATTERN,
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
    can_manage_bureau_awards,
    can_nominate,
    can_publish_notice,
)
from chuangyou.org.models import Bureau, School, SchoolClass, Staff, Student
from chuangyou.org.rules import Actor, can_manage_campaign, require

MANAGE_MESSAGE = gettext_lazy("只有工作小组、领导小组或学校管理员可以设置奖项。")
DECIDE_MESSAGE = gettext_lazy("您不是这一层级的推荐人，不能对这条推荐作出决定。")
HANDLE_MESSAGE = gettext_lazy("只有监督小组可以办理异议。")
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
    "school_send_quota",
)  # fmt: skip
BUREAU_MANAGE_MESSAGE = gettext_lazy("只有本局管理员可以设置教育局级奖项。")


def _check_pattern(pattern: str, *, bureau: bool = False) -> None:
    try:
        sample = pattern.format(year=2026, school="yz", bureau="county", award="SH", serial=1)
    except (KeyError, ValueError, IndexError) as exc:
        raise Invalid(
            gettext(
                "证书编号格式有误：只能使用 {year}、{school}、{bureau}、{award}、{serial}，如 %(example)s"
            )
            % {"example": BUREAU_PATTERN if bureau else DEFAULT_PATTERN},
            {"number_pattern": [gettext("格式有误。")]},
        ) from exc
    if "{serial" not in pattern or not sample:
        raise Invalid(
            gettext("证书编号格式必须包含 {serial}（序号）。"),
            {"number_pattern": [gettext("缺少 {serial}。")]},
        )
    if bureau and "{school}" in pattern:
        # A bureau award's serials run across all its schools: a school code in the number would
        # suggest a per-school sequence that doesn't exist.
        raise Invalid(
            gettext("教育局级奖项的证书编号按全局连续编号，不能使用 {school}，请使用 {bureau}。"),
            {"number_pattern": [gettext("不能使用 {school}。")]},
        )


def _check_quota(data: dict[str, Any]) -> None:
    if data["quota_kind"] == QuotaKind.SHARE and not (Decimal(0) < data["quota_value"] <= 1):
        raise Invalid(
            gettext("按比例设置名额时，比例应在 0 到 1 之间（如 0.2 即 20%）。"),
            {"quota_value": [gettext("比例有误。")]},
        )
    if data["quota_kind"] == QuotaKind.COUNT and (
        data["quota_value"] < 1 or data["quota_value"] != int(data["quota_value"])
    ):
        raise Invalid(gettext("名额人数应为正整数。"), {"quota_value": [gettext("人数有误。")]})
    if data["shortlist_ratio"] < 1:
        raise Invalid(gettext("差额比例不能小于 1。"), {"shortlist_ratio": [gettext("不能小于 1。")]})


def _check_award(school: School, data: dict[str, Any]) -> None:
    _check_pattern(data.get("number_pattern") or DEFAULT_PATTERN)
    _check_quota(data)
    line = data.get("budget_line")
    if line is not None and (line.school_id != school.pk or line.kind != "funds"):
        raise Invalid(
            gettext("经费科目必须是本校活动方案中的经费项。"), {"budget_line": [gettext("科目有误。")]}
        )
    if data["level"] == Level.BUREAU:
        raise Invalid(
            gettext("教育局级奖项由教育局设置。"), {"level": [gettext("学校不能设置教育局级奖项。")]}
        )
    if data["quota_unit"] == QuotaUnit.BUREAU or data.get("school_send_quota") is not None:
        raise Invalid(
            gettext("全局名额和每校报送名额只用于教育局级奖项。"), {"quota_unit": [gettext("范围有误。")]}
        )


def _check_bureau_award(data: dict[str, Any]) -> None:
    """A bureau award: bureau level; places per school, or across the bureau with a per-school cap on
    what each school sends up; no prize money (the bureau has no budget line here) and no data source
    (proposals read one school's records)."""
    _check_pattern(data.get("number_pattern") or BUREAU_PATTERN, bureau=True)
    _check_quota(data)
    if data["level"] != Level.BUREAU:
        raise Invalid(gettext("教育局设置的奖项只能是教育局级。"), {"level": [gettext("层级有误。")]})
    if data["quota_unit"] not in (QuotaUnit.SCHOOL, QuotaUnit.BUREAU):
        raise Invalid(
            gettext("教育局级奖项的名额按每校或全局设置。"), {"quota_unit": [gettext("范围有误。")]}
        )
    send = data.get("school_send_quota")
    if data["quota_unit"] == QuotaUnit.BUREAU:
        if data["quota_kind"] != QuotaKind.COUNT:
            raise Invalid(gettext("全局名额须为人数，不能是比例。"), {"quota_kind": [gettext("须为人数。")]})
        if send is None or send < 1:
            raise Invalid(
                gettext("按全局名额评选时，须设定每校报送名额（至少 1 名）。"),
                {"school_send_quota": [gettext("必填。")]},
            )
    elif send is not None:
        raise Invalid(
            gettext("按每校名额评选时，每校报送名额由差额比例决定，不能另设。"),
            {"school_send_quota": [gettext("不能设置。")]},
        )
    if data.get("prize") or data.get("budget_line") is not None:
        raise Invalid(gettext("教育局级奖项不在学校经费中列支奖金。"), {"prize": [gettext("须为 0。")]})
    if data.get("proposal_source"):
        raise Invalid(
            gettext("教育局级奖项由各校逐级推荐，不由系统依据数据提名。"),
            {"proposal_source": [gettext("不能设置。")]},
        )


def can_manage_award(actor: Actor, award: AwardType) -> bool:
    if award.bureau_id is not None:
        return can_manage_bureau_awards(actor, award.bureau_id)
    assert award.school is not None
    return can_manage_awards(actor, award.school)


def _require_manage(actor: Actor, award: AwardType) -> None:
    require(
        can_manage_award(actor, award),
        BUREAU_MANAGE_MESSAGE if award.bureau_id is not None else MANAGE_MESSAGE,
    )


@transaction.atomic
def create_award_type(*, actor: Actor, school: School, **data: Any) -> AwardType:
    require(can_manage_awards(actor, school), MANAGE_MESSAGE)
    _check_award(school, data)
    if AwardType.objects.filter(school=school, name=data["name"]).exists():
        raise Conflict(gettext("已有名为「%(name)s」的奖项。") % {"name": data["name"]})
    award = AwardType.objects.create(school=school, **{k: v for k, v in data.items() if k in AWARD_FIELDS})
    record(actor, change_for("award_type.create", award, school_id=school.pk, after=snapshot(award)))
    return award


@transaction.atomic
def create_bureau_award_type(*, actor: Actor, bureau: Bureau, **data: Any) -> AwardType:
    """A bureau-level award type, set by the bureau admin for all its schools. Audited on the bureau's
    chain (it belongs to no school)."""
    require(can_manage_bureau_awards(actor, bureau.pk), BUREAU_MANAGE_MESSAGE)
    defaults = {
        "level": Level.BUREAU,
        "number_pattern": BUREAU_PATTERN,
        "quota_kind": QuotaKind.COUNT,
        "shortlist_ratio": Decimal("1.20"),
        "school_send_quota": None,
    }
    data = {**defaults, **data}
    _check_bureau_award(data)
    if AwardType.objects.filter(bureau=bureau, name=data["name"]).exists():
        raise Conflict(gettext("已有名为「%(name)s」的奖项。") % {"name": data["name"]})
    award = AwardType.objects.create(bureau=bureau, **{k: v for k, v in data.items() if k in AWARD_FIELDS})
    record(actor, change_for("award_type.create", award, school_id=None, after=snapshot(award)))
    return award


def _award_in_use_by_notice(award: AwardType) -> bool:
    return Nomination.objects.filter(award_type=award, notice__isnull=False).exists()


@transaction.atomic
def update_award_type(*, actor: Actor, award: AwardType, **data: Any) -> AwardType:
    _require_manage(actor, award)
    award = AwardType.objects.select_for_update(of=("self",)).get(pk=award.pk)
    if _award_in_use_by_notice(award):
        raise Conflict(
            gettext("「%(award_name)s」已有人进入公示，奖项设置不能再修改。") % {"award_name": award.name}
        )
    merged = {**{f: getattr(award, f) for f in AWARD_FIELDS}, **data}
    if award.bureau_id is not None:
        _check_bureau_award(merged)
        if "name" in data and (
            AwardType.objects.filter(bureau_id=award.bureau_id, name=data["name"])
            .exclude(pk=award.pk)
            .exists()
        ):
            raise Conflict(gettext("已有名为「%(name)s」的奖项。") % {"name": data["name"]})
        if "quota_unit" in data or "quota_value" in data or "school_send_quota" in data:
            _require_quota_fits(award, merged)
    else:
        assert award.school is not None
        _check_award(award.school, merged)
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


def _require_quota_fits(award: AwardType, merged: dict[str, Any]) -> None:
    """A bureau may not shrink a quota below what its schools have already sent up or it has selected:
    that would leave more people in the running than places, with no one having decided so."""
    if merged["quota_unit"] != QuotaUnit.BUREAU:
        return
    send = merged["school_send_quota"]
    sent = (
        Nomination.objects.filter(award_type=award, level=Level.BUREAU, status__in=LIVE)
        .values("school_id", "campaign__year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if sent is not None and sent["n"] > send:
        raise Conflict(gettext("已有学校报送 %(n)d 名，每校报送名额不能少于此数。") % {"n": sent["n"]})
    chosen = (
        Nomination.objects.filter(award_type=award, status=NominationStatus.SELECTED)
        .values("campaign__year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if chosen is not None and chosen["n"] > merged["quota_value"]:
        raise Conflict(gettext("已确定入选 %(n)d 名，全局名额不能少于此数。") % {"n": chosen["n"]})


@transaction.atomic
def delete_award_type(*, actor: Actor, award: AwardType) -> None:
    _require_manage(actor, award)
    if Nomination.objects.filter(award_type=award).exists():
        raise Conflict(
            gettext("「%(award_name)s」已有推荐，不能删除；可以停用。") % {"award_name": award.name}
        )
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
    _require_manage(actor, award)
    if kind not in GATE_PARAMS:
        raise Invalid(gettext("没有这种评选条件。"), {"kind": [gettext("条件类型有误。")]})
    if set(params) - GATE_PARAMS[GateKind(kind)]:
        raise Invalid(gettext("评选条件的参数有误。"), {"params": [gettext("参数有误。")]})
    if _award_in_use_by_notice(award):
        raise Conflict(
            gettext("「%(award_name)s」已有人进入公示，评选条件不能再修改。") % {"award_name": award.name}
        )
    gate = Gate.objects.create(award_type=award, kind=kind, params=params)
    record(actor, change_for("award_gate.create", gate, school_id=award.school_id, after=snapshot(gate)))
    return gate


@transaction.atomic
def remove_gate(*, actor: Actor, gate: Gate) -> None:
    award = gate.award_type
    _require_manage(actor, award)
    if _award_in_use_by_notice(award):
        raise Conflict(
            gettext("「%(award_name)s」已有人进入公示，评选条件不能再修改。") % {"award_name": award.name}
        )
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


def _bureau_quota_check(award: AwardType, n: Nomination, *, level: str, selecting: bool) -> QuotaCheck:
    """Places across the bureau: the bureau selects at most `quota_value` among all its schools' nominees
    of the year; each school sends up at most `school_send_quota` (its own quota for this award), and
    below the bureau level holds at most that × the shortlist ratio."""
    if selecting:
        quota = int(award.quota_value)
        used = (
            Nomination.objects.filter(
                award_type=award,
                campaign__year=n.campaign.year,
                school__bureau_id=award.bureau_id or 0,
                status=NominationStatus.SELECTED,
            )
            .exclude(pk=n.pk)
            .count()
        )
        return QuotaCheck(gettext("全局"), quota, quota, used)
    send = award.school_send_quota or 0
    levels = LEVEL_ORDER[LEVEL_ORDER.index(Level(level)) :]
    used = (
        Nomination.objects.filter(
            award_type=award, campaign_id=n.campaign_id, status__in=LIVE, level__in=levels
        )
        .exclude(pk=n.pk)
        .count()
    )
    cap = send if level == Level.BUREAU else award.shortlist_for(send)
    return QuotaCheck(n.school.name, send, cap, used)


def quota_check(award: AwardType, n: Nomination, *, level: str, selecting: bool) -> QuotaCheck:
    if award.quota_unit == QuotaUnit.BUREAU:
        return _bureau_quota_check(award, n, level=level, selecting=selecting)
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
            gettext("入选名额")
            if selecting
            else gettext("%(level)s级推荐名额（名额 %(quota)s 名，差额比例 1:%(ratio)s）")
            % {
                "level": Level(level).label,
                "quota": q.quota,
                "ratio": award.shortlist_ratio,
            }
        )
        raise Conflict(
            gettext("「%(award_name)s」在%(unit)s的%(what)s已满：最多 %(cap)s 名，已有 %(used)s 名。")
            % {
                "award_name": award.name,
                "unit": q.unit_label,
                "what": what,
                "cap": q.cap,
                "used": q.used,
            }
        )


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
        return gettext("「%(nominee)s」正在公示（至 %(ends_on)s），公示期间不能修改其推荐、材料或决定。") % {
            "nominee": n.nominee_name,
            "ends_on": format(notice.ends_on, "%Y-%m-%d"),
        }
    return gettext("「%(nominee)s」已进入公示，推荐材料和决定不能再修改。") % {"nominee": n.nominee_name}


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
        raise Invalid(gettext("请填写事迹材料。"), {"story": [gettext("必填。")]})
    if len(story) > STORY_MAX:
        raise Invalid(
            gettext("事迹材料不能超过 %(max_chars)s 字（建议 1500 字左右）。") % {"max_chars": STORY_MAX},
            {"story": [gettext("太长。")]},
        )
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
        raise Invalid(gettext("请选择被推荐人。"), {"nominee": [gettext("必填。")]})
    require(owner == school.pk, gettext("被推荐人不是本校的。"))
    require(
        can_nominate(actor, school, kind=kind, class_id=class_id, branch_id=branch_id),
        gettext("您不能推荐这名对象。"),
    )
    award = _lock_award(award)
    if (
        not award.is_active
        or (award.school_id is not None and award.school_id != school.pk)
        or (award.bureau_id is not None and award.bureau_id != school.bureau_id)
    ):
        raise NotFound(gettext("没有这个奖项。"))
    if award.for_kind != kind and not (
        award.for_kind == NomineeKind.TEACHER and kind == NomineeKind.PARTY_MEMBER
    ):
        raise Invalid(
            gettext("「%(award_name)s」表彰的是%(for_kind)s，不能推荐%(kind)s。")
            % {
                "award_name": award.name,
                "for_kind": award.get_for_kind_display(),
                "kind": NomineeKind(kind).label,
            }
        )
    duplicate = Nomination.objects.filter(award_type=award, campaign=campaign)
    if (student and duplicate.filter(student=student).exists()) or (
        staff and duplicate.filter(staff=staff).exists()
    ):
        raise Conflict(
            gettext("「%(name)s」已被推荐为「%(award_name)s」。") % {"name": name, "award_name": award.name}
        )
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
    raise Invalid(gettext("推荐必须由具体的人提出。"))


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
        raise Conflict(
            gettext("这条推荐已是「%(status)s」状态，不能再作决定。") % {"status": n.get_status_display()}
        )


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
            gettext("「%(award_name)s」是%(award_level)s级奖项，已到评定层级，请确定入选或不予推荐。")
            % {"award_name": award.name, "award_level": award.get_level_display()}
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
            gettext("「%(award_name)s」在%(award_level)s级评定，这条推荐还在%(level)s级。")
            % {
                "award_name": award.name,
                "award_level": award.get_level_display(),
                "level": n.get_level_display(),
            }
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
        raise Invalid(gettext("不予推荐须写明理由。"), {"reason": [gettext("必填。")]})
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
    _decide(
        actor,
        n,
        Decision.Outcome.SCORED,
        f"{score} 分：{reason}",
    )
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
    require(can_publish_notice(actor, school), gettext("只有工作小组、领导小组或学校管理员可以发布公示。"))
    if not nominations:
        raise Invalid(gettext("公示名单不能为空：请先在各层级确定入选名单。"))
    if not 1 <= working_days <= 30:
        raise Invalid(gettext("公示期应为 1 到 30 个工作日。"), {"working_days": [gettext("天数有误。")]})
    ids = [n.pk for n in nominations]
    locked = list(Nomination.objects.select_for_update(of=("self",)).filter(pk__in=ids))
    for n in locked:
        if n.school_id != school.pk or n.campaign_id != campaign.pk:
            raise NotFound(gettext("名单中有不属于本次活动的推荐。"))
        if n.status != NominationStatus.SELECTED or n.notice_id is not None:
            raise Conflict(gettext("「%(nominee)s」不是待公示的入选推荐。") % {"nominee": n.nominee_name})
    if Nomination.objects.filter(pk__in=ids, award_type__bureau__isnull=False).exists():
        raise Conflict(gettext("教育局级奖项的入选名单由教育局公示，不能列入学校的公示。"))
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


BUREAU_NOTICE_MESSAGE = gettext_lazy("只有本局管理员可以发布教育局公示。")


@transaction.atomic
def publish_bureau_notice(
    *,
    actor: Actor,
    bureau: Bureau,
    year: int,
    title: str,
    basis: str,
    starts_on: dt.date,
    office: str,
    phone: str,
    address: str,
    nominations: list[Nomination],
    working_days: int = 5,
) -> Notice:
    """教育局公示: the nominees the bureau selected for its bureau awards, from any of its schools. The
    notice belongs to the bureau (no school); each nominee's row stays its school's. Audited on the
    bureau's chain, and on each school's chain for that school's nominees."""
    require(can_manage_bureau_awards(actor, bureau.pk), BUREAU_NOTICE_MESSAGE)
    if not nominations:
        raise Invalid(gettext("公示名单不能为空：请先确定入选名单。"))
    if not 1 <= working_days <= 30:
        raise Invalid(gettext("公示期应为 1 到 30 个工作日。"), {"working_days": [gettext("天数有误。")]})
    ids = sorted({n.pk for n in nominations})
    locked = list(
        Nomination.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("award_type", "school", "campaign")
        .order_by("pk")
    )
    if len(locked) != len(ids):
        raise NotFound(gettext("名单中有不存在的推荐。"))
    for n in locked:
        if n.award_type.bureau_id != bureau.pk or n.school.bureau_id != bureau.pk or n.campaign.year != year:
            raise NotFound(gettext("名单中有不属于本局本年度教育局级奖项的推荐。"))
        if n.status != NominationStatus.SELECTED or n.notice_id is not None or n.level != Level.BUREAU:
            raise Conflict(gettext("「%(nominee)s」不是待公示的入选推荐。") % {"nominee": n.nominee_name})
    notice = Notice.objects.create(
        bureau=bureau,
        year=year,
        title=title,
        basis=basis,
        starts_on=starts_on,
        working_days=working_days,
        ends_on=add_working_days(starts_on, working_days),
        office=office,
        phone=phone,
        address=address,
        published_by=_person(actor),
    )
    Nomination.objects.filter(pk__in=ids).update(notice=notice)
    by_school: dict[int, list[int]] = {}
    for n in locked:
        by_school.setdefault(n.school_id, []).append(n.pk)
    record_many(
        actor,
        [
            change_for(
                "notice.publish", notice, school_id=None, after={**snapshot(notice), "nominations": ids}
            ),
            *(
                change_for("notice.publish", notice, school_id=sid, after={"nominations": school_ids})
                for sid, school_ids in sorted(by_school.items())
            ),
        ],
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
        raise Invalid(
            gettext("请选择本公示名单中的被推荐人。"), {"nomination": [gettext("不在本公示名单中。")]}
        )
    if not notice.starts_on <= today <= notice.ends_on:
        raise Conflict(
            gettext("本公示期为 %(starts_on)s 至 %(ends_on)s，现在不在公示期内，不能提出异议。")
            % {
                "starts_on": format(notice.starts_on, "%Y-%m-%d"),
                "ends_on": format(notice.ends_on, "%Y-%m-%d"),
            }
        )
    grounds = grounds.strip()
    if not grounds:
        raise Invalid(gettext("请写明异议的事实和理由。"), {"grounds": [gettext("必填。")]})
    if anonymous:
        errors = []
        if len(grounds) < ANONYMOUS_MIN_CHARS:
            errors.append(
                gettext(
                    "匿名异议须具体：理由至少 %(min_chars)s 字（现在 %(chars)s 字），写明时间、地点和事实。"
                )
                % {"min_chars": ANONYMOUS_MIN_CHARS, "chars": len(grounds)}
            )
        if nomination.nominee_name not in grounds:
            errors.append(
                gettext("匿名异议须在理由中写明被推荐人的姓名「%(nominee)s」。")
                % {"nominee": nomination.nominee_name}
            )
        if errors:
            raise Invalid("".join(errors), {"grounds": errors})
        name = phone = organization = ""
    else:
        missing = {
            f: [gettext("实名异议必填。")] for f, v in (("name", name), ("phone", phone)) if not v.strip()
        }
        if missing:
            raise Invalid(gettext("实名异议须填写姓名和联系电话；单位提出的还须填写单位名称。"), missing)
    code = secrets.token_hex(5).upper()
    objection = Objection(
        school_id=nomination.school_id,
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
        school_id=nomination.school_id,
        objection=objection,
        to_status=ObjectionStatus.RECEIVED,
        by_label="异议人",
    )
    record(
        PUBLIC,
        change_for(
            "objection.file",
            objection,
            school_id=nomination.school_id,
            after=snapshot(objection, ["notice", "nomination", "is_anonymous", "status"]),
        ),
    )
    return objection, code


def objection_by_code(notice_school: School, code: str) -> Objection:
    """The objection a code names, looked up from a school's public pages: the school's own notices, and
    its bureau's notices (shown on every school's pages of the bureau)."""
    found = (
        Objection.objects.select_related("nomination", "notice")
        .filter(Q(notice__school=notice_school) | Q(notice__bureau_id=notice_school.bureau_id))
        .filter(code_hash=_hash(code))
        .first()
    )
    if found is None:
        raise NotFound(gettext("没有找到这个查询码对应的异议，请核对后再试。"))
    return found


BUREAU_HANDLE_MESSAGE = gettext_lazy("教育局公示的异议由本局管理员办理。")


def can_handle(actor: Actor, o: Objection) -> bool:
    """A school notice's objections: the school's supervision group. A bureau notice's: the bureau admin
    (the bureau's 监督), never a school's group, whose own nominee may be the one objected to."""
    if o.notice.bureau_id is not None:
        return can_manage_bureau_awards(actor, o.notice.bureau_id)
    return can_handle_objections(actor, o.school)


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
    o = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("school", "notice")
        .get(pk=objection.pk)
    )
    require(can_handle(actor, o), BUREAU_HANDLE_MESSAGE if o.notice.bureau_id else HANDLE_MESSAGE)
    if to_status not in STEPS:
        raise Invalid(gettext("没有这个办理环节。"))
    if o.status not in STEPS[to_status]:
        raise Conflict(
            gettext("这件异议现在是「%(current)s」，不能直接转为「%(status)s」。")
            % {"current": o.get_status_display(), "status": ObjectionStatus(to_status).label}
        )
    before = snapshot(o, ["status", "outcome", "due_on", "deferred_until", "reply"])
    if (
        to_status in (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED, ObjectionStatus.DEFERRED)
        and not note.strip()
    ):
        raise Invalid(gettext("核实结论须写明核实情况。"), {"note": [gettext("必填。")]})
    if to_status == ObjectionStatus.ACCEPTED:
        o.due_on = add_working_days(today + dt.timedelta(days=1), VERIFY_WORKING_DAYS)
    elif to_status == ObjectionStatus.DEFERRED:
        limit = o.filed_at.date() + dt.timedelta(days=MAX_DEFER_DAYS)
        if deferred_until is None or not today < deferred_until <= limit:
            raise Invalid(
                gettext("暂缓须给出期限，且最长 3 个月（不晚于 %(limit)s）。")
                % {"limit": format(limit, "%Y-%m-%d")},
                {"deferred_until": [gettext("期限有误。")]},
            )
        o.deferred_until, o.due_on, o.outcome = deferred_until, deferred_until, to_status
    elif to_status in (ObjectionStatus.UPHELD, ObjectionStatus.REJECTED):
        o.outcome = to_status
        o.due_on = add_working_days(today + dt.timedelta(days=1), ACCEPT_WORKING_DAYS)
        if to_status == ObjectionStatus.UPHELD:
            _remove_nominee(actor, o, note)
    elif to_status == ObjectionStatus.REPLIED:
        if not reply.strip():
            raise Invalid(gettext("请填写给异议人的答复。"), {"reply": [gettext("必填。")]})
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
        raise Conflict(gettext("已颁发的荣誉须通过「撤销」处理。"))
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
        raise Invalid(
            gettext("「%(student)s」不在系统依据数据提出的「%(award_name)s」名单中，或已被推荐。")
            % {"student": student.name, "award_name": award.name}
        )
    return nominate(
        actor=actor,
        award=award,
        campaign=campaign,
        student=found.student,
        story=found.story,
        evidence=found.evidence,
        reason="系统依据数据提名，经确认推荐",
    )


EXAM_MESSAGE = gettext_lazy("只有工作小组、领导小组或学校管理员可以导入考试成绩。")


@transaction.atomic
def import_exam_scores(
    *, actor: Actor, school: School, year: int, term: str, kind: str, name: str, data: Readable
) -> Exam:
    """All or nothing: one bad row and no score is stored; every error is reported with row and column."""
    from chuangyou.nominations import exams

    require(can_manage_campaign(actor, school), EXAM_MESSAGE)
    term = term.strip()
    if not term:
        raise Invalid(gettext("请填写学期，如：2026 秋季学期。"), {"term": [gettext("必填。")]})
    if kind not in ExamKind.values:
        raise Invalid(gettext("请选择期中考试或期末考试。"), {"kind": [gettext("考试类型有误。")]})
    if Exam.objects.filter(school=school, year=year, term=term, kind=kind).exists():
        raise Conflict(
            gettext("%(term)s%(exam)s的成绩已经导入过。") % {"term": term, "exam": ExamKind(kind).label}
        )
    upload = clean_upload(name=name, data=data, allowed=("xlsx",), field="file")
    students = {s.student_no: s for s in Student.objects.filter(school=school).select_related("school_class")}
    rows, errors = exams.read(upload.content, students)
    if errors:
        raise Invalid(
            gettext("成绩表有 %(count)s 处错误，没有导入任何成绩。请改正后重新上传。")
            % {"count": len(errors)},
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
        raise Invalid(gettext("这一步须由具体的人完成。"))
    return actor.user
