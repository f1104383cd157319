"""工作台 entries of the evaluations: the ballots this person has yet to cast (see org.todos)."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext

from chuangyou.evaluations import selectors
from chuangyou.org.models import School
from chuangyou.org.rules import Actor
from chuangyou.org.todos import Todo, provides


@provides
def ballots_to_cast(actor: Actor, school: School) -> Iterator[Todo]:
    for entitlement in selectors.entitlements_of(actor, school).filter(has_voted=False):
        evaluation = entitlement.evaluation
        yield Todo(
            kind="ballot",
            title=gettext("为「%(title)s」投票") % {"title": evaluation.title},
            url=reverse("evaluations:vote", args=[school.code, evaluation.pk, entitlement.group_id]),
            due=evaluation.closes_at,
            note=entitlement.group.name,
        )
