"""A student name or a set title that looks like a formula is exported as text (issue 9)."""

from io import BytesIO

from openpyxl import load_workbook

from chuangyou.org import services as org_services
from chuangyou.org.rules import SYSTEM
from chuangyou.practice.tests.helpers import make_set
from chuangyou.testing import World

PAYLOAD = '=HYPERLINK("http://x","点我")'


def _cells_with(data: bytes, text: str) -> list[tuple[str, str, bool]]:
    book = load_workbook(BytesIO(data))
    return [
        (sheet.title, cell.data_type, bool(cell.quotePrefix))
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and text in cell.value
    ]


def test_the_set_report_and_the_class_sheet_keep_a_planted_formula_as_text(world: World) -> None:
    org_services.create_student(
        actor=SYSTEM, school_class=world.class_1, student_no="S099", name=PAYLOAD, gender="F",
        guardians=[("家长", "13900000099")],
    )  # fmt: skip
    exercise_set = make_set(world, title=PAYLOAD)
    client = world.client("hu")
    report = client.get(f"/school/yizhong/practice/{exercise_set.pk}/report.xlsx")
    assert report.status_code == 200
    assert _cells_with(report.content, "HYPERLINK") == [
        ("各班完成情况", "s", False),  # "数学 · =HYPERLINK…（…周）": text, and not at the start
        ("学生明细", "s", True),
    ]
    record = client.get(f"/school/yizhong/practice/classes/{world.class_1.pk}.xlsx")
    assert record.status_code == 200
    assert _cells_with(record.content, "HYPERLINK") == [("学生明细", "s", False), ("学生明细", "s", True)]
    values = [c.value for c in load_workbook(BytesIO(record.content))["学生明细"][3]]
    assert values[1] == PAYLOAD
