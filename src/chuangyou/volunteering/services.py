"""Writes to volunteer service: claiming hours, guardian consent, certifying, and the school's rules.

The organizer certifies (谁记录谁证明). A decision is a conditional update from 待审核, so a second
approve or reject, even a simultaneous one, is a Conflict (409) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.lib.uploads import clean_upload
from chuangyou.lib.validation import clean_text
from chuangyou.org.models import Guardian, School, Staff, Student
from chuangyou.org.rules import Actor, require
from chuangyou.volunteering import selectors
from chuangyou.volunteering.models import Claim, ClaimStatus, Consent, VolunteerSettings
from chuangyou.volunteering.rules import can_certify, can_edit_settings, is_claimant, is_guardian_of_claimant

CLAIM_MESSAGE = gettext_lazy("只有本校学生和教职工可以申报自己的志愿服务时长。")
CERTIFY_MESSAGE = gettext_lazy("只有申报中写明的组织者或活动工作小组可以审核志愿服务时长。")
CONSENT_MESSAGE = gettext_lazy("只有这名学生的家长可以在线同意。")
SETTINGS_MESSAGE = gettext_lazy("只有本校管理员、领导小组或工作小组成员可以修改志愿服务规则。")
NEEDS_CONSENT = gettext_lazy(
    "这是未成年学生的志愿服务时长，须先取得监护人同意才能认证："
    "请家长登录后在线同意，或由组织者登记已签字的纸质同意书。"
)
MAX_HOURS_IN_A_DAY = Decimal("24")


def _hours_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def check_hours(hours: Decimal, rules: VolunteerSettings) -> Decimal:
    """Positive, in whole units (0.5 h by default), and within the per-activity day limit."""
    if hours <= 0:
        raise Invalid(gettext("时长须大于 0。"), {"hours": [gettext("时长须大于 0。")]})
    unit = rules.unit_hours
    if hours % unit != 0:
        message = gettext("时长须按 %(hours_text)s 小时为单位填写（如 %(hours_text2)s）。") % {
            "hours_text": _hours_text(unit),
            "hours_text2": _hours_text(unit * 5),
        }
        raise Invalid(message, {"hours": [message]})
    if hours > rules.max_hours_per_activity_day:
        message = gettext("同一项活动每天最多认证 %(hours_text)s 小时（不含路途时间）。") % {
            "hours_text": _hours_text(rules.max_hours_per_activity_day)
        }
        raise Invalid(message, {"hours": [message]})
    return hours


def _evidence(upload: UploadedFile) -> ContentFile[bytes]:
    clean = clean_upload(
        name=upload.name or "photo.jpg", data=upload, allowed=("jpg", "jpeg", "png", "webp"), field="evidence"
    )
    return ContentFile(clean.content, name=clean.name)


def claim_hours(
    *,
    actor: Actor,
    school: School,
    served_on: dt.date,
    service: str,
    organization: str,
    description: str,
    hours: Decimal,
    organizer: Staff,
    evidence: UploadedFile | None = None,
    today: dt.date | None = None,
) -> Claim:
    """A student or teacher claims their own hours (travel excluded) and names who certifies them."""
    participant = selectors.participant_of(actor, school)
    require(participant is not None, CLAIM_MESSAGE)
    assert participant is not None
    rules = selectors.settings_for(school)
    if organizer.school_id != school.pk:
        raise Invalid(gettext("组织者须是本校教职工。"), {"organizer": [gettext("组织者须是本校教职工。")]})
    if isinstance(participant, Staff) and organizer.pk == participant.pk:
        message = gettext("谁记录谁证明：组织者须是另一位老师，不能自己证明自己的时长。")
        raise Invalid(message, {"organizer": [message]})
    if served_on > (today or timezone.localdate()):
        raise Invalid(gettext("服务日期不能晚于今天。"), {"served_on": [gettext("服务日期不能晚于今天。")]})
    service = clean_text(service, field="service", label=gettext("服务项目"), max_length=120)
    organization = clean_text(organization, field="organization", label=gettext("组织单位"), max_length=120)
    description = clean_text(description, field="description", label=gettext("服务内容"), max_length=2000)
    try:
        hours = check_hours(Decimal(hours), rules)
    except InvalidOperation as exc:
        raise Invalid(gettext("请填写正确的时长。"), {"hours": [gettext("请填写正确的时长。")]}) from exc
    photo = _evidence(upload=evidence) if evidence is not None else None
    is_student = isinstance(participant, Student)
    with transaction.atomic():
        # Lock the person, so two claims for the same day cannot both slip under the daily limit.
        person_model = Student if is_student else Staff
        person = person_model.objects.select_for_update().get(pk=participant.pk)
        who = {"student": person} if is_student else {"staff": person}
        already = Claim.objects.filter(
            **who,
            served_on=served_on,
            service__iexact=service,
            status__in=[ClaimStatus.PENDING, ClaimStatus.APPROVED],
        ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
        limit = rules.max_hours_per_activity_day
        if already + hours > limit:
            left = _hours_text(max(limit - already, Decimal(0)))
            message = gettext(
                "同一项活动每天最多认证 %(hours_text)s 小时：%(served_on)s「%(service)s」"
                "已申报 %(hours_text2)s 小时，"
                "本次最多还能申报 %(left)s 小时。"
            ) % {
                "hours_text": _hours_text(limit),
                "served_on": format(served_on, "%Y-%m-%d"),
                "service": service,
                "hours_text2": _hours_text(already),
                "left": left,
            }
            raise Invalid(message, {"hours": [message]})
        needs_consent = is_student and rules.students_need_consent
        claim = Claim(
            school=school,
            served_on=served_on,
            service=service,
            organization=organization,
            description=description,
            hours=hours,
            organizer=organizer,
            consent=Consent.MISSING if needs_consent else Consent.NOT_NEEDED,
            **who,
        )
        if photo is not None:
            claim.evidence.save(photo.name or "photo.jpg", photo, save=False)
        claim.save()
        record(actor, change_for("volunteer.claim", claim, school_id=school.pk, after=snapshot(claim)))
    return claim


def _conditional(claim: Claim, *, require_status: str, consent_from: str | None, **changes: object) -> bool:
    rows = Claim.objects.filter(pk=claim.pk, status=require_status)
    if consent_from is not None:
        rows = rows.filter(consent=consent_from)
    return rows.update(**changes) == 1


def _settled_message(claim: Claim) -> str:
    current = Claim.objects.get(pk=claim.pk)
    return gettext("这条申报已经审核过了（当前状态：%(status)s），不能重复操作。") % {
        "status": current.get_status_display()
    }


def give_consent(*, actor: Actor, claim: Claim) -> Claim:
    """A parent agrees online, from their own account."""
    require(is_guardian_of_claimant(actor, claim), CONSENT_MESSAGE)
    assert actor.user is not None
    guardian = Guardian.objects.filter(user=actor.user, guardianships__student=claim.student).first()
    with transaction.atomic():
        before = snapshot(claim, ["consent", "consent_by", "consent_at"])
        done = _conditional(
            claim,
            require_status=ClaimStatus.PENDING,
            consent_from=Consent.MISSING,
            consent=Consent.ONLINE,
            consent_guardian=guardian,
            consent_by=actor.user,
            consent_at=timezone.now(),
        )
        if not done:
            raise Conflict(gettext("这条申报已经取得监护人同意，或已审核完毕。"))
        claim.refresh_from_db()
        after = snapshot(claim, ["consent", "consent_by", "consent_at", "consent_guardian"])
        record(
            actor,
            change_for("volunteer.consent", claim, school_id=claim.school_id, before=before, after=after),
        )
    return claim


def record_paper_consent(*, actor: Actor, claim: Claim) -> Claim:
    """The organizer (or the working group) holds a signed paper consent form and records it."""
    require(can_certify(actor, claim), CERTIFY_MESSAGE)
    with transaction.atomic():
        before = snapshot(claim, ["consent", "consent_by", "consent_at"])
        done = _conditional(
            claim,
            require_status=ClaimStatus.PENDING,
            consent_from=Consent.MISSING,
            consent=Consent.PAPER,
            consent_by=actor.user,
            consent_at=timezone.now(),
        )
        if not done:
            raise Conflict(gettext("这条申报已经取得监护人同意，或已审核完毕。"))
        claim.refresh_from_db()
        after = snapshot(claim, ["consent", "consent_by", "consent_at"])
        record(
            actor,
            change_for(
                "volunteer.paper_consent", claim, school_id=claim.school_id, before=before, after=after
            ),
        )
    return claim


def _require_certifier(actor: Actor, claim: Claim) -> None:
    require(can_certify(actor, claim), CERTIFY_MESSAGE)
    require(not is_claimant(actor, claim), gettext("不能审核自己申报的时长。"))


def approve_claim(*, actor: Actor, claim: Claim, note: str = "") -> Claim:
    _require_certifier(actor, claim)
    if len(note.strip()) > 300:
        raise Invalid(
            gettext("审核意见不能超过 300 个字。"), {"reason": [gettext("审核意见不能超过 300 个字。")]}
        )
    with transaction.atomic():
        current = Claim.objects.get(pk=claim.pk)
        if current.status != ClaimStatus.PENDING:
            raise Conflict(_settled_message(claim))
        if not current.consent_ready:
            raise Invalid(NEEDS_CONSENT, {"consent": [str(NEEDS_CONSENT)]})
        before = snapshot(current, ["status", "reason"])
        done = _conditional(
            claim,
            require_status=ClaimStatus.PENDING,
            consent_from=None,
            status=ClaimStatus.APPROVED,
            decided_by=actor.user,
            decided_at=timezone.now(),
            reason=note.strip(),
        )
        if not done:
            raise Conflict(_settled_message(claim))
        claim.refresh_from_db()
        after = snapshot(claim, ["status", "reason", "decided_by", "decided_at"])
        record(
            actor,
            change_for("volunteer.approve", claim, school_id=claim.school_id, before=before, after=after),
        )
    return claim


def reject_claim(*, actor: Actor, claim: Claim, reason: str) -> Claim:
    _require_certifier(actor, claim)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            gettext("不通过时须填写理由，申报人会看到。"), {"reason": [gettext("请填写不通过的理由。")]}
        )
    if len(reason) > 300:
        raise Invalid(gettext("理由不能超过 300 个字。"), {"reason": [gettext("理由不能超过 300 个字。")]})
    with transaction.atomic():
        before = snapshot(claim, ["status", "reason"])
        done = _conditional(
            claim,
            require_status=ClaimStatus.PENDING,
            consent_from=None,
            status=ClaimStatus.REJECTED,
            decided_by=actor.user,
            decided_at=timezone.now(),
            reason=reason,
        )
        if not done:
            raise Conflict(_settled_message(claim))
        claim.refresh_from_db()
        after = snapshot(claim, ["status", "reason", "decided_by", "decided_at"])
        record(
            actor,
            change_for("volunteer.reject", claim, school_id=claim.school_id, before=before, after=after),
        )
    return claim


def update_settings(
    *,
    actor: Actor,
    school: School,
    unit_hours: Decimal,
    max_hours_per_activity_day: Decimal,
    students_need_consent: bool,
    milestones: list[int],
) -> VolunteerSettings:
    require(can_edit_settings(actor, school), SETTINGS_MESSAGE)
    if unit_hours <= 0 or unit_hours > 4:
        raise Invalid(
            gettext("计时单位须在 0 到 4 小时之间。"),
            {"unit_hours": [gettext("计时单位须在 0 到 4 小时之间。")]},
        )
    if not unit_hours <= max_hours_per_activity_day <= MAX_HOURS_IN_A_DAY:
        message = gettext("每天上限须不小于计时单位，且不超过 24 小时。")
        raise Invalid(message, {"max_hours_per_activity_day": [message]})
    if max_hours_per_activity_day % unit_hours != 0:
        message = gettext("每天上限须是计时单位的整数倍。")
        raise Invalid(message, {"max_hours_per_activity_day": [message]})
    if not milestones or any(m <= 0 for m in milestones) or milestones != sorted(set(milestones)):
        message = gettext("里程碑须是从小到大、互不相同的正整数小时。")
        raise Invalid(message, {"milestones": [message]})
    with transaction.atomic():
        # The row is made here on the first change (reads only show the defaults), with the change's entry.
        made, created = VolunteerSettings.objects.get_or_create(school=school)
        locked = VolunteerSettings.objects.select_for_update().get(pk=made.pk)
        before = None if created else snapshot(locked)
        locked.unit_hours = unit_hours
        locked.max_hours_per_activity_day = max_hours_per_activity_day
        locked.students_need_consent = students_need_consent
        locked.milestones = milestones
        locked.save()
        record(
            actor,
            change_for(
                "volunteer.settings", locked, school_id=school.pk, before=before, after=snapshot(locked)
            ),
        )
    return locked
