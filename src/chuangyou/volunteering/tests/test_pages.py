import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from chuangyou.audit.models import AuditEntry
from chuangyou.org.models import Staff
from chuangyou.org.rules import actor_for
from chuangyou.testing import PERSONAS, PINNED_TODAY, World
from chuangyou.volunteering import services
from chuangyou.volunteering.models import Claim, ClaimStatus

BASE = "/school/yizhong/volunteering/"
API = "/api/v1/schools/yizhong/volunteering"
YESTERDAY = PINNED_TODAY - dt.timedelta(days=1)
# Who may certify a claim naming tian: tian, and those who run the campaign.
CERTIFIERS = {"tian", "alice", "bella", "wang"}


def _claim(world: World, who: str = "xiao", hours: str = "2.5", service: str = "敬老院陪伴老人") -> Claim:
    return services.claim_hours(
        actor=actor_for(world.persona(who)), school=world.school, served_on=YESTERDAY, service=service,
        organization="校团委", description="陪老人聊天", hours=Decimal(hours),
        organizer=Staff.objects.get(user=world.tian),
    )  # fmt: skip


def _state() -> tuple[object, ...]:
    return list(Claim.objects.values_list("status", "consent", "reason")), AuditEntry.objects.count()


@pytest.mark.parametrize("name", PERSONAS)
def test_approving_through_the_page(world: World, name: str) -> None:
    c = _claim(world)
    services.give_consent(actor=actor_for(world.ma), claim=c)
    before = _state()
    response = world.client(name).post(f"{BASE}{c.pk}/approve/")
    if name in CERTIFIERS:
        assert response.status_code == 302
        assert Claim.objects.get(pk=c.pk).status == ClaimStatus.APPROVED
    else:
        assert response.status_code in (403, 404)
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_consent_through_the_api(world: World, name: str) -> None:
    c = _claim(world)
    before = _state()
    response = world.client(name).post(f"{API}/claims/{c.pk}/consent")
    if name == "ma":
        assert response.status_code == 200
        assert response.json()["consent"] == "online"
    else:
        assert response.status_code in (403, 404)
        assert _state() == before


@pytest.mark.parametrize("name", PERSONAS)
def test_who_sees_a_claim(world: World, name: str) -> None:
    c = _claim(world)
    status = world.client(name).get(f"{BASE}{c.pk}/").status_code
    # xiao's own, his parent, his 班主任, the organizer, the office and the bureau.
    readers = {"xiao", "ma", "hu", "tian", "alice", "bella", "wang", "su", "ju"}
    assert status == (200 if name in readers else 403)


def test_the_page_flow_with_htmx_and_a_double_approve(world: World) -> None:
    c = _claim(world, who="hu")
    tian = world.client("tian")
    queue = tian.get(f"{BASE}review/").content.decode()
    assert "敬老院陪伴老人" in queue
    row = tian.post(f"{BASE}{c.pk}/approve/", {"from": "review"}, headers={"HX-Request": "true"})
    assert row.status_code == 200
    assert 'data-testid="status">已认证<' in row.content.decode()
    again = tian.post(f"{BASE}{c.pk}/approve/", {"from": "review"}, headers={"HX-Request": "true"})
    assert "已经审核过了（当前状态：已认证）" in again.content.decode()
    api_again = world.client("wang").post(
        f"{API}/claims/{c.pk}/approve", "{}", content_type="application/json"
    )
    assert api_again.status_code == 409


def test_claim_form_states_travel_is_excluded_and_saves(world: World) -> None:
    client = world.client("xiao")
    page = client.get(f"{BASE}claim/").content.decode()
    assert "不含往返路途时间" in page
    tian = Staff.objects.get(user=world.tian)
    data = {"served_on": YESTERDAY.isoformat(), "service": "图书馆整理", "organization": "校图书馆",
            "description": "整理书架", "hours": "1.5", "organizer": tian.pk}  # fmt: skip
    refused = client.post(f"{BASE}claim/", data).content.decode()
    assert "这个字段是必填项" in refused or "This field is required" in refused
    assert Claim.objects.count() == 0
    saved = client.post(f"{BASE}claim/", data | {"travel_excluded": "on"})
    c = Claim.objects.get()
    assert saved["Location"] == f"{BASE}{c.pk}/"
    assert (c.service, c.hours, c.organizer, c.student) == (
        "图书馆整理",
        Decimal("1.5"),
        tian,
        world.student_xiao,
    )


def test_volunteer_list_filters_exports_and_keeps_its_query_count(world: World) -> None:
    client = world.client("wang")

    def add(n: int) -> None:
        for i in range(n):
            c = _claim(world, who="hu", hours="1", service=f"服务{Claim.objects.count()}-{i}")
            services.approve_claim(actor=actor_for(world.tian), claim=c)
            c = _claim(world, who="ming", hours="0.5", service=f"服务{Claim.objects.count()}-{i}")

    add(1)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{BASE}volunteers/")
    add(5)
    with CaptureQueriesContext(connection) as many:
        client.get(f"{BASE}volunteers/")
    assert len(many) == len(few)
    staff = client.get(f"{BASE}volunteers/?kind=staff").content.decode()
    assert "胡班" in staff
    mine = client.get(f"{BASE}volunteers/?class={world.class_2.pk}").content.decode()
    assert "明同学" in mine
    assert "肖同学" not in mine
    export = client.get(f"{BASE}volunteers/export/?kind=staff")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["工号", "姓名", "已认证时长（小时）", "待审核时长（小时）", "已达里程碑"],
        ["T005", "胡班", 6, 0, None],
    ]
    assert world.client("hu").get(f"{BASE}volunteers/").status_code == 200  # 班主任: their class
    assert world.client("xiao").get(f"{BASE}volunteers/").status_code == 403


def test_review_queue_query_count_does_not_grow(world: World) -> None:
    client = world.client("tian")
    _claim(world, service="一")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{BASE}review/")
    for i in range(6):
        _claim(world, who="ming", hours="0.5", service=f"服务{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(f"{BASE}review/")
    assert len(many) == len(few)


def test_api_claim_with_photo_and_progress(world: World) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "证明.png"
    tian = Staff.objects.get(user=world.tian)
    response = world.client("hu").post(
        f"{API}/claims",
        {"served_on": YESTERDAY.isoformat(), "service": "交通文明劝导", "organization": "社区",
         "description": "路口劝导", "hours": "3", "organizer_id": tian.pk, "evidence": buffer},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["consent"], body["has_evidence"], body["hours"]) == (
        "pending", "not_needed", True, "3.00",
    )  # fmt: skip
    photo = world.client("tian").get(f"{API}/claims/{body['id']}/evidence")
    assert photo.status_code == 200
    assert world.client("ming").get(f"{API}/claims/{body['id']}/evidence").status_code == 403
    bad = world.client("tian").post(
        f"{API}/claims/{body['id']}/reject", json.dumps({"reason": ""}), content_type="application/json"
    )
    assert bad.status_code == 422
    ok = world.client("tian").post(
        f"{API}/claims/{body['id']}/approve", "{}", content_type="application/json"
    )
    assert ok.json()["status"] == "approved"
    me = world.client("hu").get(f"{API}/me").json()
    assert me == {"total": "3.00", "reached": [], "next_milestone": 100, "remaining": "97.00"}
    volunteers = world.client("su").get(f"{API}/volunteers?kind=staff").json()
    assert volunteers["items"] == [
        {"id": world.staff_hu.pk, "number": "T005", "name": "胡班", "class_name": None,
         "total": "3.00", "pending": "0.00", "reached": []},
    ]  # fmt: skip
    settings = world.client("wang").put(
        f"{API}/settings",
        json.dumps({"unit_hours": "1", "max_hours_per_activity_day": "6", "students_need_consent": True,
                    "milestones": [3, 10]}),
        content_type="application/json",
    )  # fmt: skip
    assert settings.status_code == 200
    assert world.client("hu").get(f"{API}/me").json()["reached"] == [3]
    refused = world.client("tian").put(
        f"{API}/settings", json.dumps(settings.json()), content_type="application/json"
    )
    assert refused.status_code == 403


def test_reading_the_rules_writes_nothing_and_the_first_change_makes_the_row_audited(world: World) -> None:
    """Issue 10: the pages and the API used to make the settings row on first read, with no entry."""
    from chuangyou.volunteering.models import VolunteerSettings

    wang, xiao = world.client("wang"), world.client("xiao")
    entries = AuditEntry.objects.count()
    for client, url in ((wang, f"{BASE}rules/"), (xiao, f"{BASE}claim/"), (xiao, f"{API}/settings")):
        assert client.get(url).status_code == 200, url
    assert xiao.get(f"{API}/settings").json()["milestones"] == [100, 300, 600, 1000, 1500]
    assert (VolunteerSettings.objects.count(), AuditEntry.objects.count()) == (0, entries)
    changed = wang.put(
        f"{API}/settings",
        json.dumps({"unit_hours": "1", "max_hours_per_activity_day": "6", "students_need_consent": False,
                    "milestones": [2, 5]}),
        content_type="application/json",
    )  # fmt: skip
    assert changed.status_code == 200
    row = VolunteerSettings.objects.get(school=world.school)
    entry = AuditEntry.objects.get(action="volunteer.settings")
    assert (entry.object_id, entry.school_id, entry.before, entry.after["milestones"]) == (
        str(row.pk), world.school.pk, None, [2, 5],
    )  # fmt: skip
