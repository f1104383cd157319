"""Sealed blocks and checkpoints catch every way of rewriting the log that a database writer has:
an edited, deleted or reordered entry, a cut tail, a deleted chain, and a chain recomputed from an edit on.
`verify-audit` reports them (against a checkpoint where only a checkpoint can tell) and exits 1."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from chuangyou.audit.models import AuditBlock, AuditEntry, AuditHead
from chuangyou.audit.services import (
    CheckpointError,
    block_mac,
    make_checkpoint,
    merkle_root,
    read_checkpoint,
    seal_all,
    seal_pending,
    verify_chain,
)
from chuangyou.org import services
from chuangyou.org.models import Role
from chuangyou.org.rules import SYSTEM
from chuangyou.testing import World

ENTRIES = AuditEntry._meta.db_table
BLOCKS = AuditBlock._meta.db_table
HEADS = AuditHead._meta.db_table


def sql(statement: str, params: list[object]) -> None:
    """Change the log behind the ORM's back, as someone with database access would."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def seqs(world: World) -> list[int]:
    entries = AuditEntry.objects.filter(chain=world.school.pk).order_by("seq")
    return list(entries.values_list("seq", flat=True))


def run_verify(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify-audit", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def two_blocks(world: World, tmp_path: Path) -> Path:
    """The school's chain sealed as two blocks (the world, then two more entries), and a checkpoint
    of it saved to a file, as the supervision group would."""
    seal_all()
    services.ensure_class(actor=SYSTEM, school=world.school, level=8, number=1)  # the grade and the class
    seal_pending(chain=world.school.pk)
    path = tmp_path / "checkpoint.json"
    path.write_text(make_checkpoint(chain=world.school.pk, school_code="yizhong").to_json(), encoding="utf-8")
    return path


def test_an_untouched_chain_verifies_with_and_without_its_checkpoint(world: World, two_blocks: Path) -> None:
    count = len(seqs(world))
    head = AuditHead.objects.get(chain=world.school.pk)
    assert head.blocks == 2

    plain = run_verify("--school", "yizhong")
    against = run_verify("--school", "yizhong", "--checkpoint", str(two_blocks))

    assert plain == (
        0,
        f"审计日志链完整：共 {count} 条已封存的记录，2 个封存块。\n"
        f"示例县第一中学 链尾哈希：{head.last_hash}\n",
        "",
    )
    checkpoint = json.loads(two_blocks.read_text(encoding="utf-8"))
    assert against[1].splitlines()[1] == f"与 {checkpoint['issued_at']} 的检查点一致。"
    assert against[0] == 0
    assert checkpoint["chains"] == [
        {"chain": world.school.pk, "label": "示例县第一中学", "blocks": 2, "tip": head.last_hash,
         "last_seq": seqs(world)[-1]},
    ]  # fmt: skip


def test_every_chain_is_checked_and_listed_without_a_school(world: World) -> None:
    seal_all()
    code, out, _err = run_verify()
    assert code == 0
    count = AuditEntry.objects.count()
    assert out.splitlines()[0] == f"审计日志链完整：共 {count} 条已封存的记录，3 个封存块。"
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


def edit_a_row(world: World) -> str:
    victim = seqs(world)[4]
    sql(f"UPDATE {ENTRIES} SET object_repr = %s WHERE seq = %s", ["改过的名字", victim])  # noqa: S608
    return f"第 {victim} 条记录的内容与其哈希不符（被修改）。"


def edit_a_row_and_its_hash(world: World) -> str:
    victim = AuditEntry.objects.get(seq=seqs(world)[4])
    victim.object_repr = "改过的名字"
    sql(
        f"UPDATE {ENTRIES} SET object_repr = %s, entry_hash = %s WHERE seq = %s",  # noqa: S608
        [victim.object_repr, victim.compute_hash(), victim.seq],
    )
    return "第 1 个封存块的记录与其默克尔根不符。"


def delete_a_row(world: World) -> str:
    victim = seqs(world)[6]
    sql(f"DELETE FROM {ENTRIES} WHERE seq = %s", [victim])  # noqa: S608
    return f"第 {victim} 条记录缺失（被删除）。"


def reorder_two_rows(world: World) -> str:
    first, second = seqs(world)[2:4]
    for old, new in ((first, -1), (second, first), (-1, second)):
        sql(f"UPDATE {ENTRIES} SET seq = %s WHERE seq = %s", [new, old])  # noqa: S608
    return "\n".join(f"第 {seq} 条记录的内容与其哈希不符（被修改）。" for seq in (first, second))


def cut_the_tail_and_rewind(world: World) -> str:
    first_block = AuditBlock.objects.get(chain=world.school.pk, number=1)
    sql(f"DELETE FROM {ENTRIES} WHERE seq > %s AND chain = %s", [first_block.last_seq, world.school.pk])  # noqa: S608
    sql(f"DELETE FROM {BLOCKS} WHERE chain = %s AND number = 2", [world.school.pk])  # noqa: S608
    sql(
        f"UPDATE {HEADS} SET blocks = 1, last_hash = %s WHERE chain = %s",  # noqa: S608
        [first_block.block_hash, world.school.pk],
    )
    return ""  # a consistent shorter chain: only a checkpoint can tell


def delete_the_chain_and_its_head(world: World) -> str:
    sql(f"DELETE FROM {ENTRIES} WHERE chain = %s", [world.school.pk])  # noqa: S608
    sql(f"DELETE FROM {BLOCKS} WHERE chain = %s", [world.school.pk])  # noqa: S608
    sql(f"DELETE FROM {HEADS} WHERE chain = %s", [world.school.pk])  # noqa: S608
    return ""


def recompute_the_chain_after_an_edit(world: World) -> str:
    """Edit one entry, then rebuild its leaf hash, every block's root, link and seal, and the head: all a
    database writer can do, but with a key of their own."""
    victim = seqs(world)[4]
    sql(f"UPDATE {ENTRIES} SET object_repr = %s WHERE seq = %s", ["改过的名字", victim])  # noqa: S608
    prev = "0" * 64
    with override_settings(AUDIT_SEAL_KEY="the-attacker-s-own-key"):
        for block in AuditBlock.objects.filter(chain=world.school.pk).order_by("number"):
            entries = [AuditEntry.objects.get(seq=seq) for seq in block.seqs]
            leaves = [entry.compute_hash() for entry in entries]
            for entry, leaf in zip(entries, leaves, strict=True):
                sql(f"UPDATE {ENTRIES} SET entry_hash = %s WHERE seq = %s", [leaf, entry.seq])  # noqa: S608
            block.root, block.prev_hash = merkle_root(leaves), prev
            block.block_hash = block_mac(block)
            sql(
                f"UPDATE {BLOCKS} SET root = %s, prev_hash = %s, block_hash = %s WHERE id = %s",  # noqa: S608
                [block.root, block.prev_hash, block.block_hash, block.pk],
            )
            prev = block.block_hash
    sql(f"UPDATE {HEADS} SET last_hash = %s WHERE chain = %s", [prev, world.school.pk])  # noqa: S608
    return "第 1 个封存块的封签不符（块被改写或重算）。\n第 2 个封存块的封签不符（块被改写或重算）。"


TRUNCATED = "检查点记录本链已封存 2 块，数据库里只有 {n} 块（末尾被截断，或整条链被删除）。"
REWRITTEN = "第 2 个封存块与检查点记录的不符（历史被改写）。"


@pytest.mark.parametrize(
    ("tamper", "with_checkpoint_also"),
    [
        (edit_a_row, ""),
        (edit_a_row_and_its_hash, ""),
        (delete_a_row, ""),
        (reorder_two_rows, ""),
        (cut_the_tail_and_rewind, TRUNCATED.format(n=1)),
        (delete_the_chain_and_its_head, TRUNCATED.format(n=0)),
        (recompute_the_chain_after_an_edit, REWRITTEN),
    ],
)
def test_tampering_is_caught(
    world: World, two_blocks: Path, tamper: Callable[[World], str], with_checkpoint_also: str
) -> None:
    blocks_before = list(AuditBlock.objects.values_list("pk", "block_hash"))
    without = tamper(world).splitlines()
    expected = [*without, *([with_checkpoint_also] if with_checkpoint_also else [])]

    assert verify_chain(school=world.school).problems == without
    checkpoint = read_checkpoint(two_blocks.read_text())
    assert verify_chain(school=world.school, checkpoint=checkpoint).problems == expected
    code, out, err = run_verify("--school", "yizhong", "--checkpoint", str(two_blocks))
    assert code == 1
    assert out == ""
    assert err.splitlines()[:-1] == expected
    assert err.splitlines()[-1].startswith("审计日志链已损坏：")
    assert blocks_before  # the fixture sealed something to tamper with


def test_a_break_in_one_school_is_named_and_leaves_the_others_intact(world: World) -> None:
    seal_all()
    victim = edit_a_row(world)

    assert verify_chain().problems == [f"示例县第一中学：{victim}"]
    assert verify_chain(school=world.other_school).ok


def test_an_edited_checkpoint_is_refused(world: World, two_blocks: Path) -> None:
    data = json.loads(two_blocks.read_text(encoding="utf-8"))
    data["chains"][0]["blocks"] = 1
    two_blocks.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(CheckpointError, match="检查点的签名不符"):
        read_checkpoint(two_blocks.read_text(encoding="utf-8"))
    assert run_verify("--checkpoint", str(two_blocks)) == (
        1, "", "检查点的签名不符：文件被改动过，或不是本系统签发的。\n",
    )  # fmt: skip


def test_a_checkpoint_of_another_school_is_refused(world: World, two_blocks: Path) -> None:
    code, _out, err = run_verify("--school", "erzhong", "--checkpoint", str(two_blocks))
    assert code == 1
    assert err.splitlines()[0] == "检查点属于另一条链，不能用来核对本校的日志。"


def test_entries_not_yet_sealed_are_reported_and_sealed_later(world: World, two_blocks: Path) -> None:
    # A test never commits, so this entry isn't sealed.
    services.ensure_class(actor=SYSTEM, school=world.school, level=8, number=2)

    code, out, _err = run_verify("--school", "yizhong", "--checkpoint", str(two_blocks))
    assert code == 0
    assert "另有 1 条记录尚未封存（未经校验）。" in out.splitlines()
    assert verify_chain(school=world.school).unsealed == 1

    assert seal_pending(chain=world.school.pk) == 1
    report = verify_chain(school=world.school, checkpoint=read_checkpoint(two_blocks.read_text()))
    assert (report.ok, report.unsealed, report.blocks) == (True, 0, 3)


def test_a_committed_write_seals_its_own_entries(world: World, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    seal_all()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.ensure_class(actor=SYSTEM, school=world.school, level=8, number=1)
        services.ensure_class(actor=SYSTEM, school=world.other_school, level=8, number=1)

    assert callbacks  # the sealers ran after "commit"
    assert AuditEntry.objects.filter(block=None).count() == 0
    second_blocks = AuditBlock.objects.filter(number=2).order_by("chain")
    chains = sorted([world.school.pk, world.other_school.pk])
    assert list(second_blocks.values_list("chain", flat=True)) == chains
    assert verify_chain().ok


def test_merkle_root_is_rfc_6962() -> None:
    a, b, c = ("aa" * 32), ("bb" * 32), ("cc" * 32)

    def node(left: str, right: str) -> str:
        return hashlib.sha256(b"\x01" + bytes.fromhex(left) + bytes.fromhex(right)).hexdigest()

    assert merkle_root([a]) == a
    assert merkle_root([a, b]) == node(a, b)
    assert merkle_root([a, b, c]) == node(node(a, b), c)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_audited_writes_are_all_sealed_into_one_unbroken_chain() -> None:
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
    assert AuditEntry.objects.filter(chain=school.pk).count() == total
    assert AuditEntry.objects.filter(chain=school.pk, block=None).count() == 0  # every writer's seal ran
    report = verify_chain(school=school)
    assert report.ok, report.problems
    assert report.checked == total
    blocks = AuditBlock.objects.filter(chain=school.pk).order_by("number")
    sealed = [seq for block in blocks for seq in block.seqs]
    # each entry in exactly one block; an entry whose number was drawn first but that committed last
    # lands in a later block, so the blocks follow commit order, not number order
    assert sorted(sealed) == sorted(AuditEntry.objects.filter(chain=school.pk).values_list("seq", flat=True))
    assert len(sealed) == len(set(sealed))
    assert len(sealed) == total
