"""Every workbook is written through lib.xlsx, which keeps typed text as text and numbers as numbers."""

import datetime as dt
import io
import pathlib
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from chuangyou.lib.xlsx import BOLD, Book, Styled

PAYLOAD = '=HYPERLINK("http://x","点我")'
SOURCE = pathlib.Path(__file__).resolve().parents[2]


def _read_back(data: bytes) -> list[list[tuple[object, str, bool]]]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [[(c.value, c.data_type, bool(c.quotePrefix)) for c in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("write_only", [True, False])
def test_text_that_looks_like_a_formula_is_stored_as_text(write_only: bool) -> None:
    book = Book(write_only=write_only)
    sheet = book.sheet("表[1]:测试/导出")
    sheet.append([PAYLOAD, "+1+2", "-3", "@SUM(A1)", "\tx", "\rx", "#REF!", "普通"])
    sheet.append([7, 2.5, Decimal("1.25"), dt.date(2026, 12, 7), True, None, Styled(PAYLOAD), Styled(8)])
    sheet.append(["标题"], font=BOLD)
    data = book.to_bytes()
    [texts, values, header] = _read_back(data)
    assert texts == [
        (PAYLOAD, "s", True),
        ("+1+2", "s", True),
        ("-3", "s", True),
        ("@SUM(A1)", "s", True),
        ("\tx", "s", True),
        ("\rx", "s", True),
        ("#REF!", "s", False),
        ("普通", "s", False),
    ]
    assert values[:5] == [(7, "n", False), (2.5, "n", False), (1.25, "n", False),
                          (dt.datetime(2026, 12, 7), "d", False), (True, "b", False)]  # fmt: skip
    assert values[5][0] is None
    assert values[6:] == [(PAYLOAD, "s", True), (8, "n", False)]
    assert header[0] == ("标题", "s", False)
    assert load_workbook(io.BytesIO(data)).sheetnames == ["表1测试导出"]


def test_control_characters_are_dropped_and_long_text_cut_to_excels_limit() -> None:
    book = Book()
    book.sheet("s").append(["a\x00b\x07c", "长" * 40_000])
    [[short, long]] = _read_back(book.to_bytes())
    assert short == ("abc", "s", False)
    assert long[0] == "长" * 32_767


def test_no_module_writes_a_workbook_without_the_helper() -> None:
    """openpyxl's Workbook and WriteOnlyCell write formulas from text; only lib/xlsx.py may use them."""
    pattern = re.compile(r"\bWorkbook\(|import Workbook|WriteOnlyCell|xlsxwriter")
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "xlsx.py"
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
