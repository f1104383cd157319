"""What the nominations tell people (issue 12): an objection arrives → the school's supervision group,
with a link to the objection. Called inside file_objection's transaction."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from chuangyou.nominations.models import Objection
from chuangyou.notifications.services import notify
from chuangyou.org.models import Role, RoleMembership


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
