import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangyou.audit.models import AuditEntry
from chuangyou.campaigns import selectors, services
from chuangyou.campaigns.models import Assignment, Campaign, Phase
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.org.models import Staff
from chuangyou.org.rules import actor_for
from chuangyou.testing import World

D = dt.date
NEW_YEAR = D(2026, 1, 10)


def _plan(world: World, year: int = 2026, today: dt.date = NEW_YEAR) -> Campaign:
    return services.create_campaign(
        actor=actor_for(world.bella),
        school=world.school,
        year=year,
        title="2026年创先争优活动实施方案",
        theme="筑堡垒、讲党性、树先锋",
        today=today,
    )


def _phases(campaign: Campaign) -> list[tuple[int, str, dt.date, dt.date]]:
    return [
        (p.order, p.name, p.starts_on, p.ends_on)
        for p in Phase.objects.filter(campaign=campaign).order_by("order")
    ]


def test_default_phases_spread_over_the_whole_year(world: World) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    assert _phases(campaign) == [
        (1, "动员部署", D(2026, 1, 1), D(2026, 2, 5)),
        (2, "全面争创", D(2026, 2, 6), D(2026, 8, 6)),
        (3, "对标定位", D(2026, 8, 7), D(2026, 10, 18)),
        (4, "总结完善", D(2026, 10, 19), D(2026, 12, 31)),
    ]
    entry = AuditEntry.objects.get(action="campaign.create")
    assert entry.after["theme"] == "筑堡垒、讲党性、树先锋"
    assert [p["name"] for p in entry.after["phases"]] == ["动员部署", "全面争创", "对标定位", "总结完善"]


def test_a_plan_made_during_its_year_starts_today(world: World) -> None:
    campaign = _plan(world, today=D(2026, 6, 1))
    phases = _phases(campaign)
    assert phases[0][2] == D(2026, 6, 1)
    assert phases[-1][3] == D(2026, 12, 31)
    assert campaign.current_phase(D(2026, 6, 1)).name == "动员部署"  # type: ignore[union-attr]


def test_late_in_the_year_the_defaults_keep_the_whole_year(world: World) -> None:
    campaign = _plan(world, today=D(2026, 11, 21))
    assert _phases(campaign)[0][2] == D(2026, 1, 1)


def test_second_plan_for_the_same_year_is_a_conflict(world: World) -> None:
    _plan(world)
    with pytest.raises(Conflict, match="2026 年度的活动方案已经存在"):
        _plan(world)
    assert Campaign.objects.count() == 1


def test_implausible_year_is_refused(world: World) -> None:
    with pytest.raises(Invalid, match="年度须在 2000 至 2028 之间"):
        _plan(world, year=2030, today=D(2026, 1, 1))
    with pytest.raises(Invalid, match="年度须在 2000 至 2028 之间"):
        _plan(world, year=1999, today=D(2026, 1, 1))
    assert not Campaign.objects.exists()


def test_current_phase_across_the_boundaries(world: World) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    phase = Phase.objects.get(campaign=campaign, order=2)
    # Leave a gap between 全面争创 and 对标定位.
    services.update_phase(
        actor=actor_for(world.bella),
        phase=phase,
        name=phase.name,
        starts_on=phase.starts_on,
        ends_on=D(2026, 7, 31),
        description="",
    )
    campaign = selectors.campaign_for(actor_for(world.bella), world.school, 2026)

    def current(day: dt.date) -> str | None:
        found = campaign.current_phase(day)
        return found.name if found else None

    assert current(D(2025, 12, 31)) is None
    assert current(D(2026, 1, 1)) == "动员部署"
    assert current(D(2026, 2, 5)) == "动员部署"
    assert current(D(2026, 2, 6)) == "全面争创"
    assert current(D(2026, 7, 31)) == "全面争创"
    assert current(D(2026, 8, 1)) is None
    assert campaign.next_phase(D(2026, 8, 1)).name == "对标定位"  # type: ignore[union-attr]
    assert current(D(2026, 12, 31)) == "总结完善"
    assert current(D(2027, 1, 1)) is None
    assert campaign.next_phase(D(2027, 1, 1)) is None


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        (D(2026, 3, 10), D(2026, 3, 1), "结束日期不能早于开始日期。"),
        (D(2026, 1, 20), D(2026, 8, 6), "「全面争创」须在「动员部署」结束（2026-02-05）之后开始"),
        (D(2026, 2, 6), D(2026, 8, 7), "「对标定位」须在「全面争创」结束（2026-08-07）之后开始"),
        (D(2026, 11, 1), D(2026, 12, 1), "「对标定位」须在「全面争创」结束（2026-12-01）之后开始"),
    ],
)
def test_phase_dates_are_checked(world: World, starts_on: dt.date, ends_on: dt.date, message: str) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    before = _phases(campaign)
    phase = Phase.objects.get(campaign=campaign, order=2)
    with pytest.raises(Invalid) as caught:
        services.update_phase(
            actor=actor_for(world.wang),
            phase=phase,
            name="全面争创",
            starts_on=starts_on,
            ends_on=ends_on,
            description="",
        )
    assert caught.value.message.startswith(message)
    assert _phases(campaign) == before


def test_phase_outside_the_plausible_window_is_refused(world: World) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    with pytest.raises(Invalid, match=r"日期须在 2025-09-01 至 2027-08-31 之间"):
        services.add_phase(
            actor=actor_for(world.wang),
            campaign=campaign,
            name="回头看",
            starts_on=D(2027, 9, 1),
            ends_on=D(2027, 9, 30),
        )
    assert Phase.objects.filter(campaign=campaign).count() == 4


def test_phases_cannot_span_more_than_a_year(world: World) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    with pytest.raises(Invalid, match="不能超过 366 天（现为 396 天）"):
        services.add_phase(
            actor=actor_for(world.wang),
            campaign=campaign,
            name="回头看",
            starts_on=D(2027, 1, 10),
            ends_on=D(2027, 1, 31),
        )


def test_added_phase_takes_its_place_by_date(world: World) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    actor = actor_for(world.wang)
    first = Phase.objects.get(campaign=campaign, order=1)
    services.update_phase(
        actor=actor, phase=first, name="动员部署", starts_on=D(2026, 1, 1), ends_on=D(2026, 1, 20),
        description="召开专题动员大会",
    )  # fmt: skip
    services.add_phase(
        actor=actor, campaign=campaign, name="申报承诺", starts_on=D(2026, 1, 21), ends_on=D(2026, 2, 5)
    )
    assert [(o, n) for o, n, *_ in _phases(campaign)] == [
        (1, "动员部署"), (2, "申报承诺"), (3, "全面争创"), (4, "对标定位"), (5, "总结完善"),
    ]  # fmt: skip
    assert Phase.objects.get(campaign=campaign, order=1).description == "召开专题动员大会"


def test_move_phase_swaps_the_time_slots(world: World) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    third = Phase.objects.get(campaign=campaign, order=3)
    services.move_phase(actor=actor_for(world.alice), phase=third, direction="up")
    assert _phases(campaign) == [
        (1, "动员部署", D(2026, 1, 1), D(2026, 2, 5)),
        (2, "对标定位", D(2026, 2, 6), D(2026, 8, 6)),
        (3, "全面争创", D(2026, 8, 7), D(2026, 10, 18)),
        (4, "总结完善", D(2026, 10, 19), D(2026, 12, 31)),
    ]
    first = Phase.objects.get(campaign=campaign, order=1)
    with pytest.raises(Invalid, match="已经在最前面"):
        services.move_phase(actor=actor_for(world.alice), phase=first, direction="up")


def test_delete_phase_renumbers_and_keeps_the_last_one(world: World) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    actor = actor_for(world.bella)
    for _ in range(3):
        services.delete_phase(actor=actor, phase=Phase.objects.filter(campaign=campaign).first())  # type: ignore[arg-type]
    assert [(o, n) for o, n, *_ in _phases(campaign)] == [(1, "总结完善")]
    with pytest.raises(Invalid, match="至少要保留一个阶段"):
        services.delete_phase(actor=actor, phase=Phase.objects.get(campaign=campaign))
    assert AuditEntry.objects.filter(action="phase.delete").count() == 3


def test_overdue_assignments(world: World) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    actor = actor_for(world.wang)
    owner = world.staff_hu
    due_yesterday = services.create_assignment(
        actor=actor, campaign=campaign, title="召开动员大会", owner=owner, deadline=D(2026, 3, 9)
    )
    due_today = services.create_assignment(
        actor=actor, campaign=campaign, title="公开承诺", owner=owner, deadline=D(2026, 3, 10)
    )
    done_late = services.create_assignment(
        actor=actor, campaign=campaign, title="编写简报", owner=owner, deadline=D(2026, 3, 1)
    )
    services.complete_assignment(actor=actor, assignment=done_late, on=D(2026, 3, 5))
    today = D(2026, 3, 10)
    assert due_yesterday.is_overdue(today)
    assert not due_today.is_overdue(today)
    by_filter = {
        status: [a.title for a in selectors.assignments_of(campaign, status=status, today=today)]
        for status in selectors.ASSIGNMENT_FILTERS
    }
    assert by_filter == {
        "all": ["编写简报", "召开动员大会", "公开承诺"],
        "open": ["召开动员大会", "公开承诺"],
        "overdue": ["召开动员大会"],
        "done": ["编写简报"],
    }
    counts = selectors.assignment_counts(campaign, today=today)
    assert counts == selectors.AssignmentCounts(all=3, open=2, overdue=1, done=1)
    with pytest.raises(Conflict, match="已于 2026-03-05 标记完成"):
        services.complete_assignment(actor=actor, assignment=done_late)
    services.reopen_assignment(actor=actor, assignment=done_late)
    assert Assignment.objects.get(pk=done_late.pk).done_on is None


def test_assignment_owner_must_be_staff_of_the_school(world: World) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    outsider = Staff.objects.get(school=world.other_school)
    with pytest.raises(Invalid, match="负责人须是本校教职工"):
        services.create_assignment(
            actor=actor_for(world.wang), campaign=campaign, title="x", owner=outsider, deadline=D(2026, 3, 1)
        )
    assert not Assignment.objects.exists()


def test_funds_total_counts_only_funds(world: World) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    actor = actor_for(world.wang)
    services.add_resource(actor=actor, campaign=campaign, kind="venue", name="学校礼堂", quantity="1 间")
    services.add_resource(
        actor=actor, campaign=campaign, kind="supplies", name="展板", quantity="20 块", amount=Decimal("800")
    )
    for name, amount in [("表彰奖金", "5000"), ("简报印刷", "320.50")]:
        services.add_resource(actor=actor, campaign=campaign, kind="funds", name=name, amount=Decimal(amount))
    assert selectors.funds_total(campaign) == Decimal("5320.50")
    with pytest.raises(Invalid, match="经费须填写金额"):
        services.add_resource(actor=actor, campaign=campaign, kind="funds", name="其他")
    with pytest.raises(Invalid, match="金额不能为负数"):
        services.add_resource(actor=actor, campaign=campaign, kind="funds", name="退款", amount=Decimal("-1"))


PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("预案.exe", b"MZ\x90\x00", "安全预案只能上传 PDF、Word（doc/docx）或图片（jpg/png）文件。"),
        ("预案.pdf", b"MZ\x90\x00 not a pdf", "文件内容与扩展名 .pdf 不符，请上传真实的 PDF 文件。"),
        ("预案.pdf", b"", "上传的文件是空的。"),
        ("预案.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "文件不能超过 10 MB（当前为 10.0 MB）。"),
    ],
)
def test_safety_plan_file_is_checked(world: World, name: str, content: bytes, message: str) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    with pytest.raises(Invalid) as caught:
        services.update_safety_plan(
            actor=actor_for(world.wang),
            campaign=campaign,
            notes="疏散路线",
            upload=SimpleUploadedFile(name, content),
        )
    assert caught.value.message == message
    campaign.refresh_from_db()
    assert campaign.safety_plan.name == ""
    assert campaign.safety_notes == ""


@pytest.mark.parametrize(("name", "content"), [("应急预案.pdf", PDF), ("疏散图.PNG", PNG)])
def test_safety_plan_is_stored_privately(world: World, name: str, content: bytes) -> None:
    campaign = _plan(world, today=D(2025, 12, 1))
    services.update_safety_plan(
        actor=actor_for(world.wang),
        campaign=campaign,
        notes="  活动前检查场地，明确疏散路线。 ",
        upload=SimpleUploadedFile(name, content),
    )
    campaign.refresh_from_db()
    assert campaign.safety_notes == "活动前检查场地，明确疏散路线。"
    stem, suffix = name.rsplit(".", 1)
    # Storage adds a suffix when an earlier test stored a file of the same name.
    assert re.fullmatch(rf"campaigns/safety/\d{{4}}/{stem}(_\w+)?\.{suffix}", campaign.safety_plan.name)
    with campaign.safety_plan.open("rb") as stored:
        assert stored.read() == content
    with pytest.raises(ValueError, match="no public URL"):
        _ = campaign.safety_plan.url
    entry = AuditEntry.objects.get(action="campaign.safety_plan")
    assert entry.before == {"safety_plan": None, "safety_notes": ""}
    assert entry.after["safety_plan"] == campaign.safety_plan.name
