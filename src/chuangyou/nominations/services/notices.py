"""公示: a school's notice of its selected nominees, and a bureau's of its bureau awards' nominees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import change_for, record, record_many, snapshot
from chuangyou.campaigns.models import Campaign
from chuangyou.lib.errors import Conflict, Invalid, NotFound
from chuangyou.lib.workdays import Schedules, working_period
from chuangyou.nominations.models import (
    Level,
    Nomination,
    NominationStatus,
    Notice,
)
from chuangyou.nominations.notices import tell_notice_published
from chuangyou.nominations.rules import (
    can_manage_bureau_awards,
    can_publish_notice,
)
from chuangyou.nominations.services.shared import person, system_user
from chuangyou.org.models import Bureau
from chuangyou.org.rules import Actor, require
from chuangyou.org.selectors import bureau_schedules, school_schedules


def _check_length(working_days: int) -> None:
    if not 1 <= working_days <= 30:
        raise Invalid(gettext("公示期应为 1 到 30 个工作日。"), {"working_days": [gettext("天数有误。")]})


def _check_start(starts_on: dt.date, today: dt.date | None) -> None:
    """A notice runs from the day it is published or later: a backdated one would count working days
    in which no one could read it or object."""
    today = today or timezone.localdate()
    if starts_on < today:
        message = gettext("公示开始日期不能早于发布当天（%(today)s）。") % {"today": today.isoformat()}
        raise Invalid(message, {"starts_on": [message]})


def _post_notice(
    ids: list[int], *, starts_on: dt.date, working_days: int, schedules: Schedules, **fields: Any
) -> Notice:
    """The notice, ending after `working_days` on the calendar (the package, else the `schedules` entered
    for the issuer), with its nominees on it and the calendar's source named."""
    period = working_period(starts_on, working_days, schedules=schedules)
    notice = Notice.objects.create(
        starts_on=starts_on,
        working_days=working_days,
        ends_on=period.ends_on,
        workdays_source=period.source_label,
        **fields,
    )
    Nomination.objects.filter(pk__in=ids).update(notice=notice)
    return notice


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
    today: dt.date | None = None,
) -> Notice:
    """`today` is the day of publication (the demo's history passes its own; people never do)."""
    school = campaign.school
    require(can_publish_notice(actor, school), gettext("只有工作小组、领导小组或学校管理员可以发布公示。"))
    if not nominations:
        raise Invalid(gettext("公示名单不能为空：请先在各层级确定入选名单。"))
    _check_length(working_days)
    _check_start(starts_on, today)
    ids = [n.pk for n in nominations]
    locked = list(Nomination.objects.select_for_update(of=("self",)).filter(pk__in=ids))
    for n in locked:
        if n.school_id != school.pk or n.campaign_id != campaign.pk:
            raise NotFound(gettext("名单中有不属于本次活动的推荐。"))
        if n.status != NominationStatus.SELECTED or n.notice_id is not None:
            raise Conflict(gettext("「%(nominee)s」不是待公示的入选推荐。") % {"nominee": n.nominee_name})
    if Nomination.objects.filter(pk__in=ids, award_type__bureau__isnull=False).exists():
        raise Conflict(gettext("教育局级奖项的入选名单由教育局公示，不能列入学校的公示。"))
    notice = _post_notice(
        ids,
        school=school,
        campaign=campaign,
        title=title,
        basis=basis,
        starts_on=starts_on,
        working_days=working_days,
        schedules=school_schedules(school.pk),
        office=office,
        phone=phone,
        address=address,
        published_by=actor.user if actor.user is not None else system_user(),
    )
    tell_notice_published(notice)
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
    today: dt.date | None = None,
) -> Notice:
    """教育局公示: the nominees the bureau selected for its bureau awards, from any of its schools. The
    notice belongs to the bureau (no school); each nominee's row stays its school's. Audited on the
    bureau's chain, and on each school's chain for that school's nominees."""
    require(can_manage_bureau_awards(actor, bureau.pk), BUREAU_NOTICE_MESSAGE)
    if not nominations:
        raise Invalid(gettext("公示名单不能为空：请先确定入选名单。"))
    _check_length(working_days)
    _check_start(starts_on, today)
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
    notice = _post_notice(
        ids,
        bureau=bureau,
        year=year,
        title=title,
        basis=basis,
        starts_on=starts_on,
        working_days=working_days,
        schedules=bureau_schedules(bureau.pk),
        office=office,
        phone=phone,
        address=address,
        published_by=person(actor),
    )
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
