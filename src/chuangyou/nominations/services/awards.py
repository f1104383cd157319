"""Award types and their gates (评选条件): set by a school for its own awards, by a bureau for its
bureau awards.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.campaigns.models import ResourceLine
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.nominations.models import (
    BUREAU_PATTERN,
    DEFAULT_PATTERN,
    AwardType,
    Gate,
    GateKind,
    Level,
    Nomination,
    NominationStatus,
    QuotaKind,
    QuotaUnit,
)
from chuangyou.nominations.presets import PRESETS
from chuangyou.nominations.rules import (
    can_manage_award,
    can_manage_awards,
    can_manage_bureau_awards,
)
from chuangyou.nominations.services.shared import LIVE
from chuangyou.org.models import Bureau, School
from chuangyou.org.rules import Actor, require

MANAGE_MESSAGE = gettext_lazy("只有工作小组、领导小组或学校管理员可以设置奖项。")

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
