import datetime as dt

import pytest

from chuangyou.campaigns import services
from chuangyou.campaigns.models import Campaign, Phase
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.org.models import Bureau, School
from chuangyou.org.rules import SYSTEM
from chuangyou.org.services import create_bureau, create_school
from chuangyou.testing import race


def _school() -> School:
    bureau: Bureau = create_bureau(actor=SYSTEM, code="c", name="并发县教育局")
    return create_school(actor=SYSTEM, bureau=bureau, code="bingfa", name="并发中学")


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_plan_is_made_once() -> None:
    school = _school()

    def create(_: int) -> None:
        services.create_campaign(
            actor=SYSTEM, school=school, year=2026, title="方案", theme="主题", today=dt.date(2025, 12, 1)
        )

    errors = race(4, create)
    assert [type(e) for e in errors] == [Conflict] * 3
    assert Campaign.objects.filter(school=school).count() == 1
    assert Phase.objects.filter(campaign__school=school).count() == 4


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_overlapping_phases_added_at_once_are_refused_but_one() -> None:
    school = _school()
    campaign = services.create_campaign(
        actor=SYSTEM, school=school, year=2026, title="方案", theme="主题", today=dt.date(2025, 12, 1)
    )
    last = Phase.objects.get(campaign=campaign, order=4)
    services.update_phase(
        actor=SYSTEM, phase=last, name=last.name, starts_on=last.starts_on, ends_on=dt.date(2026, 11, 30),
        description="",
    )  # fmt: skip

    def add(i: int) -> None:
        services.add_phase(
            actor=SYSTEM, campaign=campaign, name=f"回头看{i}",
            starts_on=dt.date(2026, 12, 1 + i), ends_on=dt.date(2026, 12, 20),
        )  # fmt: skip

    errors = race(4, add)
    assert [type(e) for e in errors] == [Invalid] * 3
    orders = list(Phase.objects.filter(campaign=campaign).order_by("order").values_list("order", flat=True))
    assert orders == [1, 2, 3, 4, 5]
