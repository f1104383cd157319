"""Reading and cleaning roster text: the forms real school offices type."""

from __future__ import annotations

import io

import pytest

from chuangyou.lib.errors import Invalid
from chuangyou.lib.roster_text import (
    clean_cell,
    clean_header,
    clean_name,
    fold_width,
    head_teacher_classes,
    parse_class,
    parse_class_number,
    parse_gender,
    parse_grade,
    parse_mobile,
    parse_yes_no_party,
)
from chuangyou.roster.cleaning import clean
from chuangyou.roster.files import CellError, read_roster
from chuangyou.roster.models import Kind
from chuangyou.roster.tests.workbooks import csv_bytes, staff, students, xlsx


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("初一(3)班", (7, 3)),
        ("初一（3）班", (7, 3)),
        ("初一3班", (7, 3)),
        ("七年级3班", (7, 3)),
        ("七年级（3）班", (7, 3)),
        ("初一（三）班", (7, 3)),
        ("初 一 ３ 班", (7, 3)),
        ("初中二年级(12)班", (8, 12)),
        ("高二十班", (11, 10)),
        ("高三·5班", (12, 5)),
        ("小学三年级2班", (3, 2)),
        ("9年级1班", (9, 1)),
        ("初四3班", None),
        ("3班", None),
        ("初一", None),
        ("一班初一", None),
    ],
)
def test_class_forms(text: str, expected: tuple[int, int] | None) -> None:
    assert parse_class(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("初一", 7),
        ("七年级", 7),
        ("7", 7),
        ("高中二年级", 11),
        ("高三", 12),
        ("一年级", 1),
        ("13", None),
        ("初中", None),
    ],
)
def test_grade_column(text: str, expected: int | None) -> None:
    assert parse_grade(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3", 3), ("3班", 3), ("(3)班", 3), ("（3）班", 3), ("三班", 3), ("十二", 12), ("0", None)],
)
def test_class_column(text: str, expected: int | None) -> None:
    assert parse_class_number(text) == expected


def test_full_width_is_folded_and_spaces_trimmed() -> None:
    assert fold_width("ＳＴ００１（３）") == "ST001(3)"
    assert clean_cell("\u3000 Ｓ００１ \u00a0") == "S001"
    assert clean_cell(20240001) == "20240001"
    assert clean_cell(13800000001.0) == "13800000001"
    assert clean_cell(None) == ""
    assert clean_name("王  芳") == "王芳"
    assert clean_name("Anna Li") == "Anna Li"
    assert clean_header(" 学 号* ") == "学号"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("男", "M"),
        ("女", "F"),
        ("M", "M"),
        ("f", "F"),
        ("男生", "M"),
        ("女性", "F"),
        ("1", "M"),
        ("2", "F"),
        ("x", None),
    ],
)
def test_genders(text: str, expected: str | None) -> None:
    assert parse_gender(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13800000001", "13800000001"),
        ("138 0000 0001", "13800000001"),
        ("138-0000-0001", "13800000001"),
        ("+86 13800000001", "13800000001"),
        ("8613800000001", "13800000001"),
        ("1380000000", None),
        ("23800000001", None),
        ("138000000011", None),
        ("0731-8888888", None),
    ],
)
def test_mobile_numbers(text: str, expected: str | None) -> None:
    assert parse_mobile(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("是", True), ("Y", True), ("党员", True), ("中共预备党员", True), ("否", False), ("n", False),
     ("群众", False), ("共青团员", False), ("", False), ("也许", None)],
)  # fmt: skip
def test_party_membership(text: str, expected: bool | None) -> None:
    assert parse_yes_no_party(text) == expected


def test_head_teacher_classes_in_a_position() -> None:
    assert head_teacher_classes("语文教研组长、初一(3)班班主任") == [(7, 3)]
    assert head_teacher_classes("七年级3班班主任") == [(7, 3)]
    assert head_teacher_classes("教导主任") == []


def _sheet(data: bytes, name: str = "名单.xlsx") -> object:
    return read_roster(name, io.BytesIO(data))


def test_gbk_csv_is_read() -> None:
    data = csv_bytes(students(["S1", "张三", "男", "初一", "3", "张父", "13800000011"]), "gbk")
    cleaned = clean(read_roster("学生.csv", io.BytesIO(data)))
    assert cleaned.errors == []
    assert [(s.student_no, s.name, s.level, s.class_number, s.guardian_name) for s in cleaned.students] == [
        ("S1", "张三", 7, 3, "张父")
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_csv_with_or_without_bom(encoding: str) -> None:
    data = csv_bytes(staff(["T1", "李四", "女", "", "数学", "党员", ""]), encoding)
    sheet = read_roster("教职工.csv", io.BytesIO(data))
    assert sheet.kind == Kind.STAFF
    cleaned = clean(sheet)
    assert [(s.staff_no, s.name, s.gender, s.subject, s.is_party_member) for s in cleaned.staff] == [
        ("T1", "李四", "F", "数学", True)
    ]


def test_title_row_above_the_header_and_extra_columns() -> None:
    data = xlsx(
        [
            ["序号", *students()[0], "备注"],
            [1, "S1", "张三", "男", "", "初一(3)班", "张父", "13800000011", "转学"],
        ],
        title_rows=[["2025 级学生名单"]],
    )
    sheet = read_roster("名单.xlsx", io.BytesIO(data))
    assert (sheet.kind, sheet.header_row, sheet.ignored) == (Kind.STUDENTS, 2, ["序号", "备注"])
    assert [(n, c[1]) for n, c in sheet.rows] == [(3, "S1")]


def test_every_bad_row_is_reported_with_row_column_reason() -> None:
    data = xlsx(
        students(
            ["S1", "张三", "男", "初一", "3", "张父", "13800000011"],
            ["S2", "", "未知", "", "3", "李母", "1380000"],
            ["S1", "王五", "女", "初四", "1", "王父", "13800000013"],
            ["S4", "赵六", "女", "", "七年级2班", "张爸", "13800000011"],
        )
    )
    cleaned = clean(read_roster("名单.xlsx", io.BytesIO(data)))
    assert cleaned.errors == [
        CellError(3, "姓名", "姓名不能为空。"),
        CellError(3, "性别", "性别“未知”无法识别，请填 男 或 女。"),
        CellError(3, "年级", "班级“3”没有写年级，请填写年级列，或把班级写全（如 初一(3)班）。"),
        CellError(3, "家长手机号", "手机号“1380000”不正确，应为 1 开头的 11 位数字。"),
        CellError(4, "学号", "学号 S1 与第 2 行重复。"),
        CellError(4, "年级", "年级“初四”无法识别，请写成 初一、七年级 或 高二 这样的形式。"),
        CellError(
            5, "家长姓名", "手机号 13800000011 在第 2 行的家长姓名是“张父”，同一位家长请写同一个姓名。"
        ),
    ]
    assert [s.student_no for s in cleaned.students] == ["S1"]


def test_missing_required_column_is_an_error_on_the_header() -> None:
    data = xlsx([["学号", "姓名", "班级"], ["S1", "张三", "初一(1)班"]])
    cleaned = clean(read_roster("名单.xlsx", io.BytesIO(data)))
    assert [(e.row, e.column) for e in cleaned.errors] == [(1, "性别"), (1, "家长姓名"), (1, "家长手机号")]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest",
         "这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 格式后再上传。"),
        ("photo.png", b"\x89PNG\r\n\x1a\n", "只能导入 .xlsx 或 .csv 文件。"),
        ("broken.xlsx", b"not a zip at all", "文件不是有效的 .xlsx 表格，可能已损坏。"),
        ("blank.csv", "姓名,电话\n张三,1\n".encode(),
         "没有找到表头：前 10 行中应有一行包含“学号”（学生名单）或“工号”（教职工名单）。"),
    ],
)  # fmt: skip
def test_unreadable_files_are_refused_with_a_reason(name: str, data: bytes, message: str) -> None:
    with pytest.raises(Invalid) as caught:
        read_roster(name, io.BytesIO(data))
    assert caught.value.message == message
