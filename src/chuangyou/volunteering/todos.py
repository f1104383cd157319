"""工作台 entries of 志愿服务: hours an organizer must certify, and a parent's consents (see org.todos)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext, ngettext

from chuangyou.org.models import School
from chuangyou.org.rules import Actor
from chuangyou.org.todos import Todo, provides
from chuangyou.volunteering import selectors


@provides
def hours_to_certify(actor: Actor, school: School) -> Iterator[Todo]:
    if actor.user is None:
        return
    pending = selectors.claims_to_certify(actor, school).count()
    if pending:
        yield Todo(
            kind="hours",
            title=ngettext("认证 %(n)s 条志愿服务时长", "认证 %(n)s 条志愿服务时长", pending)
            % {"n": pending},
            url=reverse("volunteering:review", args=[school.code]),
        )
    for claim in selectors.consents_awaited(actor).filter(school=school):
        yield Todo(
            kind="consent",
            title=gettext("确认%(name)s的志愿服务记录")
            % {"name": claim.student.name if claim.student else ""},
            url=reverse("volunteering:claim", args=[school.code, claim.pk]),
            note=f"{claim.served_on:%Y-%m-%d} · {claim.hours}h",
        )
