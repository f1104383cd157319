"""The audit log page: who may read it, filters, the readable diff, export, and a fixed query count."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from chuangyou.audit.models import AuditBlock, AuditEntry, AuditHead
from chuangyou.audit.services import seal_all
from chuangyou.org import services
from chuangyou.org.models import Role, RoleMembership, School
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.testing import PERSONAS, World

READERS = {"alice", "su", "ju"}


def url(school: School, suffix: str = "") -> str:
    return f"/school/{school.code}/audit/{suffix}"


def seqs_on(html: str) -> list[int]:
    return [int(s) for s in re.findall(r'data-seq="(\d+)"', html)]


def school_seqs(school: School) -> list[int]:
    return list(AuditEntry.objects.filter(school=school).order_by("-seq").values_list("seq", flat=True))


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("page", ["", "verify/", "export.xlsx"])
def test_only_supervision_admin_and_bureau_may_read(world: World, name: str, page: str) -> None:
    blocks_before = AuditBlock.objects.count()
    count_before = AuditEntry.objects.count()

    response = world.client(name).get(url(world.school, page))

    if name in READERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert "只有监督小组、学校管理员和教育局管理员可以" in response.content.decode()
    assert AuditEntry.objects.count() == count_before
    assert AuditBlock.objects.count() == blocks_before


def test_anonymous_is_sent_to_login(world: World, client: Client) -> None:
    response = client.get(url(world.school))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_shows_this_schools_entries_only_newest_first(world: World) -> None:
    response = world.client("su").get(url(world.school))
    html = response.content.decode()

    expected = school_seqs(world.school)
    assert len(expected) < 50
    assert seqs_on(html) == expected
    assert "欧斯" not in html  # the other school's teacher
    assert f"共 {len(expected)} 条记录" in html


def test_bureau_admin_sees_each_school_of_its_bureau_separately(world: World) -> None:
    response = world.client("ju").get(url(world.other_school))
    html = response.content.decode()

    assert seqs_on(html) == school_seqs(world.other_school)
    assert "欧斯" in html
    assert "艾丽" not in html


def test_bureau_admin_of_another_bureau_is_refused(world: World) -> None:
    far = services.create_bureau(actor=SYSTEM, code="far", name="远方县教育局")
    far_school = services.create_school(actor=SYSTEM, bureau=far, code="yuanfang", name="远方中学")

    response = world.client("ju").get(url(far_school))

    assert response.status_code == 403


def test_oscar_cannot_read_first_school_but_reads_his_own(world: World) -> None:
    client = world.client("oscar")
    assert client.get(url(world.school)).status_code == 403
    assert seqs_on(client.get(url(world.other_school)).content.decode()) == school_seqs(world.other_school)


def test_filter_by_person(world: World) -> None:
    alice = actor_for(world.alice)
    services.ensure_class(actor=alice, school=world.school, level=7, number=3)

    html = world.client("su").get(url(world.school), {"actor": "艾丽"}).content.decode()

    expected = list(
        AuditEntry.objects.filter(school=world.school, actor=world.alice)
        .order_by("-seq")
        .values_list("seq", flat=True)
    )
    assert len(expected) == 1
    assert seqs_on(html) == expected
    assert "初一（3）班" in html


def test_filter_by_action_and_object(world: World) -> None:
    client = world.client("su")
    grants = list(
        AuditEntry.objects.filter(school=world.school, action="role.grant")
        .order_by("-seq")
        .values_list("seq", flat=True)
    )
    assert seqs_on(client.get(url(world.school), {"action": "role.grant"}).content.decode()) == grants

    entry = AuditEntry.objects.get(
        school=world.school, action="student.create", object_repr__startswith="肖同学"
    )
    by_object = client.get(url(world.school), {"object_type": "org.student", "object_id": entry.object_id})
    assert seqs_on(by_object.content.decode()) == [entry.seq]

    by_text = client.get(url(world.school), {"q": "明同学"})
    assert set(seqs_on(by_text.content.decode())) == set(
        AuditEntry.objects.filter(school=world.school, object_repr__contains="明同学").values_list(
            "seq", flat=True
        )
    )


def test_filter_by_date_range_uses_local_days(world: World) -> None:
    # 2026-03-01 00:30 in Shanghai is still 28 February in UTC.
    early_march = timezone.make_aware(dt.datetime(2026, 3, 1, 0, 30))
    with mock.patch("django.utils.timezone.now", return_value=early_march):
        services.ensure_class(actor=SYSTEM, school=world.school, level=7, number=5)
    march_seq = AuditEntry.objects.get(school=world.school, object_repr="初一（5）班").seq

    client = world.client("su")
    on_day = client.get(url(world.school), {"date_from": "2026-03-01", "date_to": "2026-03-01"})
    day_before = client.get(url(world.school), {"date_to": "2026-02-28"})

    assert seqs_on(on_day.content.decode()) == [march_seq]
    assert seqs_on(day_before.content.decode()) == []
    assert "没有符合条件的记录。" in day_before.content.decode()


def test_reversed_date_range_is_refused_in_chinese(world: World) -> None:
    response = world.client("su").get(url(world.school), {"date_from": "2026-03-02", "date_to": "2026-03-01"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "结束日期：结束日期不能早于开始日期。" in html
    assert seqs_on(html) == []


def test_row_shows_a_field_by_field_diff(world: World) -> None:
    seat = RoleMembership.objects.get(user=world.wang, role=Role.WORKING_GROUP)
    ends_on = seat.starts_on + dt.timedelta(days=60)
    services.end_role(actor=actor_for(world.alice), membership=seat, ends_on=ends_on)

    html = world.client("su").get(url(world.school), {"action": "role.end"}).content.decode()

    assert "结束任职" in html
    assert "1 项变更" in html
    assert re.search(rf"结束日期</th><td[^>]*>—</td><td[^>]*>{ends_on.isoformat()}</td>", html)
    assert "其余 8 项未变" in html


def test_htmx_request_gets_the_rows_only(world: World) -> None:
    response = world.client("su").get(url(world.school), {"action": "school.create"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()

    assert "<nav" not in html.split('aria-label="分页"')[0]
    assert "<html" not in html
    assert seqs_on(html) == list(
        AuditEntry.objects.filter(school=world.school, action="school.create").values_list("seq", flat=True)
    )


def test_pages_of_fifty_newest_first(world: World) -> None:
    for number in range(10, 50):
        services.ensure_class(actor=SYSTEM, school=world.school, level=7, number=number)
    expected = school_seqs(world.school)
    assert len(expected) > 50
    client = world.client("su")

    first = seqs_on(client.get(url(world.school)).content.decode())
    second = seqs_on(client.get(url(world.school), {"page": 2}).content.decode())

    assert first == expected[:50]
    assert second == expected[50:100]


def test_empty_state_for_a_school_without_entries(world: World) -> None:
    bare = School.objects.create(bureau=world.bureau, code="kong", name="空白中学")
    RoleMembership.objects.create(
        user=world.su, role=Role.SUPERVISION_GROUP, school=bare, starts_on=dt.date(2020, 1, 1)
    )

    html = world.client("su").get(url(bare)).content.decode()

    assert "本校还没有审计记录。" in html
    assert "导出 Excel" not in html


def test_verify_shows_count_and_tip_then_the_break(world: World) -> None:
    client = world.client("su")
    count = AuditEntry.objects.filter(chain=world.school.pk).count()
    seal_all()
    head = AuditHead.objects.get(chain=world.school.pk)

    ok = client.get(url(world.school, "verify/"), HTTP_HX_REQUEST="true").content.decode()
    assert "日志链完整。" in ok
    assert f"本校共 {count} 条已封存的记录（1 个封存块）" in ok
    assert head.last_hash in ok

    second = AuditEntry.objects.filter(chain=world.school.pk).order_by("seq")[1].seq
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [second])  # noqa: S608
    broken = client.get(url(world.school, "verify/")).content.decode()
    assert "日志链已损坏：发现 1 处问题。" in broken
    assert f"第 {second} 条记录缺失（被删除）。" in broken
    assert "<nav" in broken  # without htmx, a whole page


def test_export_is_the_filtered_log_as_xlsx(world: World) -> None:
    seal_all()
    response = world.client("su").get(url(world.school, "export.xlsx"), {"action": "role.grant"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-yizhong-')
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("示例县第一中学 审计日志，导出于 ")
    assert rows[1] == ("序号", "时间", "操作人", "操作", "对象类型", "对象编号", "对象", "变更内容", "哈希")
    grants = AuditEntry.objects.filter(school=world.school, action="role.grant").order_by("-seq")
    assert [r[0] for r in rows[2:]] == [e.seq for e in grants]
    newest = grants[0]
    assert rows[2][2:7] == ("系统", "分配角色", "角色任职", newest.object_id, newest.object_repr)
    assert "角色：" in rows[2][7]
    assert rows[2][8] == newest.entry_hash


def test_list_query_count_does_not_grow_with_rows(world: World) -> None:
    client = world.client("su")
    client.get(url(world.school))  # warm the session and caches

    def queries_for_classes(count: int) -> tuple[int, int]:
        existing = AuditEntry.objects.filter(school=world.school, action="class.create").count()
        for number in range(existing + 1, count + 1):
            services.ensure_class(actor=SYSTEM, school=world.school, level=9, number=number)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(world.school), {"object_type": "org.schoolclass"})
        return len(ctx.captured_queries), len(seqs_on(response.content.decode()))

    few_queries, few_rows = queries_for_classes(5)
    many_queries, many_rows = queries_for_classes(50)

    assert (few_rows, many_rows) == (5, 50)
    assert many_queries == few_queries
