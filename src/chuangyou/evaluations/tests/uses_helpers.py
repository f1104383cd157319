"""What the tests of the uses built on the engine share: a voting window around the pinned clock,
voting by account, and closing with publishing."""

import datetime as dt

from chuangyou.evaluations import services
from chuangyou.evaluations.models import Entitlement, Evaluation
from chuangyou.org.rules import actor_for
from chuangyou.testing import PINNED_NOW, World

WINDOW = {
    "opens_at": PINNED_NOW - dt.timedelta(hours=1),
    "closes_at": PINNED_NOW + dt.timedelta(hours=2),
}


def vote(world: World, evaluation: Evaluation, name: str, marks: dict[str, dict[str, str]]) -> None:
    entitlement = Entitlement.objects.get(evaluation=evaluation, user=world.persona(name))
    services.cast_ballot(actor=actor_for(world.persona(name)), entitlement=entitlement, marks=marks)


def close_and_publish(world: World, evaluation: Evaluation) -> Evaluation:
    wang = actor_for(world.wang)
    services.close_voting(actor=wang, evaluation=evaluation)
    return services.publish(actor=wang, evaluation=evaluation)


def by_name(evaluation: Evaluation) -> dict[str, str]:
    return {s.name: str(s.pk) for s in evaluation.subjects.all()}
