"""The import against the database: same rows as the services, all-or-nothing, idempotent, audited."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from chuangyou.accounts.models import User
from chuangyou.audit.models import AuditEntry
from chuangyou.audit.services import verify_chain
from chuangyou.lib.errors import NotAllowed
from chuangyou.org import services
from chuangyou.org.models import (
    Grade,
    Guardian,
    Guardianship,
    Role,
    RoleMembership,
    School,
    SchoolClass,
    Staff,
    Student,
)
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.roster.files import CellError
from chuangyou.roster.importing import ImportResult, import_roster
from chuangyou.roster.tests.workbooks import staff, students, xlsx
from chuangyou.testing import PERSONAS, World


def run(school: School, data: bytes, *, dry_run: bool = False, actor: Any = SYSTEM) -> ImportResult:
    return import_roster(
        actor=actor, school=school, name="名单.xlsx", stream=io.BytesIO(data), dry_run=dry_run
    )


def school_rows(school: School) -> dict[str, Any]:
    """Everything a roster puts in the database for one school, by natural keys (no ids, no timestamps)."""

    def klass(c: SchoolClass | None) -> str | None:
        return None if c is None else f"{c.grade.level}-{c.number}"

    people_users = set(Student.objects.filter(school=school).values_list("user_id", flat=True))
    people_users |= set(Staff.objects.filter(school=school).values_list("user_id", flat=True))
    people_users |= set(Guardian.objects.filter(school=school).values_list("user_id", flat=True))
    return {
        "grades": sorted(Grade.objects.filter(school=school).values_list("level", "name")),
        "classes": sorted(
            klass(c) for c in SchoolClass.objects.filter(school=school).select_related("grade")
        ),
        "users": sorted(
            (u.username, u.login, u.display_name, u.phone, u.is_active, u.is_staff, u.is_superuser,
             u.has_usable_password(), u.password.startswith("!"), u.last_login, u.password_changed_at)
            for u in User.objects.filter(pk__in=people_users)
        ),
        "students": sorted(
            (s.student_no, s.name, s.gender, klass(s.school_class), s.user.username if s.user else None)
            for s in Student.objects.filter(school=school).select_related("school_class__grade", "user")
        ),
        "guardians": sorted(
            (g.phone, g.name, g.user.username if g.user else None)
            for g in Guardian.objects.filter(school=school).select_related("user")
        ),
        "guardianships": sorted(
            Guardianship.objects.filter(school=school).values_list("student__student_no", "guardian__phone")
        ),
        "staff": sorted(
            (s.staff_no, s.name, s.gender, s.phone, s.subject, s.is_party_member, s.position,
             s.party_branch_id, s.user.username if s.user else None)
            for s in Staff.objects.filter(school=school).select_related("user")
        ),
        "seats": sorted(
            (m.user.username, m.role, m.school_id, klass(m.school_class), m.is_leader, m.starts_on, m.ends_on)
            for m in RoleMembership.objects.filter(school=school).select_related(
                "user", "school_class__grade"
            )
        ),
    }  # fmt: skip


class _Rollback(Exception):
    def __init__(self, rows: dict[str, Any]) -> None:
        super().__init__("rolled back")
        self.rows = rows


STAFF_FILE = staff(
    ["T01", "周老师", "女", "13900000001", "语文", "党员", ""],
    ["T02", "吴老师", "男", "", "数学", "否", ""],
)
STUDENT_FILE = students(
    ["S01", "孙一", "男", "初一", "1", "孙父", "13700000001"],
    ["S02", "孙二", "女", "", "初一(1)班", "孙父", "13700000001"],  # a sibling: the same guardian
    ["S03", "郑三", "女", "七年级", "2班", "周老师", "13900000001"],  # a teacher is also a parent
    ["S04", "王四", "男", "", "高二（3）班", "王母", "13700000004"],
)
HEAD_TEACHER_FILE = staff(["T02", "吴老师", "男", "", "数学", "否", "初一(1)班班主任"])
SERVICE_STUDENTS = [
    ("S01", "孙一", "M", 7, 1, "孙父", "13700000001"),
    ("S02", "孙二", "F", 7, 1, "孙父", "13700000001"),
    ("S03", "郑三", "F", 7, 2, "周老师", "13900000001"),
    ("S04", "王四", "M", 11, 3, "王母", "13700000004"),
]


def _build_with_services_then_roll_back(school: School) -> None:
    """The same people through the per-person services; the rows are kept, the writes rolled back."""
    today = timezone.localdate()
    with transaction.atomic():
        services.create_staff(
            actor=SYSTEM, school=school, staff_no="T01", name="周老师", gender="F", phone="13900000001",
            subject="语文", is_party_member=True, on=today,
        )  # fmt: skip
        t02 = services.create_staff(
            actor=SYSTEM, school=school, staff_no="T02", name="吴老师", gender="M", subject="数学", on=today
        )
        for no, name, gender, level, number, guardian, phone in SERVICE_STUDENTS:
            school_class = services.ensure_class(actor=SYSTEM, school=school, level=level, number=number)
            services.create_student(
                actor=SYSTEM, school_class=school_class, student_no=no, name=name, gender=gender,
                guardians=[(guardian, phone)], on=today,
            )  # fmt: skip
        t02.position = "初一(1)班班主任"
        t02.save()
        assert t02.user is not None
        head_of = SchoolClass.objects.get(school=school, grade__level=7, number=1)
        services.grant_role(
            actor=SYSTEM, user=t02.user, role=Role.HEAD_TEACHER, school=school, school_class=head_of,
            starts_on=today,
        )  # fmt: skip
        raise _Rollback(school_rows(school))


@pytest.mark.django_db
def test_import_writes_exactly_what_the_per_person_services_write() -> None:
    bureau = services.create_bureau(actor=SYSTEM, code="b", name="局")
    school = services.create_school(actor=SYSTEM, bureau=bureau, code="s", name="学校")
    with pytest.raises(_Rollback) as built:
        _build_with_services_then_roll_back(school)
    assert school_rows(school)["users"] == []

    assert run(school, xlsx(STAFF_FILE)).applied
    assert run(school, xlsx(STUDENT_FILE)).applied
    assert run(school, xlsx(HEAD_TEACHER_FILE)).applied

    imported = school_rows(school)
    assert imported == built.value.rows
    assert len(imported["students"]) == 4
    assert len(imported["seats"]) == 2 + 4 + 3 + 1  # teachers, students, parents (one a teacher), 班主任
    assert verify_chain().ok


@pytest.mark.django_db
def test_counts_and_dry_run(world: World) -> None:
    data = xlsx([*STUDENT_FILE, ["S001", "肖同学", "男", "初一", "1", "马家长", "13800000001"]])
    before = (Student.objects.count(), User.objects.count(), AuditEntry.objects.count())

    preview = run(world.school, data, dry_run=True)

    assert (preview.rows, preview.created, preview.updated, preview.unchanged) == (5, 4, 0, 1)
    assert preview.details == {"classes_created": 1, "guardians_created": 3, "guardians_renamed": 0}
    assert (preview.applied, preview.errors) == (False, [])
    assert (Student.objects.count(), User.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_the_command_exits_non_zero(world: World, tmp_path: Path) -> None:
    bad = [*STUDENT_FILE, ["S05", "钱五", "男", "初一", "1", "钱父", "1370000000"]]
    path = tmp_path / "名单.xlsx"
    path.write_bytes(xlsx(bad))
    before = school_rows(world.school), AuditEntry.objects.count()

    result = run(world.school, xlsx(bad))
    assert (result.applied, result.errors) == (
        False,
        [CellError(6, "家长手机号", "手机号“1370000000”不正确，应为 1 开头的 11 位数字。")],
    )
    report = tmp_path / "errors.xlsx"
    with pytest.raises(CommandError, match="名单有错误，没有写入任何数据"):
        call_command("import-roster", str(path), school="yizhong", error_report=str(report))

    assert (school_rows(world.school), AuditEntry.objects.count()) == before
    assert report.read_bytes().startswith(b"PK")


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing_and_audits_nothing(world: World) -> None:
    data = xlsx(STUDENT_FILE)
    first = run(world.school, data)
    rows, entries = school_rows(world.school), AuditEntry.objects.count()

    again = run(world.school, data)

    assert (first.created, first.updated, first.unchanged) == (4, 0, 0)
    assert (again.created, again.updated, again.unchanged, again.applied) == (0, 0, 4, False)
    assert (school_rows(world.school), AuditEntry.objects.count()) == (rows, entries)


@pytest.mark.django_db
def test_a_changed_student_row_updates_and_is_audited_with_before_and_after(world: World) -> None:
    xiao = world.student_xiao
    moved = students(
        ["S001", "肖同学", "男", "初一", "2", "肖妈妈", "13800000009"],  # moved class, a new guardian
        ["S002", "明同学", "女", "初一", "2", "明家长", "13800000002"],  # unchanged
    )
    last_seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()

    result = run(world.school, xlsx(moved), actor=actor_for(world.alice))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    xiao.refresh_from_db()
    assert xiao.school_class_id == world.class_2.pk
    assert sorted(xiao.guardians.values_list("phone", flat=True)) == ["13800000001", "13800000009"]
    new_parent = User.objects.get(phone="13800000009")
    assert (new_parent.username, new_parent.has_usable_password()) == ("m:13800000009", False)
    assert RoleMembership.objects.filter(user=new_parent, role=Role.PARENT, school=world.school).count() == 1
    entries = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq"))
    assert [(e.action, e.actor_id) for e in entries] == [
        ("guardian.create", world.alice.pk),
        ("student.update", world.alice.pk),
    ]
    assert entries[1].object_id == str(xiao.pk)
    assert entries[1].before == {
        "name": "肖同学", "gender": "M", "school_class_id": world.class_1.pk, "guardians": ["13800000001"],
    }  # fmt: skip
    assert entries[1].after == {
        "name": "肖同学", "gender": "M", "school_class_id": world.class_2.pk,
        "guardians": ["13800000001", "13800000009"],
    }  # fmt: skip
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_changed_staff_row_updates_the_person_and_the_account(world: World) -> None:
    changed = staff(["T006", "田师", "女", "13900000006", "物理", "是", "初一(2)班班主任"])
    last_seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()

    result = run(world.school, xlsx(changed))

    assert (result.created, result.updated, result.details) == (0, 1, {"head_teacher_seats": 1})
    tian = Staff.objects.get(school=world.school, staff_no="T006")
    assert (tian.subject, tian.is_party_member, tian.phone, tian.position) == (
        "物理",
        True,
        "13900000006",
        "初一(2)班班主任",
    )
    assert User.objects.get(pk=world.tian.pk).phone == "13900000006"
    assert actor_for(User.objects.get(pk=world.tian.pk)).head_teacher_class_ids() == {world.class_2.pk}
    entries = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq"))
    assert [e.action for e in entries] == ["staff.update", "role.grant"]
    assert (entries[0].before["subject"], entries[0].after["subject"]) == ("语文", "物理")
    assert (entries[0].before["is_party_member"], entries[0].after["is_party_member"]) == (False, True)


@pytest.mark.django_db
def test_blank_optional_cells_keep_what_is_on_record(world: World) -> None:
    result = run(world.school, xlsx(staff(["T006", "田师", "女", "", "", "", ""])))
    assert (result.updated, result.unchanged) == (0, 1)
    assert Staff.objects.get(school=world.school, staff_no="T006").subject == "语文"


@pytest.mark.django_db
def test_database_conflicts_are_row_errors(world: World) -> None:
    data = xlsx(
        staff(
            ["S001", "撞号", "男", "", "", "", ""],  # the account key of student S001
            ["T200", "新老师", "女", "13800000002", "", "", ""],  # ming's parent's phone
            ["T201", "另一位", "女", "", "", "", "高三(9)班班主任"],  # no such class
        )
    )
    result = run(world.school, data)
    assert result.errors == [
        CellError(2, "工号", "工号 S001 已被本校其他账号（如某位学生的学号）使用。"),
        CellError(3, "手机号", "手机号 13800000002 已被账号“明家长”使用。"),
        CellError(4, "职务", "高三（9）班还不存在，请先导入学生名单或添加该班级。"),
    ]
    assert not Staff.objects.filter(staff_no__in=["S001", "T200", "T201"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "alice"])
def test_only_the_school_admin_may_import(world: World, name: str) -> None:
    before = school_rows(world.school), AuditEntry.objects.count()
    with pytest.raises(NotAllowed) as refused:
        run(world.school, xlsx(STUDENT_FILE), actor=actor_for(world.persona(name)))
    assert refused.value.message == "只有本校管理员可以导入名单。"
    assert (school_rows(world.school), AuditEntry.objects.count()) == before


@pytest.mark.django_db
def test_the_school_admin_may_import(world: World) -> None:
    result = run(world.school, xlsx(STUDENT_FILE), actor=actor_for(world.alice))
    assert (result.applied, result.created) == (True, 4)
    assert AuditEntry.objects.filter(action="student.create", actor=world.alice).count() == 4


@pytest.mark.django_db
def test_template_command_writes_both_kinds(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    for kind, header in [("students", students()[0]), ("staff", staff()[0])]:
        path = tmp_path / f"{kind}.xlsx"
        call_command("roster-template", str(path), kind=kind)
        workbook = load_workbook(path)
        assert [c.value for c in workbook.worksheets[0][1]] == header
        assert workbook.worksheets[0].max_row == 1 or all(
            c.value is None for row in workbook.worksheets[0].iter_rows(min_row=2) for c in row
        )
