"""Bureau-level awards: the bureau's award types, schools sending up within their quota, the ranking
across schools, selection within the bureau's quota, the bureau's 公示, its objections and honors."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from chuangyou.audit.models import AuditEntry
from chuangyou.honors import services as honors
from chuangyou.honors.models import Honor
from chuangyou.lib.errors import Conflict, Invalid, NotAllowed
from chuangyou.nominations import selectors, services
from chuangyou.nominations.models import AwardType, Gate, Nomination, Notice, Objection
from chuangyou.nominations.tests.bureau_helpers import (
    AFTER,
    DURING,
    at_school,
    bureau_award,
    bureau_notice,
    scenario,
    sent_up,
)
from chuangyou.nominations.tests.helpers import award_of, notice_for, selected
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, World, build_world

OTHERS = [p for p in PERSONAS if p != "ju"]


# --- award types ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_bureau_admin_sets_bureau_award_types(world: World, name: str) -> None:
    existing = services.create_bureau_award_type(
        actor=SYSTEM, bureau=world.bureau, name="县级三好学生", code="SH", for_kind="student",
        quota_kind="count", quota_value=Decimal(3), quota_unit="school",
    )  # fmt: skip
    actor = actor_for(world.persona(name))
    before = (AwardType.objects.count(), Gate.objects.count(), AuditEntry.objects.count())
    attempts = {
        "create": lambda: bureau_award(world) if name == "ju" else services.create_bureau_award_type(
            actor=actor, bureau=world.bureau, name="县级优秀学生", code="XJ", for_kind="student",
            quota_kind="count", quota_value=Decimal(1), quota_unit="bureau", school_send_quota=1,
        ),
        "update": lambda: services.update_award_type(actor=actor, award=existing, quota_value=Decimal(4)),
        "gate": lambda: services.add_gate(
            actor=actor, award=existing, kind="not_within_years", params={"years": 3}
        ),
    }  # fmt: skip
    if name == "ju":
        for attempt in attempts.values():
            attempt()
        existing.refresh_from_db()
        assert existing.quota_value == Decimal(4)
        assert AwardType.objects.count() == before[0] + 1
        made = AwardType.objects.get(name="县级优秀学生")
        assert (made.bureau_id, made.school_id, made.level, made.number_pattern) == (
            world.bureau.pk,
            None,
            "bureau",
            "{year}{bureau}{award}{serial:04d}",
        )
        entries = AuditEntry.objects.order_by("-pk")[:3]
        assert [(e.action, e.school_id, e.chain) for e in entries] == [
            ("award_gate.create", None, 0), ("award_type.update", None, 0), ("award_type.create", None, 0)
        ]  # fmt: skip
        services.delete_award_type(actor=actor, award=made)
        assert not AwardType.objects.filter(name="县级优秀学生").exists()
        return
    for attempt in attempts.values():
        with pytest.raises(NotAllowed):
            attempt()
    with pytest.raises(NotAllowed, match="只有本局管理员可以设置教育局级奖项。"):
        services.delete_award_type(actor=actor, award=existing)
    existing.refresh_from_db()
    assert existing.quota_value == Decimal(3)
    assert (AwardType.objects.count(), Gate.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"level": "school"}, "教育局设置的奖项只能是教育局级。"),
        ({"quota_unit": "class"}, "教育局级奖项的名额按每校或全局设置。"),
        ({"school_send_quota": None}, "按全局名额评选时，须设定每校报送名额（至少 1 名）。"),
        ({"quota_kind": "share", "quota_value": Decimal("0.1")}, "全局名额须为人数，不能是比例。"),
        ({"quota_value": Decimal("1.5")}, "名额人数应为正整数。"),
        ({"prize": Decimal(100)}, "教育局级奖项不在学校经费中列支奖金。"),
        ({"proposal_source": "exam_firsts"}, "教育局级奖项由各校逐级推荐，不由系统依据数据提名。"),
        (
            {"number_pattern": "{year}{school}{serial:04d}"},
            "教育局级奖项的证书编号按全局连续编号，不能使用 {school}，请使用 {bureau}。",
        ),
        (
            {"quota_unit": "school", "school_send_quota": 2},
            "按每校名额评选时，每校报送名额由差额比例决定，不能另设。",
        ),
    ],
)
def test_bureau_award_rules(world: World, data: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "name": "县级优秀学生", "code": "XJ", "for_kind": "student", "quota_kind": "count",
        "quota_value": Decimal(2), "quota_unit": "bureau", "school_send_quota": 1,
    }  # fmt: skip
    with pytest.raises(Invalid) as caught:
        services.create_bureau_award_type(actor=actor_for(world.ju), bureau=world.bureau, **{**base, **data})
    assert caught.value.message == message
    assert not AwardType.objects.exists()


def test_a_school_cannot_set_a_bureau_quota(world: World) -> None:
    with pytest.raises(Invalid, match="全局名额和每校报送名额只用于教育局级奖项。"):
        services.create_award_type(
            actor=actor_for(world.alice), school=world.school, name="三好学生", code="SH", level="school",
            for_kind="student", quota_kind="count", quota_value=Decimal(1), quota_unit="bureau",
            shortlist_ratio=Decimal(1),
        )  # fmt: skip
    assert not AwardType.objects.exists()


# --- sending up and selecting within quotas -------------------------------------------------------


def test_each_school_sends_up_within_its_quota_and_the_bureau_selects_within_its_own(world: World) -> None:
    b = scenario(world, quota=1, send=1, ratio="2")
    xiao = sent_up(world, b.award, b.yz, world.student_xiao)
    ming = at_school(world, b.award, b.yz, world.student_ming)  # ratio 2: two may reach the school level
    with pytest.raises(Conflict) as caught:
        services.advance(actor=actor_for(world.bella), nomination=ming, reason="报送")
    assert caught.value.message == (
        "「县级优秀学生」在示例县第一中学的教育局级推荐名额（名额 1 名，差额比例 1:2.00）已满："
        "最多 1 名，已有 1 名。"
    )
    ming.refresh_from_db()
    assert (ming.level, ming.status) == ("school", "active")
    wang_ez = sent_up(world, b.award, b.ez, b.ez_student)  # erzhong's own quota is untouched by ours
    assert (xiao.level, wang_ez.level) == ("bureau", "bureau")

    ju = actor_for(world.ju)
    services.select(actor=ju, nomination=wang_ez, reason="综合排名第一")
    with pytest.raises(Conflict) as caught:
        services.select(actor=ju, nomination=xiao, reason="也很好")
    assert caught.value.message == "「县级优秀学生」在全局的入选名额已满：最多 1 名，已有 1 名。"
    xiao.refresh_from_db()
    assert xiao.status == "active"
    services.decline(actor=ju, nomination=xiao, reason="名额所限，排名第二")
    assert [(n.nominee_name, n.status) for n in Nomination.objects.filter(level="bureau").order_by("pk")] == [
        ("肖同学", "not_advanced"),
        ("王二中", "selected"),
    ]


def test_a_school_quota_per_school_is_counted_per_school(world: World) -> None:
    b = scenario(world, unit="school", quota=1, ratio="1")
    xiao = sent_up(world, b.award, b.yz, world.student_xiao)
    ez = sent_up(world, b.award, b.ez, b.ez_student)
    ju = actor_for(world.ju)
    services.select(actor=ju, nomination=xiao, reason="一中第一")
    services.select(actor=ju, nomination=ez, reason="二中第一")  # one place per school: both fit
    assert Nomination.objects.filter(status="selected").count() == 2


def test_a_quota_cannot_shrink_below_what_was_sent_or_selected(world: World) -> None:
    b = scenario(world, quota=2, send=2, ratio="1")
    sent_up(world, b.award, b.yz, world.student_xiao)
    sent_up(world, b.award, b.yz, world.student_ming)
    with pytest.raises(Conflict, match="已有学校报送 2 名，每校报送名额不能少于此数。"):
        services.update_award_type(actor=actor_for(world.ju), award=b.award, school_send_quota=1)
    b.award.refresh_from_db()
    assert b.award.school_send_quota == 2


@pytest.mark.parametrize("name", OTHERS)
def test_only_the_bureau_admin_decides_at_bureau_level(world: World, name: str) -> None:
    b = scenario(world)
    n = sent_up(world, b.award, b.yz, world.student_xiao)
    before = AuditEntry.objects.count()
    actor = actor_for(world.persona(name))
    for decide in (services.select, services.decline):
        with pytest.raises(NotAllowed):
            decide(actor=actor, nomination=n, reason="越权")
    with pytest.raises(NotAllowed):
        services.rescore(actor=actor, nomination=n, score=Decimal(99), reason="越权")
    n.refresh_from_db()
    assert (n.status, n.score, AuditEntry.objects.count()) == ("active", None, before)


def test_the_bureau_ranks_across_its_schools(world: World) -> None:
    b = scenario(world, quota=2, send=2, ratio="1")
    xiao = sent_up(world, b.award, b.yz, world.student_xiao)
    ming = sent_up(world, b.award, b.yz, world.student_ming)
    wang = sent_up(world, b.award, b.ez, b.ez_student)
    li = sent_up(world, b.award, b.ez, b.ez_student_2)
    ju = actor_for(world.ju)
    services.rescore(actor=ju, nomination=xiao, score=Decimal("88.5"), reason="评审组打分")
    services.rescore(actor=ju, nomination=wang, score=Decimal("92"), reason="评审组打分")
    services.rescore(actor=ju, nomination=li, score=Decimal("88.5"), reason="评审组打分")
    services.decline(actor=ju, nomination=ming, reason="材料不全")
    rows = selectors.bureau_ranking(ju, world.bureau, b.award, 2026)
    assert [(r.rank, r.nomination.nominee_name, r.school_name, r.score, r.status) for r in rows] == [
        (1, "王二中", "示例县第二中学", Decimal("92.00"), "active"),
        (2, "李二中", "示例县第二中学", Decimal("88.50"), "active"),  # 李 (7 strokes) before 肖 (7+)
        (2, "肖同学", "示例县第一中学", Decimal("88.50"), "active"),
        (4, "明同学", "示例县第一中学", None, "not_advanced"),
    ]
    assert [(r.decided_by, r.decision, r.reason) for r in rows] == [
        ("局管理员（ju）", "评分", "92 分：评审组打分"),
        ("局管理员（ju）", "评分", "88.5 分：评审组打分"),
        ("局管理员（ju）", "评分", "88.5 分：评审组打分"),
        ("局管理员（ju）", "不予推荐", "材料不全"),
    ]
    for name in OTHERS:
        with pytest.raises(NotAllowed, match="只有本局管理员可以查看教育局级评选。"):
            selectors.bureau_ranking(actor_for(world.persona(name)), world.bureau, b.award, 2026)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_selections_at_once_cannot_both_take_the_last_bureau_place() -> None:
    world = build_world()
    b = scenario(world, quota=1, send=1, ratio="1")
    noms = [sent_up(world, b.award, b.yz, world.student_xiao), sent_up(world, b.award, b.ez, b.ez_student)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def pick(nomination_id: int) -> None:
        try:
            n = Nomination.objects.get(pk=nomination_id)
            start.wait()
            services.select(actor=actor_for(world.ju), nomination=n, reason="入选")
            outcomes.append("selected")
        except Conflict:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=pick, args=(n.pk,)) for n in noms]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full", "selected"]
    assert Nomination.objects.filter(status="selected").count() == 1


# --- the bureau's notice, its objections and honors ---------------------------------------------------


def _selected_both(world: World) -> tuple[Nomination, Nomination]:
    b = scenario(world, unit="school", quota=1, ratio="1")
    ju = actor_for(world.ju)
    xiao = services.select(
        actor=ju, nomination=sent_up(world, b.award, b.yz, world.student_xiao), reason="入选"
    )
    ez = services.select(actor=ju, nomination=sent_up(world, b.award, b.ez, b.ez_student), reason="入选")
    return xiao, ez


@pytest.mark.parametrize("name", OTHERS)
def test_only_the_bureau_admin_publishes_the_bureau_notice(world: World, name: str) -> None:
    xiao, ez = _selected_both(world)
    before = (Notice.objects.count(), AuditEntry.objects.count())
    with pytest.raises(NotAllowed, match="只有本局管理员可以发布教育局公示。"):
        services.publish_bureau_notice(
            actor=actor_for(world.persona(name)), bureau=world.bureau, year=2026, title="公示", basis="办法",
            starts_on=DURING, office="局", phone="1", address="局", nominations=[xiao, ez],
        )  # fmt: skip
    assert (Notice.objects.count(), AuditEntry.objects.count()) == before
    assert set(Nomination.objects.values_list("notice_id", flat=True)) == {None}


def test_the_bureau_notice_lists_both_schools_and_shows_on_each_schools_page(world: World) -> None:
    xiao, ez = _selected_both(world)
    notice = bureau_notice(world, [xiao, ez])
    assert (notice.school_id, notice.bureau_id, notice.campaign_id, notice.year) == (
        None, world.bureau.pk, None, 2026
    )  # fmt: skip
    assert str(notice.ends_on) == "2026-10-09"
    entries = AuditEntry.objects.filter(action="notice.publish").order_by("chain")
    assert [(e.chain, e.after["nominations"]) for e in entries] == [
        (0, [xiao.pk, ez.pk]),
        (world.school.pk, [xiao.pk]),
        (world.other_school.pk, [ez.pk]),
    ]
    for code in ("yizhong", "erzhong"):
        page = world.client("xiao").get(f"/s/{code}/nominations/notices/{notice.pk}/")
        body = page.content.decode()
        assert page.status_code == 200
        assert "发布单位：示例县教育局" in body
        assert body.count('data-testid="notice-row"') == 2
        assert "肖同学" in body
        assert "王二中" in body
    assert world.client("xiao").get(f"/s/nowhere/nominations/notices/{notice.pk}/").status_code == 404


def test_a_school_cannot_put_bureau_nominees_on_its_own_notice(world: World) -> None:
    xiao, _ez = _selected_both(world)
    with pytest.raises(Conflict, match="教育局级奖项的入选名单由教育局公示，不能列入学校的公示。"):
        notice_for(world, xiao.campaign, [xiao], DURING)
    assert not Notice.objects.exists()


def test_the_bureau_notice_takes_only_its_selected_bureau_nominees(world: World) -> None:
    xiao, _ez = _selected_both(world)
    campaign = xiao.campaign
    school_award = award_of(world, quota=2)
    own = selected(world, school_award, campaign)
    with pytest.raises(Exception, match="名单中有不属于本局本年度教育局级奖项的推荐。"):
        bureau_notice(world, [xiao, own])
    assert not Notice.objects.exists()


def _objection(world: World) -> tuple[Notice, Objection]:
    xiao, ez = _selected_both(world)
    notice = bureau_notice(world, [xiao, ez])
    o, _code = services.file_objection(
        notice=notice, nomination=xiao, anonymous=False, name="张三", phone="13700000000",
        grounds="该生本学期有违纪记录。", today=DURING,
    )  # fmt: skip
    return notice, o


@pytest.mark.parametrize("name", OTHERS)
def test_objections_on_the_bureau_notice_are_the_bureau_admins(world: World, name: str) -> None:
    _notice, o = _objection(world)
    assert o.school_id == world.school.pk  # the nominee's school keeps the row
    before = AuditEntry.objects.count()
    with pytest.raises(NotAllowed, match="教育局公示的异议由本局管理员办理。"):
        services.handle_objection(actor=actor_for(world.persona(name)), objection=o, to_status="accepted")
    o.refresh_from_db()
    assert (o.status, AuditEntry.objects.count()) == ("received", before)


def test_the_bureau_admin_handles_the_objection_and_the_school_lists_dont_show_it(world: World) -> None:
    _notice, o = _objection(world)
    ju = actor_for(world.ju)
    assert list(selectors.bureau_objections(ju, world.bureau)) == [o]
    assert list(selectors.objections_for(actor_for(world.su), world.school)) == []
    for step, kw in (
        ("accepted", {}),
        ("verifying", {}),
        ("rejected", {"note": "经核实，违纪记录已撤销。"}),
        ("replied", {"reply": "经核实，反映的问题不成立。"}),
    ):
        services.handle_objection(actor=ju, objection=o, to_status=step, **kw)
    o.refresh_from_db()
    assert (o.status, o.outcome) == ("replied", "rejected")
    assert [s.by_label for s in o.steps.all()] == [
        "异议人",
        "局管理员（ju）",
        "局管理员（ju）",
        "局管理员（ju）",
        "局管理员（ju）",
    ]


def test_the_bureau_admin_issues_bureau_honors_numbered_across_the_bureau(world: World) -> None:
    xiao, ez = _selected_both(world)
    notice = bureau_notice(world, [xiao, ez])
    for name in ("alice", "bella", "oscar", "su"):
        with pytest.raises(NotAllowed, match="教育局级荣誉由本局管理员颁发和撤销。"):
            honors.issue_notice(actor=actor_for(world.persona(name)), notice=notice, today=AFTER)
    assert not Honor.objects.exists()
    issued = honors.issue_notice(actor=actor_for(world.ju), notice=notice, today=AFTER)
    assert [(h.name, h.school_id, h.number) for h in issued] == [
        ("肖同学", world.school.pk, "2026countyXJ0001"),
        ("王二中", world.other_school.pk, "2026countyXJ0002"),
    ]
    data = honors.certificate_data(issued[0])
    assert (data.issuer, data.title, data.unit) == ("示例县教育局", "县级优秀学生", "初一（1）班")
    assert data.url.startswith("http")
    assert "/s/yizhong/honors/verify/?c=" in data.url
    with pytest.raises(NotAllowed):
        honors.revoke(actor=actor_for(world.alice), honor=issued[0], reason="越权")
    honors.revoke(actor=actor_for(world.ju), honor=issued[0], reason="经复核撤销")
    assert Honor.objects.get(pk=issued[0].pk).revoked_reason == "经复核撤销"
