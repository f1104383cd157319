"""The supervision group downloads a signed checkpoint from the audit pages and checks the log against it."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from chuangyou.audit.models import AuditBlock, AuditEntry, AuditHead
from chuangyou.audit.services import read_checkpoint
from chuangyou.org.models import School
from chuangyou.testing import PERSONAS, World

READERS = {"alice", "su", "ju"}


def url(school: School, suffix: str = "") -> str:
    return f"/school/{school.code}/audit/{suffix}"


def test_the_log_page_links_to_the_checkpoints(world: World) -> None:
    html = world.client("su").get(url(world.school)).content.decode()
    verify = world.client("su").get(url(world.school, "verify/")).content.decode()

    assert f'href="{url(world.school, "verify/")}" data-testid="checkpoints"' in html
    assert f'href="{url(world.school, "checkpoint.json")}" data-testid="download-checkpoint"' in verify


def test_download_seals_the_school_s_entries_and_signs_its_tip(world: World) -> None:
    count = AuditEntry.objects.filter(chain=world.school.pk).count()

    response = world.client("su").get(url(world.school, "checkpoint.json"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-checkpoint-yizhong-')
    checkpoint = read_checkpoint(response.content.decode())
    head = AuditHead.objects.get(chain=world.school.pk)
    assert checkpoint.school == "yizhong"
    assert checkpoint.unsealed == 0
    assert [(c.chain, c.label, c.blocks, c.tip) for c in checkpoint.chains] == [
        (world.school.pk, "示例县第一中学", 1, head.last_hash)
    ]
    assert AuditEntry.objects.filter(chain=world.school.pk, block__isnull=False).count() == count
    assert AuditEntry.objects.filter(chain=world.other_school.pk, block__isnull=False).count() == 0


@pytest.mark.parametrize("name", sorted(set(PERSONAS) - READERS))
def test_others_may_not_download_and_nothing_is_sealed(world: World, name: str) -> None:
    response = world.client(name).get(url(world.school, "checkpoint.json"))

    assert response.status_code == 403
    assert "只有监督小组、学校管理员和教育局管理员可以下载检查点。" in response.content.decode()
    assert AuditBlock.objects.count() == 0


def upload(world: World, body: bytes) -> str:
    return (
        world.client("su")
        .post(url(world.school, "verify/"), {"checkpoint": SimpleUploadedFile("cp.json", body)})
        .content.decode()
    )


def test_the_checkpoint_uploaded_back_confirms_the_log_then_catches_a_cut_tail(world: World) -> None:
    body = world.client("su").get(url(world.school, "checkpoint.json")).content

    assert 'data-testid="checkpoint-ok"' in upload(world, body)

    with connection.cursor() as cursor:  # delete the chain, its blocks and its head
        for model in (AuditEntry, AuditBlock, AuditHead):
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE chain = %s", [world.school.pk])  # noqa: S608
    html = upload(world, body)
    assert "检查点记录本链已封存 1 块，数据库里只有 0 块（末尾被截断，或整条链被删除）。" in html
    assert 'data-testid="checkpoint-ok"' not in html


def test_an_edited_checkpoint_is_refused_on_the_page(world: World) -> None:
    data = json.loads(world.client("su").get(url(world.school, "checkpoint.json")).content)
    data["chains"][0]["tip"] = "0" * 64

    html = upload(world, json.dumps(data).encode())

    assert "检查点的签名不符：文件被改动过，或不是本系统签发的。" in html
    assert 'data-testid="checkpoint-ok"' not in html
