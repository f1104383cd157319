import pytest
from django.utils import timezone

from chuangyou.books import selectors, services
from chuangyou.books.models import BookAward, MonthlyPick
from chuangyou.lib.errors import Conflict
from chuangyou.org.rules import actor_for
from chuangyou.testing import World, race


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_month_is_picked_once(live_world: World) -> None:
    r = services.recommend(
        actor=actor_for(live_world.xiao), school=live_world.school, title="红岩", author="罗广斌", review="好"
    )
    services.rate(actor=actor_for(live_world.tian), recommendation=r, stars=5)
    month = selectors.month_of(timezone.localdate())
    pickers = [live_world.wang, live_world.bella, live_world.alice]

    def pick(i: int) -> None:
        services.pick_month(
            actor=actor_for(pickers[i]), school=live_world.school, month=month,
            recommendation_ids=[r.pk], winners_count=5, one_per_class=True,
        )  # fmt: skip

    errors = race(3, pick)
    assert [type(e) for e in errors] == [Conflict] * 2
    assert (MonthlyPick.objects.count(), BookAward.objects.count()) == (1, 1)
