"""The per-person participation record (参与档案): every app's lines for one person, or a class; and
what 综合素质评价 reads from it (the student's own 写实记录, the raters' evidence)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.db.models import QuerySet
from django.utils.translation import gettext

from chuangyou.evaluations import counting
from chuangyou.evaluations.models import Evaluation, Portfolio, Subject, Use
from chuangyou.lib.errors import NotFound
from chuangyou.org.models import SchoolClass, Staff, Student
from chuangyou.org.rules import Actor, can_manage_class, can_read_school, can_view_student, require
from chuangyou.records.lines import DIMENSION_SECTIONS, SECTIONS, RecordLine, RecordSource

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


# --- 综合素质评价 --------------------------------------------------------------------------------


def line_key(line: RecordLine) -> str:
    """A record line as the student selects it: stable text, since lines have no id of their own."""
    return f"{line.section}｜{line.on or ''}｜{line.title}｜{line.detail}"


def student_lines(student_id: int) -> dict[str, list[RecordLine]]:
    return student_records([student_id])[student_id]


def portfolios_of(actor: Actor) -> QuerySet[Portfolio]:
    """A student's own 写实记录, for the evaluations still taking them."""
    if actor.own_student_id is None:
        return Portfolio.objects.none()
    return (
        Portfolio.objects.filter(student_id=actor.own_student_id)
        .select_related("evaluation")
        .order_by("-evaluation__opens_at")
    )


@dataclass(frozen=True)
class Evidence:
    """What the raters see beside one dimension of one student: the record lines of the sections that
    feed it, and the student's own signed 写实记录 for it (empty until signed)."""

    lines: list[RecordLine]
    text: str
    selected: list[str]


def quality_evidence(evaluation: Evaluation, subjects: Sequence[Subject]) -> dict[int, dict[str, Evidence]]:
    """Per subject and dimension, for the raters' ballot. One batch of record queries for the class."""
    if evaluation.use != Use.QUALITY:
        return {}
    rubric = counting.rubric_from_json(evaluation.rubric_in_force)
    student_ids = [s.object_id for s in subjects if s.object_id is not None]
    records = student_records(student_ids) if student_ids else {}
    signed = {
        p.subject_id: p.entries
        for p in Portfolio.objects.filter(evaluation=evaluation, signed_on__isnull=False)
    }
    out: dict[int, dict[str, Evidence]] = {}
    for s in subjects:
        sections = records.get(s.object_id or 0, {})
        entries = signed.get(s.pk, {})
        out[s.pk] = {
            c.key: Evidence(
                lines=[
                    line for name in DIMENSION_SECTIONS.get(c.title, ()) for line in sections.get(name, [])
                ],
                text=entries.get(c.key, {}).get("text", ""),
                selected=entries.get(c.key, {}).get("lines", []),
            )
            for c in rubric.criteria
        }
    return out
