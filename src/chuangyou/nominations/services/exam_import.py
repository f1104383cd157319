"""Midterm and final scores, imported all or nothing from a spreadsheet: the data the 考试第一名
proposals read.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from chuangyou.audit.services import change_for, record, snapshot
from chuangyou.lib.errors import Conflict, Invalid
from chuangyou.lib.uploads import Readable, clean_upload
from chuangyou.nominations import exams
from chuangyou.nominations.models import (
    Exam,
    ExamKind,
    ExamScore,
)
from chuangyou.nominations.services.shared import person
from chuangyou.org.models import School, Student
from chuangyou.org.rules import Actor, can_manage_campaign, require

EXAM_MESSAGE = gettext_lazy("只有工作小组、领导小组或学校管理员可以导入考试成绩。")


@transaction.atomic
def import_exam_scores(
    *, actor: Actor, school: School, year: int, term: str, kind: str, name: str, data: Readable
) -> Exam:
    """All or nothing: one bad row and no score is stored; every error is reported with row and column."""

    require(can_manage_campaign(actor, school), EXAM_MESSAGE)
    term = term.strip()
    if not term:
        raise Invalid(gettext("请填写学期，如：2026 秋季学期。"), {"term": [gettext("必填。")]})
    if kind not in ExamKind.values:
        raise Invalid(gettext("请选择期中考试或期末考试。"), {"kind": [gettext("考试类型有误。")]})
    if Exam.objects.filter(school=school, year=year, term=term, kind=kind).exists():
        raise Conflict(
            gettext("%(term)s%(exam)s的成绩已经导入过。") % {"term": term, "exam": ExamKind(kind).label}
        )
    upload = clean_upload(name=name, data=data, allowed=("xlsx",), field="file")
    students = {s.student_no: s for s in Student.objects.filter(school=school).select_related("school_class")}
    rows, errors = exams.read(upload.content, students)
    if errors:
        raise Invalid(
            gettext("成绩表有 %(count)s 处错误，没有导入任何成绩。请改正后重新上传。")
            % {"count": len(errors)},
            {"file": [str(e) for e in errors]},
        )
    exam = Exam.objects.create(
        school=school, year=year, term=term, kind=kind, file_name=name[:120], imported_by=person(actor)
    )
    ExamScore.objects.bulk_create(
        ExamScore(
            school=school, exam=exam, student=r.student, school_class_id=r.student.school_class_id,
            subject=r.subject, score=r.score,
        )
        for r in rows
    )  # fmt: skip
    record(
        actor,
        change_for("exam.import", exam, school_id=school.pk, after={**snapshot(exam), "rows": len(rows)}),
    )
    return exam
