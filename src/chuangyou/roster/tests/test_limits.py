"""What a roster upload may cost: zip bombs, too many rows or cells, and an import whose worker died."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangyou.org.models import Student
from chuangyou.roster.models import RosterImport, Status
from chuangyou.roster.tests.workbooks import csv_bytes, students, xlsx
from chuangyou.testing import World

Capture = Callable[..., AbstractContextManager[Any]]
ROW = ["S1{:02d}", "韩{}", "男", "初一", "1", "韩父", "136000000{:02d}"]


def _rows(count: int) -> list[list[str]]:
    return students(*[[c.format(i) for c in ROW] for i in range(count)])


def _with_shared_strings(size: int) -> bytes:
    """A real roster with a sharedStrings.xml of `size` bytes unpacked: the whole file zips to a few KB."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(_rows(1))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info.filename, source.read(info))
        head, tail = (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><!--',
            b"--></sst>",
        )
        bomb.writestr("xl/sharedStrings.xml", head + b"a" * (size - len(head) - len(tail)) + tail)
    return out.getvalue()


def _upload(world: World, capture: Capture, data: bytes, name: str) -> Any:
    with capture(execute=True):
        return world.client("alice").post("/school/yizhong/roster/", {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("size", "limits", "message"),
    [
        (
            3 * 1024 * 1024,
            {"XLSX_MAX_SHARED_STRINGS_BYTES": 2 * 1024 * 1024},
            "这个表格的文字内容解压后有 3 MB，超过上限 2 MB，请只保留名单所需的列。",
        ),
        (
            3 * 1024 * 1024,
            {"XLSX_MAX_UNPACKED_BYTES": 2 * 1024 * 1024},
            "这个表格解压后有 3 MB，超过上限 2 MB，请删去多余的工作表或内容后再上传。",
        ),
        (
            3 * 1024 * 1024,
            {},  # the default limits: 20 MB of strings, but a ratio of 100
            "这个表格的压缩比异常（xl/sharedStrings.xml 压缩了",
        ),
    ],
)
def test_a_zip_bomb_is_refused_at_upload_before_it_is_unpacked(
    world: World, settings: Any, django_capture_on_commit_callbacks: Capture, size: int,
    limits: dict[str, int], message: str,
) -> None:  # fmt: skip
    for name, value in limits.items():
        setattr(settings, name, value)
    data = _with_shared_strings(size)
    assert len(data) < 30_000
    response = _upload(world, django_capture_on_commit_callbacks, data, "名单.xlsx")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_workbook_under_the_limits_still_imports(
    world: World, settings: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.XLSX_MAX_COMPRESSION_RATIO = 10_000
    _upload(world, django_capture_on_commit_callbacks, _with_shared_strings(3 * 1024 * 1024), "名单.xlsx")
    assert RosterImport.objects.get().status == Status.READY


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("ROSTER_MAX_ROWS", 5, "名单超过 5 行，请分成几个文件上传。"),
        ("ROSTER_MAX_CELLS", 30, "名单超过 30 个单元格，请删去多余的列或分成几个文件上传。"),
    ],
)
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_too_many_rows_or_cells_fail_the_check_with_a_message(
    world: World, settings: Any, django_capture_on_commit_callbacks: Capture, setting: str, value: int,
    message: str, kind: str,
) -> None:  # fmt: skip
    setattr(settings, setting, value)
    rows = _rows(6)
    data = xlsx(rows) if kind == "xlsx" else csv_bytes(rows, "utf-8")
    response = _upload(world, django_capture_on_commit_callbacks, data, f"名单.{kind}")
    item = RosterImport.objects.get()
    assert (item.status, item.message) == (Status.FAILED, message)
    assert message in world.client("alice").get(response["Location"]).content.decode()
    assert Student.objects.filter(school=world.school).count() == 2


def test_five_rows_are_within_a_limit_of_five(
    world: World, settings: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.ROSTER_MAX_ROWS = 5
    _upload(world, django_capture_on_commit_callbacks, xlsx(_rows(5)), "名单.xlsx")
    assert (RosterImport.objects.get().status, RosterImport.objects.get().rows) == (Status.READY, 5)


def test_a_check_that_runs_out_of_time_stops(
    world: World, settings: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.ROSTER_CHECK_SECONDS = 0
    _upload(world, django_capture_on_commit_callbacks, csv_bytes(_rows(600), "utf-8"), "名单.csv")
    item = RosterImport.objects.get()
    assert (item.status, item.message) == (
        Status.FAILED,
        "名单检查超过 0 秒仍未完成，已停止，请分成几个较小的文件上传。",
    )


@pytest.mark.parametrize("status", [Status.PENDING, Status.CHECKING, Status.APPLYING])
def test_an_import_whose_worker_died_is_marked_failed_when_read(world: World, status: Status) -> None:
    now = timezone.now()

    def running(minutes: int) -> RosterImport:
        return RosterImport.objects.create(
            school=world.school, uploaded_by=world.alice, original_name="a.xlsx", kind="students",
            status=status, status_changed_at=now - dt.timedelta(minutes=minutes),
        )  # fmt: skip

    dead, alive = running(31), running(29)
    other = RosterImport.objects.create(
        school=world.other_school, uploaded_by=world.oscar, original_name="b.xlsx", kind="students",
        status=status, status_changed_at=now - dt.timedelta(minutes=31),
    )  # fmt: skip
    page = world.client("alice").get(f"/school/yizhong/roster/imports/{dead.pk}/").content.decode()
    assert "检查或导入中断（服务器可能重启过），没有写入任何数据。请重新上传这份名单。" in page
    assert 'hx-trigger="every' not in page  # it stopped polling
    dead.refresh_from_db()
    assert (dead.status, dead.finished_at is not None) == (Status.FAILED, True)
    assert RosterImport.objects.get(pk=alive.pk).status == status
    assert RosterImport.objects.get(pk=other.pk).status == status  # another school's is its own to read
    api = world.client("alice").get(f"/api/v1/schools/yizhong/roster-imports/{alive.pk}")
    assert api.json()["status"] == status
