"""From a sheet's raw cells to typed roster rows, with every problem as (row, column, reason in Chinese).

Only what the file itself shows is checked here; what depends on the database (an account already
taken, a class that does not exist yet) is checked when the import is planned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from chuangyou.lib.roster_text import (
    clean_cell,
    clean_name,
    head_teacher_classes,
    parse_class,
    parse_class_number,
    parse_gender,
    parse_grade,
    parse_mobile,
    parse_yes_no_party,
)
from chuangyou.roster.files import REQUIRED, CellError, Sheet
from chuangyou.roster.models import Kind

NUMBER_MAX = 30
NAME_MAX = 60
SUBJECT_MAX = 30
POSITION_MAX = 60


@dataclass(frozen=True)
class StudentRow:
    row: int
    student_no: str
    name: str
    gender: str
    level: int
    class_number: int
    guardian_name: str
    guardian_phone: str


@dataclass(frozen=True)
class StaffRow:
    """A blank optional cell is None: it leaves what is on record alone (it never erases)."""

    row: int
    staff_no: str
    name: str
    gender: str
    phone: str | None
    subject: str | None
    is_party_member: bool | None
    position: str | None
    head_of: tuple[tuple[int, int], ...] = ()


@dataclass
class Cleaned:
    kind: Kind
    students: list[StudentRow] = field(default_factory=list)
    staff: list[StaffRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.students) if self.kind == Kind.STUDENTS else len(self.staff)


class _Row:
    """Reads one row's cells by column name and collects its errors."""

    def __init__(self, sheet: Sheet, number: int, cells: tuple[Any, ...], errors: list[CellError]) -> None:
        self.sheet, self.number, self.cells, self.errors = sheet, number, cells, errors
        self.ok = True

    def text(self, column: str) -> str:
        return clean_cell(self.sheet.value(self.cells, column))

    def error(self, column: str, message: str) -> None:
        self.errors.append(CellError(self.number, column, message))
        self.ok = False

    def required(self, column: str, max_length: int) -> str:
        value = self.text(column)
        if not value:
            self.error(column, gettext("%(column)s不能为空。") % {"column": column})
        elif len(value) > max_length:
            self.error(
                column,
                gettext("%(column)s太长（最多 %(max_length)s 个字）。")
                % {"column": column, "max_length": max_length},
            )
        return value

    def optional(self, column: str, max_length: int) -> str | None:
        if column not in self.sheet.columns:
            return None
        value = self.text(column)
        if len(value) > max_length:
            self.error(
                column,
                gettext("%(column)s太长（最多 %(max_length)s 个字）。")
                % {"column": column, "max_length": max_length},
            )
        return value or None

    def gender(self) -> str:
        raw = self.text("性别")
        gender = parse_gender(raw)
        if gender is None:
            self.error(
                "性别",
                gettext("性别“%(raw)s”无法识别，请填 男 或 女。") % {"raw": raw}
                if raw
                else gettext("性别不能为空。"),
            )
        return gender or ""

    def identifier(self, column: str) -> str:
        value = self.required(column, NUMBER_MAX)
        if value and not all(ch.isalnum() or ch in "-_" for ch in value):
            self.error(
                column,
                gettext("%(column)s“%(value)s”只能包含字母、数字和横线。")
                % {"column": column, "value": value},
            )
        return value


def _missing_columns(sheet: Sheet) -> list[CellError]:
    return [
        CellError(
            sheet.header_row,
            column,
            gettext("缺少“%(column)s”列，请使用导入模板的表头。") % {"column": column},
        )
        for column in REQUIRED[sheet.kind]
        if column not in sheet.columns
    ]


def _school_class(row: _Row) -> tuple[int, int]:
    """Where schools write the class: all in 班级, or split over 年级 + 班级, in any of their usual forms."""
    grade_text, class_text = row.text("年级"), row.text("班级")
    if not class_text:
        row.error("班级", gettext("班级不能为空。"))
        return 0, 0
    full = parse_class(class_text)
    grade = parse_grade(grade_text) if grade_text else None
    if grade_text and grade is None:
        row.error(
            "年级",
            gettext("年级“%(grade_text)s”无法识别，请写成 初一、七年级 或 高二 这样的形式。")
            % {"grade_text": grade_text},
        )
        return 0, 0
    if full is not None:
        if grade is not None and grade != full[0]:
            row.error(
                "班级",
                gettext("班级“%(class_text)s”与年级“%(grade_text)s”不一致。")
                % {"class_text": class_text, "grade_text": grade_text},
            )
            return 0, 0
        return full
    number = parse_class_number(class_text)
    if number is None:
        row.error(
            "班级",
            gettext("班级“%(class_text)s”无法识别，请写成 初一(3)班，或在年级列写 初一、班级列写 3。")
            % {"class_text": class_text},
        )
        return 0, 0
    if grade is None:
        row.error(
            "年级",
            gettext("班级“%(class_text)s”没有写年级，请填写年级列，或把班级写全（如 初一(3)班）。")
            % {"class_text": class_text},
        )
        return 0, 0
    return grade, number


def _mobile(row: _Row, column: str, *, required: bool) -> str | None:
    raw = row.text(column)
    if not raw:
        if required:
            row.error(column, gettext("%(column)s不能为空。") % {"column": column})
        return None
    phone = parse_mobile(raw)
    if phone is None:
        row.error(column, gettext("手机号“%(raw)s”不正确，应为 1 开头的 11 位数字。") % {"raw": raw})
    return phone


def clean_students(sheet: Sheet) -> Cleaned:
    result = Cleaned(Kind.STUDENTS, errors=_missing_columns(sheet))
    if result.errors:
        return result
    first_row_of: dict[str, int] = {}
    guardian_seen: dict[str, tuple[str, int]] = {}
    for number, cells in sheet.rows:
        row = _Row(sheet, number, cells, result.errors)
        student_no = row.identifier("学号")
        if student_no in first_row_of:
            row.error(
                "学号",
                gettext("学号 %(student_no)s 与第 %(first_row_of)s 行重复。")
                % {"student_no": student_no, "first_row_of": first_row_of[student_no]},
            )
        elif student_no:
            first_row_of[student_no] = number
        name = clean_name(row.required("姓名", NAME_MAX))
        gender = row.gender()
        level, class_number = _school_class(row)
        guardian_name = clean_name(row.required("家长姓名", NAME_MAX))
        phone = _mobile(row, "家长手机号", required=True)
        if phone and guardian_name:
            seen = guardian_seen.setdefault(phone, (guardian_name, number))
            if seen[0] != guardian_name:
                row.error(
                    "家长姓名",
                    gettext(
                        "手机号 %(phone)s 在第 %(seen)s 行的家长姓名是“%(seen2)s”，同一位家长请写同一个姓名。"
                    )
                    % {"phone": phone, "seen": seen[1], "seen2": seen[0]},
                )
        if row.ok and phone:
            result.students.append(
                StudentRow(number, student_no, name, gender, level, class_number, guardian_name, phone)
            )
    return result


def clean_staff(sheet: Sheet) -> Cleaned:
    result = Cleaned(Kind.STAFF, errors=_missing_columns(sheet))
    if result.errors:
        return result
    first_row_of: dict[str, int] = {}
    phone_row: dict[str, int] = {}
    for number, cells in sheet.rows:
        row = _Row(sheet, number, cells, result.errors)
        staff_no = row.identifier("工号")
        if staff_no in first_row_of:
            row.error(
                "工号",
                gettext("工号 %(staff_no)s 与第 %(first_row_of)s 行重复。")
                % {"staff_no": staff_no, "first_row_of": first_row_of[staff_no]},
            )
        elif staff_no:
            first_row_of[staff_no] = number
        name = clean_name(row.required("姓名", NAME_MAX))
        gender = row.gender()
        phone = _mobile(row, "手机号", required=False) if "手机号" in sheet.columns else None
        if phone:
            if phone in phone_row:
                row.error(
                    "手机号",
                    gettext("手机号 %(phone)s 与第 %(phone_row)s 行重复。")
                    % {"phone": phone, "phone_row": phone_row[phone]},
                )
            else:
                phone_row[phone] = number
        subject = row.optional("任教学科", SUBJECT_MAX)
        party: bool | None = None
        party_text = row.text("是否党员")
        if party_text:
            party = parse_yes_no_party(party_text)
            if party is None:
                row.error(
                    "是否党员",
                    gettext("是否党员“%(party_text)s”无法识别，请填 是 或 否。") % {"party_text": party_text},
                )
        position = row.optional("职务", POSITION_MAX)
        head_of = tuple(dict.fromkeys(head_teacher_classes(position or "")))
        if row.ok:
            result.staff.append(
                StaffRow(number, staff_no, name, gender, phone, subject, party, position, head_of)
            )
    return result


def clean(sheet: Sheet) -> Cleaned:
    return clean_students(sheet) if sheet.kind == Kind.STUDENTS else clean_staff(sheet)
