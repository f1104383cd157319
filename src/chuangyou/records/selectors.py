"""The per-person participation record (参与档案): every app's lines for one person, or a class."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.utils.translation import gettext

from chuangyou.lib.errors import NotFound
from chuangyou.org.models import SchoolClass, Staff, Student
from chuangyou.org.rules import Actor, can_manage_class, can_read_school, can_view_student, require
from chuangyou.records.lines import SECTIONS, RecordLine, RecordSource

# The apps whose `records.py` feed the record, in the order their sections appear.
SOURCE_MODULES: list[str] = [
    "chuangyou.activities.records",
    "chuangyou.practice.records",
    "chuangyou.volunteering.records",
    "chuangyou.books.records",
    "chuangyou.projects.records",
    "chuangyou.commitments.records",
    "chuangyou.honors.records",
]


def sources() -> list[RecordSource]:
    return [import_module(name) for name in SOURCE_MODULES]


@dataclass
class PersonRecord:
    name: str
    subtitle: str  # class, or subject and post
    sections: dict[str, list[RecordLine]] = field(default_factory=dict)

    @property
    def hours(self) -> Decimal:
        return sum(
            (line.hours or Decimal(0) for lines in self.sections.values() for line in lines), Decimal(0)
        )

    @property
    def count(self) -> int:
        return sum(len(lines) for lines in self.sections.values())


def _collect(
    lines_by_source: Sequence[dict[int, list[RecordLine]]], person_id: int
) -> dict[str, list[RecordLine]]:
    sections: dict[str, list[RecordLine]] = {name: [] for name in SECTIONS}
    for lines in lines_by_source:
        for line in lines.get(person_id, []):
            sections[line.section].append(line)  # an unknown section is a source bug: fail loudly
    for section_lines in sections.values():
        section_lines.sort(key=lambda line: (line.on is None, line.on), reverse=True)
    return sections


def student_records(student_ids: Collection[int]) -> dict[int, dict[str, list[RecordLine]]]:
    """Lines for many students with a fixed number of queries (one batch per source)."""
    batches = [source.lines_for_students(student_ids) for source in sources()]
    return {sid: _collect(batches, sid) for sid in student_ids}


def record_for_student(actor: Actor, student: Student) -> PersonRecord:
    require(can_view_student(actor, student), gettext("您没有权限查看这名学生的档案。"))
    sections = student_records([student.pk])[student.pk]
    return PersonRecord(name=student.name, subtitle=str(student.school_class), sections=sections)


def record_for_staff(actor: Actor, staff: Staff) -> PersonRecord:
    own = actor.user is not None and staff.user_id == actor.user.pk
    require(own or can_read_school(actor, staff.school), gettext("您没有权限查看这位教师的档案。"))
    batches = [source.lines_for_staff([staff.pk]) for source in sources()]
    subtitle = "、".join(part for part in (staff.subject, staff.position) if part)
    return PersonRecord(name=staff.name, subtitle=subtitle, sections=_collect(batches, staff.pk))


def records_for_class(actor: Actor, school_class: SchoolClass) -> list[tuple[Student, PersonRecord]]:
    """A class's records, for its 班主任 and the school office. Listed by 学号, never ranked."""
    require(
        can_manage_class(actor, school_class) or can_read_school(actor, school_class.school),
        gettext("您没有权限查看这个班级的档案。"),
    )
    students = list(school_class.students.order_by("student_no"))
    if not students:
        return []
    by_student = student_records([s.pk for s in students])
    return [
        (s, PersonRecord(name=s.name, subtitle=str(school_class), sections=by_student[s.pk]))
        for s in students
    ]


def student_in_school(school_id: int, student_id: int) -> Student:
    student = (
        Student.objects.select_related("school", "school_class__grade")
        .filter(pk=student_id, school_id=school_id)
        .first()
    )
    if student is None:
        raise NotFound(gettext("本校没有这名学生。"))
    return student
