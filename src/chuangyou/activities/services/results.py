"""Results: recorded one by one or imported from a spreadsheet (all or nothing), and prizes won at
competitions outside the school."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.activities import rules
from chuangyou.activities.models import (
    Activity,
    Award,
    ExternalAward,
    Level,
    Registration,
    RegStatus,
    Result,
    ResultImport,
    TeamMember,
)
from chuangyou.activities.services.shared import (
    CERTIFICATE_TYPES,
    _fail,
)
from chuangyou.audit.services import change_for, record, record_many, snapshot
from chuangyou.lib.errors import Invalid
from chuangyou.lib.uploads import clean_upload
from chuangyou.org.models import Student
from chuangyou.org.rules import Actor, require

# --- results -------------------------------------------------------------------------------------


def _check_result(rank: int | None, score: Decimal | None, award: str) -> None:
    if award and award not in Award.values:
        raise _fail("award", gettext("奖项只能是一等奖、二等奖、三等奖或优秀奖。"))
    if rank is not None and rank < 1:
        raise _fail("rank", gettext("名次须是正整数。"))
    if score is not None and not Decimal("-99999") < score < Decimal("99999"):
        raise _fail("score", gettext("成绩超出范围。"))
    if rank is None and score is None and not award:
        raise _fail("award", gettext("请至少填写名次、成绩或奖项中的一项。"))


def _result_fact(result: Result) -> dict[str, object]:
    return snapshot(result, ["registration", "rank", "score", "award", "note"])


def record_result(
    *,
    actor: Actor,
    registration: Registration,
    rank: int | None = None,
    score: Decimal | None = None,
    award: str = "",
    note: str = "",
) -> Result:
    """The result of one confirmed registration; recording again replaces it (both kept in the audit)."""
    activity = registration.activity
    require(rules.can_record_results(actor, activity), rules.RESULTS_MESSAGE)
    _check_result(rank, score, award)
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != RegStatus.CONFIRMED:
            raise Invalid(gettext("只能为报名成功的人员登记成绩。"))
        result = Result.objects.filter(registration=current).first()
        before = _result_fact(result) if result else None
        result = result or Result(school_id=current.school_id, registration=current)
        result.rank, result.score, result.award, result.note = rank, score, award, note.strip()[:200]
        result.save()
        record(
            actor,
            change_for(
                "activity.result",
                result,
                school_id=result.school_id,
                before=before,
                after=_result_fact(result),
            ),
        )
    return result


def delete_result(*, actor: Actor, result: Result) -> None:
    require(rules.can_record_results(actor, result.registration.activity), rules.RESULTS_MESSAGE)
    with transaction.atomic():
        record(
            actor,
            change_for(
                "activity.result_delete", result, school_id=result.school_id, before=_result_fact(result)
            ),
        )
        result.delete()


def import_results(*, actor: Actor, activity: Activity, name: str, stream: IO[bytes]) -> ResultImport:
    """Results from an .xlsx, all or nothing: any bad row and nothing is written, and the upload keeps
    an annotated copy of the workbook with each error at its row and column."""
    from chuangyou.activities import xlsx

    require(rules.can_record_results(actor, activity), rules.RESULTS_MESSAGE)
    sheet = xlsx.read_results(name, stream)
    by_student: dict[str, Registration] = {}
    by_staff: dict[str, Registration] = {}
    confirmed = Registration.objects.filter(activity=activity, status=RegStatus.CONFIRMED).select_related(
        "student", "staff"
    )
    for registration in confirmed:
        if registration.student:
            by_student[registration.student.student_no] = registration
        if registration.staff:
            by_staff[registration.staff.staff_no] = registration
    for member in TeamMember.objects.filter(registration__in=confirmed).select_related(
        "student", "staff", "registration"
    ):
        if member.student:
            by_student[member.student.student_no] = member.registration
        if member.staff:
            by_staff[member.staff.staff_no] = member.registration
    rows, errors = xlsx.parse_result_rows(sheet, by_student, by_staff)
    upload = ResultImport(
        school_id=activity.school_id,
        activity=activity,
        file_name=name[:120],
        row_count=len(sheet.rows),
        error_count=len(errors),
        uploaded_by=actor.user,
    )
    with transaction.atomic():
        if errors:
            upload.report.save(
                "成绩导入错误报告.xlsx", ContentFile(xlsx.write_error_report(sheet, errors)), save=False
            )
            upload.save()
            record(
                actor,
                change_for(
                    "activity.result_import_refused",
                    upload,
                    school_id=upload.school_id,
                    after=snapshot(upload),
                ),
            )
            return upload
        changes = []
        for row in rows:
            result = Result.objects.filter(registration=row.registration).first()
            before = _result_fact(result) if result else None
            result = result or Result(school_id=activity.school_id, registration=row.registration)
            result.rank, result.score, result.award, result.note = row.rank, row.score, row.award, row.note
            result.save()
            changes.append(
                change_for(
                    "activity.result",
                    result,
                    school_id=result.school_id,
                    before=before,
                    after=_result_fact(result),
                )
            )
        upload.applied = True
        upload.save()
        changes.append(
            change_for("activity.result_import", upload, school_id=upload.school_id, after=snapshot(upload))
        )
        record_many(actor, changes)
    return upload


# --- external competitions -----------------------------------------------------------------------


def record_external_award(
    *,
    actor: Actor,
    student: Student,
    competition: str,
    level: str,
    awarded_on: dt.date,
    certificate: UploadedFile,
    award: str = "",
    rank: int | None = None,
) -> ExternalAward:
    """A prize won outside (全国中学生数学竞赛, 信息学奥赛 …). The certificate scan is its evidence."""
    require(
        rules.can_record_external_award(actor, student),
        gettext("只有班主任或工作小组成员可以登记校外竞赛获奖。"),
    )
    competition = (competition or "").strip()
    if not competition:
        raise _fail("competition", gettext("请填写竞赛名称。"))
    if level not in Level.values:
        raise _fail("level", gettext("请选择获奖级别。"))
    _check_result(rank, None, award)
    if awarded_on > timezone.localdate():
        raise _fail("awarded_on", gettext("获奖日期不能晚于今天。"))
    clean = clean_upload(
        name=certificate.name or "证书", data=certificate, allowed=CERTIFICATE_TYPES, field="certificate"
    )
    with transaction.atomic():
        prize = ExternalAward(
            school_id=student.school_id,
            student=student,
            competition=competition[:120],
            level=level,
            award=award,
            rank=rank,
            awarded_on=awarded_on,
            recorded_by=actor.user,
        )
        prize.certificate.save(clean.name, ContentFile(clean.content), save=False)
        prize.save()
        record(
            actor,
            change_for("activity.external_award", prize, school_id=prize.school_id, after=snapshot(prize)),
        )
    return prize


def delete_external_award(*, actor: Actor, prize: ExternalAward) -> None:
    require(
        rules.can_record_external_award(actor, prize.student),
        gettext("只有班主任或工作小组成员可以删除校外竞赛获奖。"),
    )
    with transaction.atomic():
        record(
            actor,
            change_for(
                "activity.external_award_delete", prize, school_id=prize.school_id, before=snapshot(prize)
            ),
        )
        prize.delete()
