"""异议: anyone may object while a notice runs; the supervision group (or the bureau, for its notice) handles
the objection step by step: 受理 → 核实 → 成立 / 不成立 / 暂缓 → 反馈 → 归档.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.lib.errors import Conflict, Invalid, NotFound
from chuangyou.lib.uploads import CleanFile
from chuangyou.lib.workdays import Schedules, add_working_days
from chuangyou.nominations.models import (
    Decision,
    Nomination,
    NominationStatus,
    Notice,
    Objection,
    ObjectionStatus,
    ObjectionStep,
)
from chuangyou.nominations.notices import tell_supervisors
from chuangyou.nominations.rules import (
    can_handle_objection,
    handle_message,
)
from chuangyou.nominations.services.shared import decide
from chuangyou.org.models import School
from chuangyou.org.rules import Actor, require
from chuangyou.org.selectors import bureau_schedules, school_schedules


def _schedules_of(notice: Notice) -> Schedules:
    """The calendar a notice's objections are timed on: the same one its notice was counted with."""
    if notice.bureau_id is not None:
        return bureau_schedules(notice.bureau_id)
    assert notice.school_id is not None
    return school_schedules(notice.school_id)


ANONYMOUS_MIN_CHARS = 50
ACCEPT_WORKING_DAYS = 2  # to take an objection up
VERIFY_WORKING_DAYS = 5  # to verify it and conclude
MAX_DEFER_DAYS = 92  # 暂缓 at most 3 months

# --- objections ---------------------------------------------------------------------------------------


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


PUBLIC = Actor(user=None)  # an objector needs no account


def _check_anonymous(grounds: str, nomination: Nomination) -> None:
    """An anonymous objection is taken up only if it is specific: long enough, and naming the nominee."""
    errors = []
    if len(grounds) < ANONYMOUS_MIN_CHARS:
        errors.append(
            gettext("匿名异议须具体：理由至少 %(min_chars)s 字（现在 %(chars)s 字），写明时间、地点和事实。")
            % {"min_chars": ANONYMOUS_MIN_CHARS, "chars": len(grounds)}
        )
    if nomination.nominee_name not in grounds:
        errors.append(
            gettext("匿名异议须在理由中写明被推荐人的姓名「%(nominee)s」。")
            % {"nominee": nomination.nominee_name}
        )
    if errors:
        raise Invalid("".join(errors), {"grounds": errors})


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
        _check_anonymous(grounds, nomination)
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
        due_on=add_working_days(
            today + dt.timedelta(days=1), ACCEPT_WORKING_DAYS, schedules=_schedules_of(notice)
        ),
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
    tell_supervisors(objection)
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


def next_steps(status: str) -> list[str]:
    """The moves allowed from `status`, in the order of the handling; none once archived."""
    return [to for to, sources in STEPS.items() if status in sources]


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
    require(can_handle_objection(actor, o), handle_message(o))
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
        o.due_on = add_working_days(
            today + dt.timedelta(days=1), VERIFY_WORKING_DAYS, schedules=_schedules_of(o.notice)
        )
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
        o.due_on = add_working_days(
            today + dt.timedelta(days=1), ACCEPT_WORKING_DAYS, schedules=_schedules_of(o.notice)
        )
        if to_status == ObjectionStatus.UPHELD:
            _remove_nominee(actor, o, note)
    elif to_status == ObjectionStatus.REPLIED and not (reply.strip() or o.reply):
        raise Invalid(gettext("请填写给异议人的答复。"), {"reply": [gettext("必填。")]})
    if reply.strip():  # a reply written with a conclusion is the objector's answer too, never dropped
        o.reply = reply.strip()
    o.status = to_status
    o.save()
    ObjectionStep.objects.create(
        school_id=o.school_id,
        objection=o,
        to_status=to_status,
        note=note,
        reply=reply.strip(),
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
    decide(actor, n, Decision.Outcome.REMOVED, n.removal_note)
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
