import datetime as dt
from decimal import Decimal

import pytest

from chuangyou.audit.models import AuditEntry
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.nominations import services
from chuangyou.nominations.models import AwardType, Decision, Nomination, NominationStatus, ObjectionStatus
from chuangyou.nominations.tests.helpers import award_of, campaign_of, notice_for, selected
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, World

TODAY = dt.date(2026, 11, 21)


def test_bottom_up_records_every_decision(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    assert (n.level, n.status) == ("school", "selected")
    assert [(d.level, d.outcome, d.by_label) for d in Decision.objects.filter(nomination=n)] == [
        ("grade", "nominated", str(world.hu)),
        ("grade", "advanced", str(world.wang)),
        ("school", "selected", str(world.bella)),
    ]


def test_quota_per_class_refuses_the_third(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world, quota=1)
    award = services.update_award_type(actor=SYSTEM, award=award, shortlist_ratio=Decimal(2))
    extra = org_services.create_student(
        actor=SYSTEM,
        school_class=world.class_1,
        student_no="S009",
        name="丁同学",
        gender="M",
        guardians=[("丁家长", "13800000009")],
    )
    selected(world, award, campaign)
    n2 = services.nominate(
        actor=actor_for(world.hu), award=award, campaign=campaign, student=extra, story="事迹"
    )
    n2 = services.advance(actor=actor_for(world.wang), nomination=n2, reason="年级推荐")
    with pytest.raises(Conflict) as exc:
        services.select(actor=actor_for(world.bella), nomination=n2, reason="入选")
    assert exc.value.message == "「优秀学生干部」在初一（1）班的入选名额已满：最多 1 名，已有 1 名。"
    n2.refresh_from_db()
    assert n2.status == NominationStatus.ACTIVE


def test_share_quota_rounds_down(world: World) -> None:
    campaign = campaign_of(world)
    award = services.create_award_type(
        actor=SYSTEM, school=world.school, name="三好学生", code="SH", level="school", for_kind="student",
        quota_kind="share", quota_value=Decimal("0.2"), quota_unit="class", shortlist_ratio=Decimal("1.2"),
        prize=Decimal(0), budget_line=None,
    )  # fmt: skip
    with pytest.raises(Conflict) as exc:
        services.nominate(
            actor=actor_for(world.hu), award=award, campaign=campaign, student=world.student_xiao, story="x"
        )
    assert exc.value.message == (
        "「三好学生」在初一（1）班的年级级推荐名额（名额 0 名，差额比例 1:1.20）已满：最多 0 名，已有 0 名。"
    )


def test_gate_explains_in_chinese(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    services.add_gate(actor=SYSTEM, award=award, kind="min_volunteer_hours", params={"hours": 20})
    with pytest.raises(Invalid) as exc:
        services.nominate(
            actor=actor_for(world.hu), award=award, campaign=campaign, student=world.student_xiao, story="x"
        )
    assert exc.value.message == "不符合评选条件：已认证志愿服务 0 小时，要求不少于 20 小时。"
    assert not Nomination.objects.exists()


def test_head_teacher_cannot_nominate_another_class(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    with pytest.raises(NotAllowed) as exc:
        services.nominate(
            actor=actor_for(world.hu), award=award, campaign=campaign, student=world.student_ming, story="x"
        )
    assert exc.value.message == "您不能推荐这名对象。"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_grade_level_decides_at_grade(world: World, persona: str) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = services.nominate(
        actor=actor_for(world.hu), award=award, campaign=campaign, student=world.student_xiao, story="x"
    )
    allowed = persona in ("alice", "wang")
    if allowed:
        services.advance(actor=actor_for(world.persona(persona)), nomination=n, reason="ok")
        n.refresh_from_db()
        assert n.level == "school"
    else:
        before = AuditEntry.objects.count()
        with pytest.raises(NotAllowed):
            services.advance(actor=actor_for(world.persona(persona)), nomination=n, reason="ok")
        n.refresh_from_db()
        assert (n.level, AuditEntry.objects.count()) == ("grade", before)


def test_nothing_changes_while_the_notice_runs(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    notice = notice_for(world, campaign, [n], dt.date(2026, 11, 20))
    assert notice.ends_on == dt.date(2026, 11, 26)
    n.refresh_from_db()
    message = "「肖同学」正在公示（至 2026-11-26），公示期间不能修改其推荐、材料或决定。"
    for call in (
        lambda: services.edit_nomination(actor=actor_for(world.bella), nomination=n, story="改过的"),
        lambda: services.rescore(actor=actor_for(world.bella), nomination=n, score=Decimal(90), reason="x"),
        lambda: services.decline(actor=actor_for(world.bella), nomination=n, reason="x"),
    ):
        with pytest.raises(Conflict) as exc:
            call()
        assert exc.value.message == message
    with pytest.raises(Conflict) as exc2:
        services.update_award_type(actor=SYSTEM, award=award, prize=Decimal(50))
    assert exc2.value.message == "「优秀学生干部」已有人进入公示，奖项设置不能再修改。"
    n.refresh_from_db()
    assert (n.story, n.score, AwardType.objects.get().prize) == ("事迹", None, Decimal(0))


def test_anonymous_objection_must_be_specific(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    notice = notice_for(world, campaign, [n], dt.date(2026, 11, 20))
    with pytest.raises(Invalid) as exc:
        services.file_objection(notice=notice, nomination=n, anonymous=True, grounds="不公平", today=TODAY)
    assert exc.value.message == (
        "匿名异议须具体：理由至少 50 字（现在 3 字），写明时间、地点和事实。"
        "匿名异议须在理由中写明被推荐人的姓名「肖同学」。"
    )


def test_upheld_objection_removes_the_nominee(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    notice = notice_for(world, campaign, [n], dt.date(2026, 11, 20))
    o, code = services.file_objection(
        notice=notice,
        nomination=n,
        anonymous=False,
        name="张三",
        phone="13900000000",
        grounds="材料不实",
        today=TODAY,
    )
    assert o.due_on == dt.date(2026, 11, 24)  # 2 working days from Monday the 23rd
    assert services.objection_by_code(world.school, code.lower()).pk == o.pk
    su = actor_for(world.su)
    with pytest.raises(NotAllowed):
        services.handle_objection(actor=actor_for(world.bella), objection=o, to_status="accepted")
    for step, kw in (
        ("accepted", {}),
        ("verifying", {"note": "调取材料"}),
        ("upheld", {"note": "获奖证书系伪造"}),
    ):
        o = services.handle_objection(actor=su, objection=o, to_status=step, today=TODAY, **kw)  # type: ignore[arg-type]
    n.refresh_from_db()
    assert (n.status, n.removal_note) == ("removed", f"异议 #{o.pk} 经核实成立：获奖证书系伪造")
    with pytest.raises(Invalid):
        services.handle_objection(actor=su, objection=o, to_status="replied")
    o = services.handle_objection(
        actor=su, objection=o, to_status="replied", reply="经核实成立，已取消其推荐资格。"
    )
    o = services.handle_objection(actor=su, objection=o, to_status="archived")
    assert (o.status, o.outcome, o.is_closed) == (ObjectionStatus.ARCHIVED, ObjectionStatus.UPHELD, True)
    assert list(o.steps.values_list("to_status", flat=True)) == [
        "received", "accepted", "verifying", "upheld", "replied", "archived"
    ]  # fmt: skip
    actions = (
        AuditEntry.objects.filter(object_type="nominations.objection")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert list(actions) == [
        "objection.file", "objection.accepted", "objection.verifying", "objection.upheld",
        "objection.replied", "objection.archived",
    ]  # fmt: skip


def test_deferral_is_at_most_three_months(world: World) -> None:
    campaign, award = campaign_of(world), award_of(world)
    n = selected(world, award, campaign)
    notice = notice_for(world, campaign, [n], dt.date(2026, 11, 20))
    o, _ = services.file_objection(
        notice=notice,
        nomination=n,
        anonymous=False,
        name="张三",
        phone="13900000000",
        grounds="材料不实",
        today=TODAY,
    )
    su = actor_for(world.su)
    o = services.handle_objection(actor=su, objection=o, to_status="accepted", today=TODAY)
    o = services.handle_objection(actor=su, objection=o, to_status="verifying", today=TODAY)
    limit = o.filed_at.date() + dt.timedelta(days=92)
    with pytest.raises(Invalid) as exc:
        services.handle_objection(
            actor=su,
            objection=o,
            to_status="deferred",
            note="待查",
            deferred_until=limit + dt.timedelta(days=1),
        )
    assert exc.value.message == f"暂缓须给出期限，且最长 3 个月（不晚于 {limit:%Y-%m-%d}）。"


@pytest.mark.parametrize(
    "nominees",
    [
        pytest.param({}, id="none"),
        pytest.param({"student": "student_xiao", "staff": "staff_hu"}, id="a-student-and-a-teacher"),
        pytest.param({"student": "student_xiao", "school_class": "class_1"}, id="a-student-and-a-class"),
    ],
)
def test_a_nomination_names_exactly_one_nominee(world: World, nominees: dict[str, str]) -> None:
    """The service refuses, for every caller, what only the API used to: none, or several at once
    (it used to take the student and quietly drop the rest)."""
    campaign, award = campaign_of(world), award_of(world)
    with pytest.raises(Invalid) as exc:
        services.nominate(
            actor=actor_for(world.alice),
            award=award,
            campaign=campaign,
            story="事迹",
            **{field: getattr(world, persona) for field, persona in nominees.items()},
        )
    assert exc.value.message == "请在学生、教职工、班级中选择一个被推荐对象。"
    assert exc.value.errors == {"nominee": ["必须且只能选一个。"]}
    assert not Nomination.objects.exists()
    assert not AuditEntry.objects.filter(action="nomination.create").exists()
