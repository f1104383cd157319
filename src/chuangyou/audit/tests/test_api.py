"""GET /api/v1/schools/{code}/audit and /audit/verify: the page's rules, as JSON."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from chuangyou.accounts.services import create_api_token
from chuangyou.audit.models import AuditBlock, AuditEntry, AuditHead
from chuangyou.audit.services import seal_all
from chuangyou.testing import PERSONAS, World

READERS = {"alice", "su", "ju"}


def api(school_code: str, suffix: str = "") -> str:
    return f"/api/v1/schools/{school_code}/audit{suffix}"


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("suffix", ["", "/verify"])
def test_same_readers_as_the_page(world: World, name: str, suffix: str) -> None:
    count_before = AuditEntry.objects.count()
    blocks_before = AuditBlock.objects.count()

    response = world.client(name).get(api(world.school.code, suffix))

    if name in READERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert response.json()["detail"].startswith("只有监督小组、学校管理员和教育局管理员可以")
    assert AuditEntry.objects.count() == count_before
    assert AuditBlock.objects.count() == blocks_before


def test_anonymous_gets_401(world: World) -> None:
    assert Client().get(api(world.school.code)).status_code == 401


def test_unknown_school_is_404(world: World) -> None:
    response = world.client("su").get(api("nosuch"))
    assert response.status_code == 404
    assert response.json() == {"detail": "没有这所学校。"}


def test_lists_this_school_newest_first_with_full_entries(world: World) -> None:
    body = world.client("su").get(api(world.school.code)).json()

    entries = list(AuditEntry.objects.filter(school=world.school).order_by("-seq"))
    assert body["count"] == len(entries)
    assert [item["seq"] for item in body["items"]] == [e.seq for e in entries]
    first, newest = body["items"][0], entries[0]
    assert first["action"] == newest.action
    assert first["after"] == newest.after
    assert first["before"] is None
    assert first["entry_hash"] == newest.entry_hash
    assert first["sealed"] is False


def test_sealed_entries_show_their_hash(world: World) -> None:
    seal_all()
    body = world.client("su").get(api(world.school.code)).json()

    newest = AuditEntry.objects.filter(school=world.school).order_by("-seq").first()
    assert newest is not None
    assert body["items"][0]["entry_hash"] == newest.compute_hash()
    assert body["items"][0]["sealed"] is True


def test_filters_and_pages(world: World) -> None:
    client = world.client("su")
    grants = list(
        AuditEntry.objects.filter(school=world.school, action="role.grant")
        .order_by("-seq")
        .values_list("seq", flat=True)
    )

    by_action = client.get(api(world.school.code), {"action": "role.grant"}).json()
    by_person = client.get(api(world.school.code), {"actor": "系统", "object_type": "org.student"}).json()
    by_date = client.get(api(world.school.code), {"date_to": "2020-01-01"}).json()
    page_two = client.get(api(world.school.code), {"page": 2}).json()

    assert [i["seq"] for i in by_action["items"]] == grants
    assert {i["object_repr"] for i in by_person["items"]} == {"肖同学（S001）", "明同学（S002）"}
    assert by_date == {"items": [], "count": 0}
    assert page_two["items"] == []


def test_reversed_dates_are_422_in_chinese(world: World) -> None:
    response = world.client("su").get(
        api(world.school.code), {"date_from": "2026-03-02", "date_to": "2026-03-01"}
    )
    assert response.status_code == 422
    assert response.json()["detail"] == "结束日期不能早于开始日期。"


def test_verify_reports_ok_then_the_break(world: World) -> None:
    client = world.client("ju")
    count = AuditEntry.objects.filter(chain=world.school.pk).count()
    seal_all()
    head = AuditHead.objects.get(chain=world.school.pk)

    assert client.get(api(world.school.code, "/verify")).json() == {
        "ok": True,
        "checked": count,
        "problems": [],
        "tip_hash": head.last_hash,
        "blocks": 1,
        "unsealed": 0,
    }

    third = AuditEntry.objects.filter(chain=world.school.pk).order_by("seq")[2].seq
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET object_repr = 'x' WHERE seq = %s",  # noqa: S608
            [third],
        )
    broken = client.get(api(world.school.code, "/verify")).json()
    assert broken["ok"] is False
    assert broken["problems"] == [f"第 {third} 条记录的内容与其哈希不符（被修改）。"]


def test_bearer_token_reads_the_log(world: World) -> None:
    issued = create_api_token(user=world.su, name="监督组导出")

    response = Client().get(api(world.school.code), HTTP_AUTHORIZATION=f"Bearer {issued.key}")

    assert response.status_code == 200
    assert response.json()["count"] == AuditEntry.objects.filter(school=world.school).count()
