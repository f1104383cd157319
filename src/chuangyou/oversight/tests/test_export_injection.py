"""A student plants a formula in the supervisors' audit export through a volunteering claim: it stays text."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from chuangyou.org.models import Staff
from chuangyou.org.rules import actor_for
from chuangyou.testing import World
from chuangyou.volunteering import services

PAYLOAD = '=HYPERLINK("http://x","点我")'


def test_a_claim_planted_formula_reaches_the_audit_export_as_text(world: World) -> None:
    claim = services.claim_hours(
        actor=actor_for(world.xiao), school=world.school,
        served_on=timezone.localdate() - dt.timedelta(days=1),
        service=PAYLOAD, organization="@SUM(1)", description="-1+1", hours=Decimal("2"),
        organizer=Staff.objects.get(user=world.tian),
    )  # fmt: skip
    response = world.client("su").get("/school/yizhong/audit/export.xlsx", {"action": "volunteer.claim"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    [row] = [r for r in sheet.iter_rows(min_row=3) if r[5].value == str(claim.pk)]
    assert (row[6].value, row[6].data_type, row[6].quotePrefix) == (f"{PAYLOAD} · 2 小时", "s", True)
    assert PAYLOAD in row[7].value
    assert "@SUM(1)" in row[7].value
    assert row[7].data_type == "s"
    assert {c.data_type for r in sheet.iter_rows() for c in r if c.value is not None} == {"s", "n"}
