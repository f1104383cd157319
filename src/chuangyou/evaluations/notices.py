"""What the engine tells people (issue 12): when voting opens, each voter on the roll gets an in-app
message that links to their ballot; a day before it closes, those who have not voted yet are reminded
once (the school learns how many, never who). Called inside open_voting's and remind_voters'
transactions, so the messages exist exactly when the write that caused them does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from chuangyou.evaluations.models import Entitlement, Evaluation
from chuangyou.notifications import selectors as notification_selectors
from chuangyou.notifications.models import Channel
from chuangyou.notifications.services import Recipient, notify

REMIND_BEFORE = dt.timedelta(days=1)


def _ballot_links(evaluation: Evaluation, pairs: Iterable[tuple[int, int]]) -> list[Recipient]:
    """(user, group) pairs → one recipient per voter: a voter in one group is sent to that group's
    ballot, one in several to their list of ballots."""
    groups: dict[int, set[int]] = {}
    for user_id, group_id in pairs:
        groups.setdefault(user_id, set()).add(group_id)
    code = evaluation.school.code
    mine = reverse("evaluations:mine", args=[code])
    # One reverse() per group, not per voter: at 3,000 voters the lookups alone took 1.5 s.
    ballots = {
        group_id: reverse("evaluations:vote", args=[code, evaluation.pk, group_id])
        for group_id in set().union(*groups.values())
    }
    return [
        Recipient(user_id=user_id, link=ballots[next(iter(ids))] if len(ids) == 1 else mine)
        for user_id, ids in groups.items()
    ]


def tell_voters(evaluation: Evaluation, entitlements: Sequence[Entitlement]) -> None:
    """One message per voter with an account (voters by one-time code have none: their slip is the
    notice), and the reminder booked for a day before the close."""
    recipients = _ballot_links(evaluation, ((e.user_id, e.group_id) for e in entitlements if e.user_id))
    remind_at = evaluation.closes_at - REMIND_BEFORE
    if recipients and remind_at > timezone.now():
        pk = evaluation.pk
        transaction.on_commit(lambda: _book_reminder(pk, remind_at), robust=True)
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


def _book_reminder(evaluation_id: int, at: dt.datetime) -> None:
    from chuangyou.evaluations.tasks import remind_voters

    if remind_voters.get_backend().supports_defer:  # tests run tasks at once: they remind by hand
        remind_voters.using(run_after=at).enqueue(evaluation_id)


def remind_key(evaluation: Evaluation) -> str:
    return f"evaluation.remind:{evaluation.pk}"


def already_reminded(evaluation: Evaluation) -> bool:
    return notification_selectors.event_queued(key=remind_key(evaluation))


def remind_pending(evaluation: Evaluation) -> int:
    """Tell each voter with an account who has not voted yet. Returns how many were told."""
    pending = (
        Entitlement.objects.filter(evaluation=evaluation, user__isnull=False, has_voted=False)
        .values_list("user_id", "group_id")
        .order_by("user_id")
    )
    recipients = _ballot_links(evaluation, ((u, g) for u, g in pending if u is not None))
    notify(
        school_id=evaluation.school_id,
        event="evaluation.remind",
        key=remind_key(evaluation),
        recipients=recipients,
        title=gettext_noop("“%(title)s”明天截止投票，您还没有投票"),
        body=gettext_noop("投票截止时间：%(closes_at)s。"),
        params={
            "title": evaluation.title,
            "closes_at": f"{timezone.localtime(evaluation.closes_at):%Y-%m-%d %H:%M}",
        },
        channels=[Channel.IN_APP],
    )
    return len(recipients)
