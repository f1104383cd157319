"""The engine's background work: the reminder a day before voting closes (booked when it opens)."""

from __future__ import annotations

from django_tasks import task

from chuangyou.evaluations import services
from chuangyou.evaluations.models import Evaluation, State
from chuangyou.lib.errors import Conflict
from chuangyou.org.rules import SYSTEM


@task()
def remind_voters(evaluation_id: int) -> int:
    """Remind those who have not voted. Nothing when the vote closed early, moved, or was reminded."""
    evaluation = Evaluation.objects.filter(pk=evaluation_id, state=State.OPEN).first()
    if evaluation is None:
        return 0
    try:
        return services.remind_voters(actor=SYSTEM, evaluation=evaluation)
    except Conflict:
        return 0
