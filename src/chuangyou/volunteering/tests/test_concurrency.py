import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.org.models import Staff
from chuangyou.org.rules import actor_for
from chuangyou.testing import World, race
from chuangyou.volunteering import services
from chuangyou.volunteering.models import Claim, ClaimStatus


def _claim(world: World, hours: str) -> Claim:
    return services.claim_hours(
        actor=actor_for(world.hu), school=world.school, served_on=timezone.localdate() - dt.timedelta(days=1),
        service="交通劝导", organization="社区", description="路口劝导", hours=Decimal(hours),
        organizer=Staff.objects.get(user=world.tian),
    )  # fmt: skip


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_simultaneous_approve_and_reject_settle_once(live_world: World) -> None:
    claim = _claim(live_world, "2")
    deciders = [live_world.tian, live_world.wang, live_world.alice, live_world.bella]

    def decide(i: int) -> None:
        actor = actor_for(deciders[i])
        if i % 2:
            services.reject_claim(actor=actor, claim=claim, reason="不符")
        else:
            services.approve_claim(actor=actor, claim=claim)

    errors = race(4, decide)
    assert [type(e) for e in errors] == [Conflict] * 3
    assert Claim.objects.get(pk=claim.pk).status in (ClaimStatus.APPROVED, ClaimStatus.REJECTED)
    decisions = AuditEntry.objects.filter(action__in=["volunteer.approve", "volunteer.reject"]).count()
    assert decisions == 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_simultaneous_claims_stay_within_the_daily_limit(live_world: World) -> None:
    errors = race(3, lambda _i: _claim(live_world, "3"))  # 9 hours asked, 8 allowed
    assert [type(e) for e in errors] == [Invalid]
    assert sum(c.hours for c in Claim.objects.all()) == Decimal(6)
