"""Small pieces the nomination services share: which nominations are live, the award lock, a
decision's row, and the person a step needs.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from chuangyou.lib.errors import Invalid
from chuangyou.nominations.models import (
    AwardType,
    Decision,
    Nomination,
    NominationStatus,
)
from chuangyou.org.rules import Actor

LIVE = (NominationStatus.ACTIVE, NominationStatus.SELECTED)


def lock_award(award: AwardType) -> AwardType:
    # Every decision that counts against a quota takes this lock first, so counts and writes are serial.
    return AwardType.objects.select_for_update(of=("self",)).get(pk=award.pk)


def decide(actor: Actor, n: Nomination, outcome: str, reason: str, *, level: str | None = None) -> Decision:
    return Decision.objects.create(
        school_id=n.school_id,
        nomination=n,
        level=level or n.level,
        outcome=outcome,
        reason=reason[:300],
        by=actor.user,
        by_label=actor.label[:120],
    )


def system_user() -> Any:
    raise Invalid(gettext("推荐必须由具体的人提出。"))


def person(actor: Actor) -> Any:
    if actor.user is None:
        raise Invalid(gettext("这一步须由具体的人完成。"))
    return actor.user
