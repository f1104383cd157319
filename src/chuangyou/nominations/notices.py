"""What the nominations tell people (issue 12): a school's 公示 is published → its nominees and the
school's staff, with a link to the public notice; an objection arrives → the school's supervision group,
with a link to the objection. Called inside publish_notice's and file_objection's transactions."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from chuangyou.nominations.models import Nomination, Notice, Objection
from chuangyou.notifications.services import notify
from chuangyou.org.models import Role, RoleMembership, Staff


def tell_supervisors(objection: Objection) -> None:
    """Each member of the supervision group of the nominee's school, on the day it arrives. A bureau
    notice's objections go to the bureau admin, who has no in-app seat at a school: not yet told."""
    if objection.notice.school_id is None:
        return
    supervisors = (
        RoleMembership.objects.filter(role=Role.SUPERVISION_GROUP, school_id=objection.school_id)
        .active_on(timezone.localdate())
        .values_list("user_id", flat=True)
        .distinct()
    )
    notify(
        school_id=objection.school_id,
        event="objection.file",
        key=f"objection.file:{objection.pk}",
        recipients=list(supervisors),
        title=gettext_noop("公示“%(notice)s”收到一条异议"),
        body=gettext_noop("对 %(nominee)s 的异议，请在 %(due_on)s 前受理。"),
        params={
            "notice": objection.notice.title,
            "nominee": objection.nomination.nominee_name,
            "due_on": f"{objection.due_on:%Y-%m-%d}",
        },
        link=reverse("nominations:objection", args=[objection.school.code, objection.pk]),
    )


def tell_notice_published(notice: Notice) -> None:
    """The nominees with an account (a student or a teacher on the list) and every staff member with one.
    Parents are not told here: a message to a parent speaks only of their own child."""
    school = notice.school
    assert school is not None  # a school's notice
    nominees = Nomination.objects.filter(notice=notice).values_list("student__user_id", "staff__user_id")
    staff = Staff.objects.filter(school=school, user__isnull=False).values_list("user_id", flat=True)
    people = {u for pair in nominees for u in pair if u is not None} | set(staff)
    notify(
        school_id=school.pk,
        event="notice.publish",
        key=f"notice.publish:{notice.pk}",
        recipients=sorted(people),
        title=gettext_noop("公示：%(title)s"),
        body=gettext_noop("公示期 %(starts_on)s 至 %(ends_on)s。对名单有异议的，可在公示期内提出。"),
        params={
            "title": notice.title,
            "starts_on": f"{notice.starts_on:%Y-%m-%d}",
            "ends_on": f"{notice.ends_on:%Y-%m-%d}",
        },
        link=reverse("nominations_public:notice", kwargs={"code": school.code, "notice_id": notice.pk}),
    )
