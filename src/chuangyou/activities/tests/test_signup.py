import datetime as dt

import pytest
from django.utils import timezone

from chuangyou.activities import services
from chuangyou.activities.models import Activity, Registration, RegStatus, TeamMember
from chuangyou.activities.tests.conftest import add_students, make_activity
from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.org.models import Staff
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, World


def _states(activity: Activity) -> list[tuple[str, str, int | None]]:
    return [
        (r.student.name if r.student else r.staff.name, r.status, r.waitlist_position)  # type: ignore[union-attr]
        for r in Registration.objects.filter(activity=activity)
        .select_related("student", "staff")
        .order_by("pk")
    ]


def test_full_activity_waitlists_in_order_and_a_withdrawal_promotes_the_first(
    world: World, activity: Activity
) -> None:
    a, b, c, d = add_students(world.class_1, 4)
    regs = [services.sign_up(actor=SYSTEM, activity=activity, person=s) for s in (a, b, c, d)]
    assert [(r.status, r.waitlist_position) for r in regs] == [
        ("confirmed", None), ("confirmed", None), ("waitlisted", 1), ("waitlisted", 2),
    ]  # fmt: skip
    services.withdraw(actor=SYSTEM, registration=regs[0])
    assert _states(activity) == [
        ("学生N0", "withdrawn", None), ("学生N1", "confirmed", None),
        ("学生N2", "confirmed", None), ("学生N3", "waitlisted", 1),
    ]  # fmt: skip
    actions = list(
        AuditEntry.objects.filter(action__startswith="activity.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["activity.withdraw", "activity.promote"]
    # Withdrawing from the waitlist closes the gap, and one may sign up again after withdrawing.
    services.withdraw(actor=SYSTEM, registration=regs[3])
    again = services.sign_up(actor=SYSTEM, activity=activity, person=a)
    assert (again.status, again.waitlist_position) == ("waitlisted", 1)


def test_a_student_signs_up_and_withdraws_themself(world: World, activity: Activity) -> None:
    xiao = actor_for(world.xiao)
    registration = services.sign_up(actor=xiao, activity=activity, person=world.student_xiao)
    assert registration.status == RegStatus.CONFIRMED
    assert registration.registered_by == world.xiao
    with pytest.raises(Conflict, match="肖同学已经报名了这个活动。"):
        services.sign_up(actor=xiao, activity=activity, person=world.student_xiao)
    services.withdraw(actor=xiao, registration=registration)
    assert Registration.objects.get(pk=registration.pk).status == RegStatus.WITHDRAWN
    with pytest.raises(Conflict, match="已经退出了这个活动。"):
        services.withdraw(actor=xiao, registration=registration)


def test_eligibility_is_explained(world: World) -> None:
    activity = make_activity(world.school, world.staff_hu, classes=[world.class_1])
    with pytest.raises(Invalid) as refused:
        services.sign_up(actor=SYSTEM, activity=activity, person=world.student_ming)
    assert refused.value.message == "本活动只面向初一（1）班的学生，明同学所在的初一（2）班不在其中。"
    with pytest.raises(Invalid, match=r"^本活动不面向教师。$"):
        services.sign_up(actor=SYSTEM, activity=activity, person=world.staff_hu)
    party = make_activity(world.school, world.staff_hu, for_students=False, for_party_members=True)
    with pytest.raises(Invalid, match=r"^本活动只面向党员教师。$"):
        services.sign_up(actor=SYSTEM, activity=party, person=world.staff_hu)
    bella = Staff.objects.get(user=world.bella)
    assert services.sign_up(actor=actor_for(world.bella), activity=party, person=bella).status == "confirmed"
    other = add_students(world.class_1, 1, prefix="O")[0]
    other.school_id = world.other_school.pk
    with pytest.raises(Invalid, match="不是本校人员"):
        services.sign_up(actor=SYSTEM, activity=activity, person=other)


def test_the_window_and_the_status_are_checked(world: World) -> None:
    now = timezone.now()
    draft = make_activity(world.school, world.staff_hu, publish=False)
    with pytest.raises(Invalid, match="活动尚未发布或已取消"):
        services.sign_up(actor=SYSTEM, activity=draft, person=world.student_xiao)
    later = make_activity(world.school, world.staff_hu, signup_opens=now + dt.timedelta(days=1))
    with pytest.raises(Invalid, match="报名尚未开始"):
        services.sign_up(actor=SYSTEM, activity=later, person=world.student_xiao)
    closed = make_activity(
        world.school,
        world.staff_hu,
        signup_opens=now - dt.timedelta(days=3),
        signup_closes=now - dt.timedelta(days=1),
    )
    with pytest.raises(Invalid, match="报名已截止"):
        services.sign_up(actor=SYSTEM, activity=closed, person=world.student_xiao)
    assert Registration.objects.count() == 0


def test_bulk_sign_up_reports_each_refusal(world: World) -> None:
    activity = make_activity(world.school, world.staff_hu, capacity=2, classes=[world.class_1])
    a, b = add_students(world.class_1, 2)
    services.sign_up(actor=SYSTEM, activity=activity, person=a)
    outcomes = services.bulk_sign_up(
        actor=actor_for(world.hu), activity=activity, students=[world.student_xiao, a, b]
    )
    assert [
        (o.student.name, o.registration.status if o.registration else None, o.message) for o in outcomes
    ] == [
        ("肖同学", "confirmed", ""),
        ("学生N0", None, "学生N0已经报名了这个活动。"),
        ("学生N1", "waitlisted", ""),
    ]
    with pytest.raises(NotAllowed, match="您只能为本班学生批量报名。"):
        services.bulk_sign_up(actor=actor_for(world.hu), activity=activity, students=[world.student_ming])


def test_a_team_registers_within_its_size_and_nobody_twice(world: World) -> None:
    activity = make_activity(world.school, world.staff_hu, is_team=True, team_min=2, team_max=3, capacity=1)
    a, b, c = add_students(world.class_1, 3)
    with pytest.raises(Invalid, match=r"每队须有 2–3 人（含队长），现在是 1 人。"):
        services.register_team(actor=SYSTEM, activity=activity, captain=a, members=[], team_name="一队")
    team = services.register_team(actor=SYSTEM, activity=activity, captain=a, members=[b], team_name="一队")
    assert team.status == "confirmed"
    with pytest.raises(Invalid, match="学生N1已经报名了这个活动。"):
        services.register_team(actor=SYSTEM, activity=activity, captain=c, members=[b], team_name="二队")
    second = services.register_team(
        actor=SYSTEM, activity=activity, captain=c, members=[world.student_xiao], team_name="二队"
    )
    assert (second.status, second.waitlist_position) == ("waitlisted", 1)
    with pytest.raises(Invalid, match="这是团体项目"):
        services.sign_up(actor=SYSTEM, activity=activity, person=world.student_ming)
    services.withdraw(actor=SYSTEM, registration=team)
    assert TeamMember.objects.filter(registration=team).count() == 0
    assert Registration.objects.get(pk=second.pk).status == "confirmed"


def test_more_places_promote_the_waitlist(world: World, activity: Activity) -> None:
    students = add_students(world.class_1, 4)
    for s in students:
        services.sign_up(actor=SYSTEM, activity=activity, person=s)
    data = services.ActivityInput(
        **{name: getattr(activity, name) for name in services.ActivityInput.FIELDS} | {"capacity": 3}
    )
    services.update_activity(actor=SYSTEM, activity=activity, data=data)
    assert [s for _, s, _ in _states(activity)] == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert Registration.objects.get(student=students[3]).waitlist_position == 1
    with pytest.raises(Invalid, match="名额不能少于 3"):
        services.update_activity(
            actor=SYSTEM, activity=activity, data=services.ActivityInput(**vars(data) | {"capacity": 1})
        )


SIGN_UP_FOR_XIAO = {"xiao", "hu", "alice", "bella", "wang"}


@pytest.mark.parametrize("name", PERSONAS)
def test_who_may_sign_up_xiao(world: World, activity: Activity, name: str) -> None:
    before = (Registration.objects.count(), AuditEntry.objects.count())
    actor = actor_for(world.persona(name))
    if name in SIGN_UP_FOR_XIAO:
        services.sign_up(actor=actor, activity=activity, person=world.student_xiao)
        assert Registration.objects.get().student == world.student_xiao
    else:
        with pytest.raises(NotAllowed, match="您只能为自己或本班学生报名、退出。"):
            services.sign_up(actor=actor, activity=activity, person=world.student_xiao)
        assert (Registration.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("name", PERSONAS)
def test_who_may_create_and_publish(world: World, name: str) -> None:
    actor = actor_for(world.persona(name))
    draft = make_activity(world.school, world.staff_hu, publish=False)
    before = (Activity.objects.count(), AuditEntry.objects.count())
    if name in {"alice", "bella", "wang"}:
        services.publish_activity(actor=actor, activity=draft)
        assert Activity.objects.get(pk=draft.pk).status == "published"
    else:
        with pytest.raises(NotAllowed, match="只有本校管理员、领导小组或工作小组成员可以管理活动。"):
            services.publish_activity(actor=actor, activity=draft)
        assert Activity.objects.get(pk=draft.pk).status == "draft"
        assert (Activity.objects.count(), AuditEntry.objects.count()) == before
