"""The demo is alive on whatever day it is loaded: its story's week moves to that week (clock.py).

Loaded here on 2026-12-28, five weeks after the story's week: the same things are open as on the story's
own days, and the story's relations hold (the book award keeps whole months).
"""

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from chuangyou.activities.models import Activity
from chuangyou.books.models import BookAward, MonthlyPick, Recommendation
from chuangyou.demo.loader import VOTING_CODES, load_demo
from chuangyou.evaluations import services as evaluation_services
from chuangyou.evaluations.models import Evaluation
from chuangyou.nominations.models import Notice
from chuangyou.practice.models import ExerciseSet

FAR_DAY = dt.datetime(2026, 12, 28, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday


@pytest.fixture(scope="module")
def far_demo(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        with time_machine.travel(FAR_DAY, tick=False):
            load_demo()
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def on_the_far_day() -> Iterator[None]:
    with time_machine.travel(FAR_DAY, tick=True):
        yield


@pytest.mark.django_db
def test_an_evaluation_is_open_for_votes_and_a_printed_code_opens_its_ballot(
    far_demo: None, on_the_far_day: None
) -> None:
    five_star = Evaluation.objects.get(school__code="zlzx", use="five_star")
    assert five_star.state == "open"
    assert five_star.opens_at <= FAR_DAY < five_star.closes_at
    assert VOTING_CODES
    entitlement = evaluation_services.entitlement_for_code(VOTING_CODES[0])
    assert entitlement.evaluation_id == five_star.pk
    assert not entitlement.has_voted


@pytest.mark.django_db
def test_a_notice_is_running_and_a_result_is_published(far_demo: None, on_the_far_day: None) -> None:
    today = FAR_DAY.date()
    states = {n.title[7:11]: n.state_on(today) for n in Notice.objects.filter(school__code="zlzx")}
    assert states == {"初一年级": "ended", "初二年级": "running"}
    assert Evaluation.objects.filter(school__code="zlzx", state="published").exists()


@pytest.mark.django_db
def test_sign_ups_and_this_weeks_practice_are_still_open(far_demo: None, on_the_far_day: None) -> None:
    reading = Activity.objects.get(school__code="zlzx", title="“书香校园”读书分享会")
    assert reading.signup_is_open(FAR_DAY)
    open_sets = ExerciseSet.objects.filter(school__code="zlzx", deadline__gt=FAR_DAY)
    assert open_sets.count() == 2  # this week's 数学 and 美术
    assert all(s.week.weekday() == 0 for s in open_sets)  # weeks still start on Monday


@pytest.mark.django_db
def test_the_monthly_book_award_keeps_whole_months(far_demo: None) -> None:
    pick = MonthlyPick.objects.get(school__code="zlzx")
    assert pick.month.day == 1
    assert BookAward.objects.filter(school__code="zlzx", month=pick.month).count() == 5
    next_month = (pick.month + dt.timedelta(days=32)).replace(day=1)
    later = Recommendation.objects.filter(school__code="zlzx").exclude(month=pick.month)
    assert later.count() == 10
    assert {r.month for r in later} == {next_month}
