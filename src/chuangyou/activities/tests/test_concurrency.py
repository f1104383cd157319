import pytest

from chuangyou.activities import services
from chuangyou.activities.models import Registration, RegStatus
from chuangyou.activities.tests.conftest import add_students, make_activity
from chuangyou.org.models import Staff
from chuangyou.org.rules import SYSTEM
from chuangyou.testing import build_world, race


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_sign_ups_fill_ten_places_and_queue_forty() -> None:
    world = build_world()
    activity = make_activity(world.school, Staff.objects.get(user=world.hu), capacity=10)
    students = add_students(world.class_1, 50)

    errors = race(50, lambda i: services.sign_up(actor=SYSTEM, activity=activity, person=students[i]))

    assert errors == []
    rows = Registration.objects.filter(activity=activity)
    assert rows.filter(status=RegStatus.CONFIRMED).count() == 10
    positions = sorted(rows.filter(status=RegStatus.WAITLISTED).values_list("waitlist_position", flat=True))
    assert positions == list(range(1, 41))


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_sign_up_is_taken_once_and_withdrawals_promote_in_order() -> None:
    world = build_world()
    activity = make_activity(world.school, Staff.objects.get(user=world.hu), capacity=3)
    students = add_students(world.class_1, 8)
    errors = race(4, lambda i: services.sign_up(actor=SYSTEM, activity=activity, person=students[0]))
    assert [type(e).__name__ for e in errors] == ["Conflict"] * 3
    for student in students[1:]:
        services.sign_up(actor=SYSTEM, activity=activity, person=student)
    confirmed = list(Registration.objects.filter(activity=activity, status=RegStatus.CONFIRMED))
    # Three withdrawals at once: three promotions, the waitlist keeps 1, 2 with no gap and no overbooking.
    errors = race(3, lambda i: services.withdraw(actor=SYSTEM, registration=confirmed[i]))
    assert errors == []
    rows = Registration.objects.filter(activity=activity)
    assert rows.filter(status=RegStatus.CONFIRMED).count() == 3
    assert list(
        rows.filter(status=RegStatus.WAITLISTED)
        .order_by("waitlist_position")
        .values_list("student", "waitlist_position")
    ) == [(students[6].pk, 1), (students[7].pk, 2)]
