"""An activity: its details, checks and safety plan; publishing, cancelling and deleting it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext

from chuangyou.activities import rules
from chuangyou.activities.models import (
    Activity,
    Kind,
    Registration,
    RegStatus,
    Status,
)
from chuangyou.activities.services.shared import (
    SAFETY_TYPES,
    _fail,
)
from chuangyou.activities.services.signup import _promote
from chuangyou.audit.services import change_for, record, record_many, snapshot
from chuangyou.campaigns.models import Phase
from chuangyou.lib.errors import Conflict
from chuangyou.lib.uploads import clean_upload
from chuangyou.org.models import Grade, School, SchoolClass, Staff
from chuangyou.org.rules import Actor, can_manage_campaign, require

# --- the activity --------------------------------------------------------------------------------


@dataclass
class ActivityInput:
    """An activity's fields as a form or the API gives them; checked by `_check_input`."""

    kind: str
    title: str
    phase: Phase
    person_in_charge: Staff
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    signup_opens: dt.datetime
    signup_closes: dt.datetime
    description: str = ""
    venue: str = ""
    resources: str = ""
    grades: Sequence[Grade] = ()
    classes: Sequence[SchoolClass] = ()
    for_students: bool = True
    for_teachers: bool = False
    for_party_members: bool = False
    is_team: bool = False
    team_min: int = 1
    team_max: int = 1

    FIELDS = (
        "kind", "title", "phase", "person_in_charge", "starts_at", "ends_at", "capacity", "signup_opens",
        "signup_closes", "description", "venue", "resources", "for_students", "for_teachers",
        "for_party_members", "is_team", "team_min", "team_max",
    )  # fmt: skip


def _check_input(school: School, data: ActivityInput) -> None:
    data.title = (data.title or "").strip()
    if not data.title:
        raise _fail("title", gettext("请填写活动名称。"))
    if len(data.title) > 120:
        raise _fail("title", gettext("活动名称不能超过 120 个字。"))
    if data.kind not in Kind.values:
        raise _fail("kind", gettext("请选择活动类别。"))
    if data.phase.school_id != school.pk:
        raise _fail("phase", gettext("所选阶段不属于本校的活动方案。"))
    if data.person_in_charge.school_id != school.pk:
        raise _fail("person_in_charge", gettext("负责人须是本校教职工。"))
    if any(g.school_id != school.pk for g in data.grades) or any(
        c.school_id != school.pk for c in data.classes
    ):
        raise _fail("classes", gettext("所选年级或班级不属于本校。"))
    if data.ends_at < data.starts_at:
        raise _fail("ends_at", gettext("结束时间不能早于开始时间。"))
    if data.signup_closes < data.signup_opens:
        raise _fail("signup_closes", gettext("报名截止时间不能早于报名开始时间。"))
    if data.signup_closes > data.ends_at:
        raise _fail("signup_closes", gettext("报名截止时间不能晚于活动结束时间。"))
    if data.capacity < 1:
        raise _fail("capacity", gettext("名额至少为 1。"))
    if not (data.for_students or data.for_teachers or data.for_party_members):
        raise _fail("for_students", gettext("请至少选择一类可报名的人员（学生、教师或党员教师）。"))
    if data.is_team:
        if data.team_min < 1 or data.team_max < data.team_min:
            raise _fail(
                "team_max", gettext("每队人数范围不正确：最少人数至少为 1，最多人数不能少于最少人数。")
            )
    else:
        data.team_min = data.team_max = 1


def _activity_fact(activity: Activity) -> dict[str, object]:
    return snapshot(activity) | {
        "grades": sorted(activity.grades.values_list("pk", flat=True)),
        "classes": sorted(activity.classes.values_list("pk", flat=True)),
    }


def _store_safety_plan(activity: Activity, upload: UploadedFile) -> None:
    clean = clean_upload(name=upload.name or "预案", data=upload, allowed=SAFETY_TYPES, field="safety_plan")
    activity.safety_plan.save(clean.name, ContentFile(clean.content), save=False)


def create_activity(
    *, actor: Actor, school: School, data: ActivityInput, safety_plan: UploadedFile | None = None
) -> Activity:
    require(can_manage_campaign(actor, school), rules.MANAGE_MESSAGE)
    _check_input(school, data)
    with transaction.atomic():
        activity = Activity(school=school, campaign_id=data.phase.campaign_id, status=Status.DRAFT)
        for name in ActivityInput.FIELDS:
            setattr(activity, name, getattr(data, name))
        if safety_plan is not None:
            _store_safety_plan(activity, safety_plan)
        activity.save()
        activity.grades.set(data.grades)
        activity.classes.set(data.classes)
        record(
            actor,
            change_for("activity.create", activity, school_id=school.pk, after=_activity_fact(activity)),
        )
    return activity


def update_activity(
    *,
    actor: Actor,
    activity: Activity,
    data: ActivityInput,
    safety_plan: UploadedFile | None = None,
) -> Activity:
    require(can_manage_campaign(actor, activity.school), rules.MANAGE_MESSAGE)
    _check_input(activity.school, data)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        before = _activity_fact(locked)
        taken = Registration.objects.filter(activity=locked, status=RegStatus.CONFIRMED).count()
        if data.capacity < taken:
            raise _fail(
                "capacity",
                gettext("已有 %(taken)s 人（队）报名成功，名额不能少于 %(taken)s。") % {"taken": taken},
            )
        if locked.is_team != data.is_team and Registration.objects.filter(activity=locked).exists():
            raise _fail("is_team", gettext("已有人报名，不能再更改个人/团体形式。"))
        for name in ActivityInput.FIELDS:
            setattr(locked, name, getattr(data, name))
        locked.campaign_id = data.phase.campaign_id
        if safety_plan is not None:
            _store_safety_plan(locked, safety_plan)
        locked.save()
        locked.grades.set(data.grades)
        locked.classes.set(data.classes)
        # More places than before: the waitlist moves up at once, in order.
        changes = _promote(locked)
        after = _activity_fact(locked)
        record_many(
            actor,
            [
                change_for("activity.update", locked, school_id=locked.school_id, before=before, after=after),
                *changes,
            ],
        )
    return locked


def _set_status(actor: Actor, activity: Activity, status: Status, action: str) -> Activity:
    require(can_manage_campaign(actor, activity.school), rules.MANAGE_MESSAGE)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status == Status.CANCELLED:
            raise Conflict(gettext("活动已取消，不能再更改状态。"))
        before = snapshot(locked, ["status"])
        locked.status = status
        locked.save(update_fields=["status"])
        record(
            actor,
            change_for(
                action, locked, school_id=locked.school_id, before=before, after=snapshot(locked, ["status"])
            ),
        )
    return locked


def publish_activity(*, actor: Actor, activity: Activity) -> Activity:
    return _set_status(actor, activity, Status.PUBLISHED, "activity.publish")


def cancel_activity(*, actor: Actor, activity: Activity) -> Activity:
    return _set_status(actor, activity, Status.CANCELLED, "activity.cancel")


def delete_activity(*, actor: Actor, activity: Activity) -> None:
    """Only a draft nobody signed up for: anything else is history and is cancelled instead."""
    require(can_manage_campaign(actor, activity.school), rules.MANAGE_MESSAGE)
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.status != Status.DRAFT or Registration.objects.filter(activity=locked).exists():
            raise Conflict(gettext("只能删除尚无人报名的草稿活动；已发布的活动请取消。"))
        record(
            actor,
            change_for("activity.delete", locked, school_id=locked.school_id, before=_activity_fact(locked)),
        )
        locked.delete()
