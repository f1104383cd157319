"""What the engine tells people (issue 12): when voting opens, each voter on the roll gets an in-app
message that links to their ballot. Called inside open_voting's transaction, so the messages exist
exactly when the roll does."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from chuangyou.evaluations.models import Entitlement, Evaluation
from chuangyou.notifications.models import Channel
from chuangyou.notifications.services import Recipient, notify


def tell_voters(evaluation: Evaluation, entitlements: Sequence[Entitlement]) -> None:
    """One message per voter with an account (voters by one-time code have none: their slip is the
    notice). A voter in one group is sent to that group's ballot; one in several, to their ballots."""
    groups: dict[int, set[int]] = {}
    for e in entitlements:
        if e.user_id is not None:
            groups.setdefault(e.user_id, set()).add(e.group_id)
    code = evaluation.school.code
    mine = reverse("evaluations:mine", args=[code])
    recipients = [
        Recipient(
            user_id=user_id,
            link=reverse("evaluations:vote", args=[code, evaluation.pk, next(iter(ids))])
            if len(ids) == 1
            else mine,
        )
        for user_id, ids in groups.items()
    ]
    notify(
        school_id=evaluation.school_id,
        event="evaluation.open",
        key=f"evaluation.open:{evaluation.pk}",
        recipients=recipients,
        title=gettext_noop("“%(title)s”开始投票了"),
        body=gettext_noop("投票截止时间：%(closes_at)s。"),
        params={
            "title": evaluation.title,
            "closes_at": f"{timezone.localtime(evaluation.closes_at):%Y-%m-%d %H:%M}",
        },
        channels=[Channel.IN_APP],
    )
