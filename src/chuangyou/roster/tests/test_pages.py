"""The import pages and the API: upload → background check → preview → confirm, for the school admin only."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from chuangyou.audit.models import AuditEntry
from chuangyou.org.models import Student
from chuangyou.roster.models import RosterImport, Status
from chuangyou.roster.services import progress_key
from chuangyou.roster.tests.workbooks import students, xlsx
from chuangyou.testing import PERSONAS, World

GOOD = students(
    ["S101", "韩一", "男", "初一", "1", "韩父", "13600000001"],
    ["S102", "韩二", "女", "初一", "3", "韩父", "13600000001"],
)
BAD = students(
    ["S101", "韩一", "男", "初一", "1", "韩父", "13600000001"],
    ["S102", "韩二", "女", "初四", "3", "韩父", "136000"],
)
Capture = Callable[..., AbstractContextManager[Any]]


def upload_file(data: bytes, name: str = "名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def post_upload(client: Client, world: World, data: bytes, capture: Capture, name: str = "名单.xlsx") -> Any:
    # The check is queued on commit; the test backend runs it at once.
    with capture(execute=True):
        return client.post(f"/school/{world.school.code}/roster/", {"file": upload_file(data, name)})


@pytest.mark.django_db
def test_upload_preview_confirm(world: World, django_capture_on_commit_callbacks: Capture) -> None:
    alice = world.client("alice")
    response = post_upload(alice, world, xlsx(GOOD), django_capture_on_commit_callbacks)
    item = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/school/yizhong/roster/imports/{item.pk}/"
    assert (item.status, item.kind, item.rows, item.created_count, item.uploaded_by) == (
        Status.READY, "students", 2, 2, world.alice,
    )  # fmt: skip
    assert Student.objects.filter(student_no__in=["S101", "S102"]).count() == 0

    page = alice.get(response["Location"]).content.decode()
    assert 'data-testid="count-created">2<' in page
    assert "新建班级：1；新增家长：1" in page
    assert "确认导入" in page

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = alice.post(f"/school/yizhong/roster/imports/{item.pk}/confirm/")
    assert confirmed.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.confirmed_by, item.created_count) == (Status.DONE, world.alice, 2)
    assert sorted(Student.objects.filter(school=world.school).values_list("student_no", flat=True)) == [
        "S001", "S002", "S101", "S102",
    ]  # fmt: skip
    assert "导入完成。" in alice.get(response["Location"]).content.decode()

    again = alice.post(f"/school/yizhong/roster/imports/{item.pk}/confirm/", follow=True)
    assert "这份名单已确认过，或尚未检查完毕，请刷新页面。" in again.content.decode()


@pytest.mark.django_db
def test_a_bad_file_shows_each_error_and_offers_the_annotated_workbook(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    alice = world.client("alice")
    response = post_upload(alice, world, xlsx(BAD), django_capture_on_commit_callbacks)
    item = RosterImport.objects.get()
    assert (item.status, item.error_count) == (Status.INVALID, 2)
    assert item.errors == [
        {
            "row": 3,
            "column": "年级",
            "message": "年级“初四”无法识别，请写成 初一、七年级 或 高二 这样的形式。",
        },
        {"row": 3, "column": "家长手机号", "message": "手机号“136000”不正确，应为 1 开头的 11 位数字。"},
    ]
    page = alice.get(response["Location"]).content.decode()
    assert "发现 2 处错误，没有写入任何数据。" in page
    assert "<td>3</td><td>家长手机号</td>" in page
    assert "确认导入" not in page

    report = alice.get(f"/school/yizhong/roster/imports/{item.pk}/errors.xlsx")
    assert report.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(report.streaming_content)))  # type: ignore[attr-defined]
    annotated = workbook.worksheets[0]
    assert [c.value for c in annotated[1]] == [*GOOD[0], "错误说明"]
    assert annotated["H3"].value == (
        "年级：年级“初四”无法识别，请写成 初一、七年级 或 高二 这样的形式。；"
        "家长手机号：手机号“136000”不正确，应为 1 开头的 11 位数字。"
    )
    assert annotated["H2"].value is None
    assert (annotated["D3"].fill.fgColor.rgb, annotated["G3"].fill.fgColor.rgb) == ("00F8D7DA", "00F8D7DA")
    assert annotated["A3"].fill.fill_type is None
    assert [[c.value for c in row] for row in workbook["错误清单"].iter_rows(min_row=2)] == [
        [3, "年级", "年级“初四”无法识别，请写成 初一、七年级 或 高二 这样的形式。"],
        [3, "家长手机号", "手机号“136000”不正确，应为 1 开头的 11 位数字。"],
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("名单.xls", b"\xd0\xcf\x11\xe0rest", "这是旧版 Excel（.xls）文件"),
        ("照片.png", b"\x89PNG\r\n", "只能导入 .xlsx 或 .csv 文件。"),
        ("空.csv", b"", "所提交的是空文件。"),
    ],
)
def test_wrong_files_are_refused_on_the_form(
    world: World, django_capture_on_commit_callbacks: Capture, name: str, data: bytes, message: str
) -> None:
    response = post_upload(world.client("alice"), world, data, django_capture_on_commit_callbacks, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RosterImport.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(
    world: World, settings: Any, django_capture_on_commit_callbacks: Capture
) -> None:
    settings.ROSTER_UPLOAD_MAX_BYTES = 1024 * 1024
    data = b"\xef\xbb\xbf" + ("学号,姓名\n" + "S1,张三\n" * 210_000).encode()
    assert len(data) == 2_100_017
    response = post_upload(
        world.client("alice"), world, data, django_capture_on_commit_callbacks, name="大.csv"
    )
    assert "文件太大（2.0 MB），最大 1 MB。请分成几个文件上传。" in response.content.decode()
    assert not RosterImport.objects.exists()


@pytest.mark.django_db
def test_a_running_import_polls_and_shows_its_progress(world: World) -> None:
    item = RosterImport.objects.create(
        school=world.school,
        uploaded_by=world.alice,
        original_name="a.xlsx",
        kind="students",
        status=Status.APPLYING,
    )
    cache.set(progress_key(item.pk), {"phase": "writing", "done": 25000, "total": 50000})
    response = world.client("alice").get(f"/school/yizhong/roster/imports/{item.pk}/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="import-status"')
    assert 'hx-trigger="every 1s"' in html
    assert 'style="width: 50%"' in html
    assert "25000 / 50000 行" in html

    RosterImport.objects.filter(pk=item.pk).update(status=Status.DONE)
    finished = world.client("alice").get(f"/school/yizhong/roster/imports/{item.pk}/", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every' not in finished.content.decode()


@pytest.mark.django_db
def test_templates_download_with_chinese_headers(world: World) -> None:
    response = world.client("alice").get("/school/yizhong/roster/template/staff.xlsx")
    assert response.status_code == 200
    assert "filename*=UTF-8''%E6%95%99%E8%81%8C%E5%B7%A5" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["工号", "姓名", "性别", "手机号", "任教学科", "是否党员", "职务"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "alice"])
def test_pages_refuse_everyone_but_the_school_admin(
    world: World, name: str, django_capture_on_commit_callbacks: Capture
) -> None:
    post_upload(world.client("alice"), world, xlsx(GOOD), django_capture_on_commit_callbacks)
    item = RosterImport.objects.get()
    entries = AuditEntry.objects.count()
    client = world.client(name)
    base = f"/school/{world.school.code}/roster"

    assert client.get(f"{base}/").status_code == 403
    assert post_upload(client, world, xlsx(GOOD), django_capture_on_commit_callbacks).status_code == 403
    assert client.get(f"{base}/imports/{item.pk}/").status_code == 403
    assert client.get(f"{base}/template/students.xlsx").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{base}/imports/{item.pk}/confirm/").status_code == 403

    item.refresh_from_db()
    assert (RosterImport.objects.count(), item.status, item.confirmed_by) == (1, Status.READY, None)
    assert not Student.objects.filter(student_no="S101").exists()
    assert AuditEntry.objects.count() == entries


# --- API ---------------------------------------------------------------------------------------


def api_upload(client: Client, data: bytes, capture: Capture, **fields: Any) -> Any:
    """The upload's response shows the import queued; the checked result is fetched after the task ran."""
    with capture(execute=True):
        response = client.post(
            "/api/v1/schools/yizhong/roster-imports", {"file": upload_file(data), **fields}
        )
    return response


def api_result(client: Client, response: Any) -> Any:
    assert response.status_code == 201
    return client.get(f"/api/v1/schools/yizhong/roster-imports/{response.json()['id']}").json()


@pytest.mark.django_db
def test_api_dry_run_then_confirm(world: World, django_capture_on_commit_callbacks: Capture) -> None:
    alice = world.client("alice")
    response = api_upload(alice, xlsx(GOOD), django_capture_on_commit_callbacks)
    assert (response.status_code, response.json()["status"]) == (201, "pending")
    body = alice.get(f"/api/v1/schools/yizhong/roster-imports/{response.json()['id']}").json()
    assert {k: body[k] for k in ("kind", "status", "rows", "created", "updated", "unchanged", "errors")} == {
        "kind": "students", "status": "ready", "rows": 2, "created": 2, "updated": 0, "unchanged": 0,
        "errors": [],
    }  # fmt: skip
    assert body["details"] == {"classes_created": 1, "guardians_created": 1, "guardians_renamed": 0}

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = alice.post(f"/api/v1/schools/yizhong/roster-imports/{body['id']}/confirm")
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, "applying")
    fetched = alice.get(f"/api/v1/schools/yizhong/roster-imports/{body['id']}").json()
    assert (fetched["status"], fetched["created"]) == ("done", 2)
    assert Student.objects.filter(student_no__in=["S101", "S102"]).count() == 2
    assert alice.post(f"/api/v1/schools/yizhong/roster-imports/{body['id']}/confirm").status_code == 409


@pytest.mark.django_db
def test_api_direct_import_and_error_report(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    alice = world.client("alice")
    bad = api_result(alice, api_upload(alice, xlsx(BAD), django_capture_on_commit_callbacks, dry_run="false"))
    assert (bad["status"], bad["error_count"], bad["has_error_report"]) == ("invalid", 2, True)
    assert bad["errors"][1] == {
        "row": 3,
        "column": "家长手机号",
        "message": "手机号“136000”不正确，应为 1 开头的 11 位数字。",
    }
    report = alice.get(f"/api/v1/schools/yizhong/roster-imports/{bad['id']}/error-report")
    assert (report.status_code, report["Content-Type"]) == (
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert not Student.objects.filter(student_no="S101").exists()

    good = api_result(
        alice, api_upload(alice, xlsx(GOOD), django_capture_on_commit_callbacks, dry_run="false")
    )
    assert (good["status"], good["created"]) == ("done", 2)
    assert Student.objects.filter(student_no__in=["S101", "S102"]).count() == 2
    listed = alice.get("/api/v1/schools/yizhong/roster-imports").json()
    assert [i["status"] for i in listed["items"]] == ["done", "invalid"]
    template = alice.get("/api/v1/schools/yizhong/roster-template?kind=staff")
    assert load_workbook(io.BytesIO(template.content)).worksheets[0]["A1"].value == "工号"


@pytest.mark.django_db
def test_api_refuses_a_bad_file_with_422(world: World, django_capture_on_commit_callbacks: Capture) -> None:
    response = api_upload(world.client("alice"), b"\x89PNG\r\n", django_capture_on_commit_callbacks)
    assert (response.status_code, response.json()["detail"]) == (
        422,
        "文件不是有效的 .xlsx 表格，可能已损坏。",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "alice"])
def test_api_refuses_everyone_but_the_school_admin(
    world: World, name: str, django_capture_on_commit_callbacks: Capture
) -> None:
    client = world.client(name)
    response = api_upload(client, xlsx(GOOD), django_capture_on_commit_callbacks, dry_run="false")
    assert (response.status_code, response.json()["detail"]) == (403, "只有本校管理员可以导入名单。")
    assert client.get("/api/v1/schools/yizhong/roster-imports").json()["items"] == []
    assert client.get("/api/v1/schools/yizhong/roster-template").status_code == 403
    assert not RosterImport.objects.exists()
    assert not Student.objects.filter(student_no="S101").exists()
