"""A name or claim that looks like a formula is exported as text in a participation record (issue 9)."""

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from chuangyou.org import services as org_services
from chuangyou.org.models import Staff
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import World
from chuangyou.volunteering import services as volunteering

PAYLOAD = '=HYPERLINK("http://x","点我")'


def test_the_record_export_keeps_a_planted_name_and_claim_as_text(world: World) -> None:
    student = org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="S099", name=PAYLOAD, gender="F",
        guardians=[("家长", "13900000099")],
    )  # fmt: skip
    assert student.user is not None
    claim = volunteering.claim_hours(
        actor=actor_for(student.user), school=world.school,
        served_on=timezone.localdate() - dt.timedelta(days=1),
        service="-SUM(1)", organization="校团委", description="服务", hours=Decimal("1"),
        organizer=Staff.objects.get(user=world.tian),
    )  # fmt: skip
    volunteering.record_paper_consent(actor=actor_for(world.tian), claim=claim)
    volunteering.approve_claim(actor=actor_for(world.tian), claim=claim)
    response = world.client("alice").get(f"/school/yizhong/records/students/{student.pk}/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    [row] = list(sheet.iter_rows(min_row=2))
    assert (row[0].value, row[0].data_type, row[0].quotePrefix) == (PAYLOAD, "s", True)
    assert (row[4].value, row[4].data_type, row[4].quotePrefix) == ("-SUM(1)（校团委）", "s", True)
