"""The hash chain catches edited, deleted and cut-off entries; the command reports them and exits 1."""

from __future__ import annotations

import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from chuangyou.audit.models import AuditEntry, AuditHead
from chuangyou.audit.services import verify_chain
from chuangyou.org import services
from chuangyou.org.models import Role
from chuangyou.org.rules import SYSTEM
from chuangyou.testing import World

TABLE = AuditEntry._meta.db_table


def set_after_raw(chain: int, seq: int, after: dict[str, object]) -> None:
    """Edit an entry behind the ORM's back, as someone with database access would."""
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE {TABLE} SET "after" = {cast} WHERE chain = %s AND seq = %s',  # noqa: S608
            [json.dumps(after), chain, seq],
        )


def delete_raw(chain: int, seq: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE chain = %s AND seq = %s", [chain, seq])  # noqa: S608


def run_verify(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify-audit", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_untouched_chain_verifies_and_prints_count_and_tip(world: World) -> None:
    chain = world.school.pk
    count = AuditEntry.objects.filter(chain=chain).count()
    head = AuditHead.objects.get(chain=chain)
    assert count > 20
    assert head.last_seq == count

    code, out, err = run_verify("--school", "yizhong")

    assert code == 0
    assert out == f"审计日志链完整：共 {count} 条记录。\n示例县第一中学 链尾哈希：{head.last_hash}\n"
    assert err == ""


def test_every_chain_is_checked_and_listed_without_a_school(world: World) -> None:
    code, out, _err = run_verify()
    assert code == 0
    assert out.splitlines()[0] == f"审计日志链完整：共 {AuditEntry.objects.count()} 条记录。"
    assert [line.split(" 链尾哈希")[0] for line in out.splitlines()[1:]] == [
        "教育局及平台", "示例县第一中学", "示例县第二中学",
    ]  # fmt: skip


def test_orm_refuses_to_edit_or_delete_entries(world: World) -> None:
    entry = AuditEntry.objects.order_by("seq").first()
    assert entry is not None
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.action = "x"
    with pytest.raises(PermissionError):
        entry.save()
    assert verify_chain().ok


def test_edited_after_is_reported_by_seq(world: World) -> None:
    chain = world.school.pk
    victim = AuditEntry.objects.get(chain=chain, seq=5)
    assert victim.after is not None
    set_after_raw(chain, 5, {**victim.after, "name": "改过的名字"})

    report = verify_chain(school=world.school)
    code, out, err = run_verify("--school", "yizhong")

    assert report.problems == ["第 5 条记录的内容与其哈希不符（被修改）。"]
    assert code == 1
    assert out == ""
    count = AuditEntry.objects.filter(chain=chain).count()
    assert err == (
        "第 5 条记录的内容与其哈希不符（被修改）。\n"
        f"审计日志链已损坏：共校验 {count} 条记录，发现 1 处问题。\n"
    )


def test_a_break_in_one_school_is_named_and_leaves_the_others_intact(world: World) -> None:
    set_after_raw(world.school.pk, 5, {"forged": True})

    assert verify_chain().problems == ["示例县第一中学：第 5 条记录的内容与其哈希不符（被修改）。"]
    assert verify_chain(school=world.other_school).ok


def test_deleted_middle_entry_is_reported_missing(world: World) -> None:
    delete_raw(world.school.pk, 7)

    report = verify_chain(school=world.school)
    code, _out, err = run_verify("--school", "yizhong")

    assert report.problems == ["第 7 条记录缺失（被删除）。", "第 8 条记录与上一条记录的链接不符。"]
    assert code == 1
    assert "第 7 条记录缺失（被删除）。" in err


def test_several_deleted_entries_are_reported_as_a_range(world: World) -> None:
    for seq in (3, 4, 5):
        delete_raw(world.school.pk, seq)

    assert verify_chain(school=world.school).problems == [
        "第 3 条至第 5 条记录缺失（被删除）。",
        "第 6 条记录与上一条记录的链接不符。",
    ]


def test_deleted_last_entry_is_caught_by_the_head(world: World) -> None:
    last = AuditHead.objects.get(chain=world.school.pk).last_seq
    delete_raw(world.school.pk, last)

    report = verify_chain(school=world.school)
    code, _out, err = run_verify("--school", "yizhong")

    assert report.problems == [f"链头记录为第 {last} 条，但日志只到第 {last - 1} 条（末尾记录被删除）。"]
    assert code == 1
    assert err.startswith(f"链头记录为第 {last} 条")


def test_edited_last_entry_is_caught_by_its_own_hash(world: World) -> None:
    last = AuditHead.objects.get(chain=world.school.pk).last_seq
    set_after_raw(world.school.pk, last, {"forged": True})

    assert verify_chain(school=world.school).problems == [f"第 {last} 条记录的内容与其哈希不符（被修改）。"]


def test_the_tip_hash_changes_with_each_append(world: World) -> None:
    before = verify_chain(school=world.school)
    services.ensure_class(actor=SYSTEM, school=world.school, level=8, number=1)
    after = verify_chain(school=world.school)

    assert after.ok
    assert after.checked == before.checked + 2  # the grade and the class
    assert after.tip_hash != before.tip_hash
    assert after.tip_hash == AuditEntry.objects.get(chain=world.school.pk, seq=after.checked).entry_hash


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_audited_writes_keep_one_unbroken_chain() -> None:
    bureau = services.create_bureau(actor=SYSTEM, code="c", name="并发县教育局")
    school = services.create_school(actor=SYSTEM, bureau=bureau, code="bingfa", name="并发中学")
    services.ensure_class(actor=SYSTEM, school=school, level=7, number=1)  # the grade, made once
    # Staff of the school: a seat is only for the school's own people (issue 9).
    users = [
        services.create_staff(
            actor=SYSTEM, school=school, staff_no=f"T{i:03d}", name=f"教师{i}", gender="F"
        ).user
        for i in range(12)
    ]
    start_count = AuditEntry.objects.filter(chain=school.pk).count()
    barrier = threading.Barrier(12)
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.ensure_class(actor=SYSTEM, school=school, level=7, number=i + 2)
            services.grant_role(actor=SYSTEM, user=users[i], role=Role.WORKING_GROUP, school=school)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    total = start_count + 24
    seqs = AuditEntry.objects.filter(chain=school.pk).order_by("seq").values_list("seq", flat=True)
    assert list(seqs) == list(range(1, total + 1))
    report = verify_chain(school=school)
    assert report.ok, report.problems
    assert report.checked == total
    assert AuditHead.objects.get(chain=school.pk).last_seq == total
