"""Office lists cost the same number of queries at two sizes, so an N+1 fails here."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangyou.campaigns.models import Campaign
from chuangyou.honors import services as honors
from chuangyou.nominations import services
from chuangyou.nominations.tests.helpers import funds_line, notice_for, selected
from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import World


def _batch(world: World, year: int, count: int) -> None:
    """One campaign year with its own award type: `count` students selected, published, objected to
    (closed as 不成立), issued; and `count` prize budgets."""
    campaign = Campaign.objects.create(
        school=world.school, year=year, title=f"{year}年创先争优", theme="争先"
    )
    award = services.create_award_type(
        actor=SYSTEM, school=world.school, name=f"{year}优秀学生干部", code=f"G{year % 100}", level="school",
        for_kind="student", quota_kind="count", quota_value=Decimal(count), quota_unit="class",
        shortlist_ratio=Decimal(1), prize=Decimal(0), budget_line=None,
    )  # fmt: skip
    services.add_gate(actor=SYSTEM, award=award, kind="not_within_years", params={"years": 3})
    students = [
        org_services.create_student(
            actor=SYSTEM,
            school_class=world.class_1,
            student_no=f"Q{year}{i}",
            name=f"丁{i}",
            gender="M",
            guardians=[(f"家长{year}{i}", f"13{year}{i:05d}")],
        )
        for i in range(count)
    ]
    noms = [selected(world, award, campaign, s) for s in students]
    notice = notice_for(world, campaign, noms, dt.date(2026, 11, 20))
    for n in noms:
        o, _code = services.file_objection(
            notice=notice, nomination=n, anonymous=False, name="张三", phone="139", grounds="核实",
            today=dt.date(2026, 11, 21),
        )  # fmt: skip
        for step, note in (("accepted", ""), ("verifying", ""), ("rejected", "属实")):
            services.handle_objection(actor=SYSTEM, objection=o, to_status=step, note=note)
        services.handle_objection(actor=SYSTEM, objection=o, to_status="replied", reply="不成立")
    honors.issue_notice(actor=actor_for(world.bella), notice=notice, today=dt.date(2026, 12, 1))
    for _ in range(count):
        honors.set_budget(actor=SYSTEM, line=funds_line(campaign, "100"), amount=Decimal(50))


def _queries(world: World, name: str, marker: str) -> tuple[int, int]:
    client = world.client("bella")
    url = reverse(name, args=["yizhong"])
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return len(ctx.captured_queries), response.content.decode().count(f'data-testid="{marker}"')


@pytest.mark.parametrize(
    ("name", "marker", "rows"),
    [
        ("nominations:list", "nomination-row", (2, 5)),
        ("nominations:awards", "award-row", (1, 2)),
        ("nominations:objections", "objection-row", (2, 5)),
        ("nominations:notices", "notice-item", (1, 2)),
        ("honors:list", "honor-row", (2, 5)),
        ("honors:ledger", "ledger-row", (2, 5)),
    ],
)
def test_office_lists_cost_the_same_at_two_sizes(
    world: World, name: str, marker: str, rows: tuple[int, int]
) -> None:
    _batch(world, 2026, 2)
    small, shown = _queries(world, name, marker)
    assert shown == rows[0]
    _batch(world, 2027, 3)
    large, shown = _queries(world, name, marker)
    assert (large, shown) == (small, rows[1])
