"""A roster row that looks like a formula comes back in the error report as text, as uploaded (issue 9)."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from chuangyou.roster.models import RosterImport, Status
from chuangyou.roster.tests.workbooks import csv_bytes, students
from chuangyou.testing import World

PAYLOAD = '=HYPERLINK("http://x","点我")'


def test_the_error_report_keeps_a_planted_formula_as_text(
    world: World, django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]]
) -> None:
    rows = students([" S101", PAYLOAD, "男", "初一", "1", "+86 韩父", "136000"])
    with django_capture_on_commit_callbacks(execute=True):
        world.client("alice").post(
            "/school/yizhong/roster/", {"file": SimpleUploadedFile("名单.csv", csv_bytes(rows, "utf-8"))}
        )
    item = RosterImport.objects.get()
    assert item.status == Status.INVALID
    report = world.client("alice").get(f"/school/yizhong/roster/imports/{item.pk}/errors.xlsx")
    annotated = load_workbook(io.BytesIO(b"".join(report.streaming_content))).worksheets[0]  # type: ignore[attr-defined]
    name, parent = annotated["B2"], annotated["F2"]
    assert (name.value, name.data_type, name.quotePrefix) == (PAYLOAD, "s", True)
    assert (parent.value, parent.data_type, parent.quotePrefix) == ("+86 韩父", "s", True)
    assert {c.data_type for r in annotated.iter_rows() for c in r if c.value is not None} == {"s"}
