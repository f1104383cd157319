"""In the browser: a school admin fills the template, reads the error report, fixes the file, imports it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from chuangyou.e2e_support import login_as
from chuangyou.testing import World

ROWS = [
    ["S301", "冯一", "男", "初二", "(4)班", "冯父", "13500000001"],
    ["S302", "冯二", "女", "", "八年级4班", "冯父", "13500000001"],
    ["S303", "陈三", "女", "初二", "4", "陈母", "1350000003"],  # one digit short
]


def fill_template(template: Path, out: Path, rows: list[list[str]]) -> Path:
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    workbook.save(out)
    return out


@pytest.mark.e2e
def test_admin_imports_the_template_roster_and_fixes_a_bad_file(
    live_world: World, live_server: Any, page: Any, tmp_path: Path
) -> None:
    login_as(page, live_server.url, live_world.alice)
    page.goto(f"{live_server.url}/school/yizhong/people/students/")
    page.click("text=导入名单")
    page.wait_for_url("**/school/yizhong/roster/")

    with page.expect_download() as template_download:
        page.click("[data-testid=template-students]")
    template = tmp_path / "template.xlsx"
    template_download.value.save_as(template)

    # A file with one bad phone number: nothing is written, the page says where and why.
    page.set_input_files("input[name=file]", str(fill_template(template, tmp_path / "学生名单.xlsx", ROWS)))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_selector("[data-testid=import-status][data-status=invalid]")
    errors = page.locator("[data-testid=errors] tbody tr")
    assert errors.count() == 1
    assert errors.first.inner_text().split("\t") == [
        "4",
        "家长手机号",
        "手机号“1350000003”不正确，应为 1 开头的 11 位数字。",
    ]

    with page.expect_download() as report_download:
        page.click("[data-testid=error-report]")
    report = tmp_path / "report.xlsx"
    report_download.value.save_as(report)
    annotated = load_workbook(report).worksheets[0]
    assert annotated["H4"].value == "家长手机号：手机号“1350000003”不正确，应为 1 开头的 11 位数字。"

    # The office fixes the number in the report itself and uploads that (its extra column is ignored).
    annotated["G4"] = "13500000003"
    annotated["H4"] = None
    annotated.parent.save(report)
    page.set_input_files("[data-testid=reupload-form] input[name=file]", str(report))
    page.click("[data-testid=reupload-form] button[type=submit]")
    page.wait_for_selector("[data-testid=import-status][data-status=ready]")
    assert page.inner_text("[data-testid=count-created]") == "3"
    assert page.inner_text("[data-testid=count-unchanged]") == "0"

    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=done]")
    assert page.inner_text("[data-testid=count-created]") == "3"

    page.click("[data-testid=done] a")
    page.wait_for_url("**/people/students/")
    assert page.inner_text("[data-testid=student-count]") == "共 5 名学生"
    body = page.inner_text("main")
    for name in ("冯一", "冯二", "陈三"):
        assert name in body
    assert "初二（4）班" in body
