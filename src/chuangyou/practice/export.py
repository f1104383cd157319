"""每周一练 as .xlsx workbooks: one set's report, and a class's on-time record across weeks."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from chuangyou.lib.xlsx import Book
from chuangyou.org.models import Student
from chuangyou.practice.models import ExerciseSet
from chuangyou.practice.selectors import COMPLETION_LABELS, ClassRecord, ClassTally


def _rate(value: object) -> str:
    return "—" if value is None else f"{value}%"


def set_report_workbook(
    exercise_set: ExerciseSet, tallies: list[ClassTally], rows: Iterable[Student]
) -> bytes:
    book = Book()
    summary = book.sheet(_("各班完成情况"))
    summary.append([f"{exercise_set.subject} · {exercise_set.title}（{exercise_set.week:%Y-%m-%d} 周）"])
    summary.append([_("班级"), _("人数"), _("按时"), _("迟交"), _("未交"), _("按时完成率")])
    for t in tallies:
        summary.append([t.school_class, t.students, t.on_time, t.late, t.missing, _rate(t.on_time_rate)])
    sheet = book.sheet(_("学生明细"))
    sheet.append([_("班级"), _("学号"), _("姓名"), _("状态"), _("提交时间"), _("得分"), _("待批改")])
    for s in rows:
        submitted = getattr(s, "submitted_at", None)
        sheet.append(
            [
                s.school_class,
                s.student_no,
                s.name,
                str(COMPLETION_LABELS[getattr(s, "completion", "missing")]),
                timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M") if submitted else "",
                float(score) if (score := getattr(s, "score", None)) is not None else "",
                getattr(s, "ungraded", None) or "",
            ]
        )
    return book.to_bytes()


def class_record_workbook(record: ClassRecord) -> bytes:
    book = Book()
    weeks = book.sheet(_("按周按时完成率"))
    weeks.append([_("%(cls)s 每周一练按时完成情况") % {"cls": record.school_class}])
    weeks.append([_("周"), _("练习数"), _("应交"), _("按时"), _("迟交"), _("未交"), _("按时完成率")])
    lines = [(f"{w.week:%Y-%m-%d}", w) for w in record.weeks] + [(_("合计"), record.total)]
    for label, w in lines:
        weeks.append([label, w.sets, w.expected, w.on_time, w.late, w.missing, _rate(w.on_time_rate)])
    students = book.sheet(_("学生明细"))
    students.append(
        [_("学号"), _("姓名"), _("按时"), _("迟交"), _("未交")]
        + [f"{s.week:%m-%d} {s.subject} {s.title}" for s in record.sets]
    )
    for line in record.students:
        cells: list[object] = [line.student.student_no, line.student.name]
        cells += [line.on_time, line.late, line.missing]
        for _set, score, state in line.scores:
            cells.append(str(COMPLETION_LABELS[state]) if score is None else float(score))
        students.append(cells)
    return book.to_bytes()
