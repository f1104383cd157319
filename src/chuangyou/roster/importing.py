"""The roster import itself: plan every row against what the school has, then write it all at once.

The per-person services (`org.services.create_student`, `create_staff`, `add_guardian`) make a handful of
queries per person; 50,000 students would take an hour. Here the school's rows are loaded once into
dicts, each row is compared in memory, and the writes are `bulk_create` / `bulk_update` in batches in one
transaction. The rows written are the same as the services write (a test holds the two side by side);
passwords are not set, so accounts get unusable passwords until an admin issues them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from chuangyou.accounts.models import User
from chuangyou.audit.services import Change, change_for, record_many, snapshot
from chuangyou.lib.errors import Conflict
from chuangyou.lib.logins import account_key
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
    grade_name,
)
from chuangyou.org.rules import Actor, can_manage_people, require
from chuangyou.roster.cleaning import Cleaned, StaffRow, StudentRow, clean
from chuangyou.roster.files import CellError, Sheet, read_roster
from chuangyou.roster.models import Kind

BATCH = 2000
# SQLite allows 999 variables per statement in older builds; stay under it for `__in` lookups.
IN_CHUNK = 900

ProgressFn = Callable[[str, int, int], None]
T = TypeVar("T")


def _noop(phase: str, done: int, total: int) -> None:
    return None


def _chunks(items: list[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _class_label(level: int, number: int, naming: str) -> str:
    return f"{grade_name(level, naming)}（{number}）班"


@dataclass
class ImportResult:
    kind: Kind
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    details: dict[str, int] = field(default_factory=dict)
    applied: bool = False
    sheet: Sheet | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def has_changes(self) -> bool:
        return self.created + self.updated > 0


class _Plan:
    """Shared shape of a plan: the rows' fate, the errors only the database can reveal, the audit trail."""

    def __init__(self, school: School, cleaned: Cleaned, progress: ProgressFn) -> None:
        self.school = school
        self.cleaned = cleaned
        self.progress = progress
        self.errors: list[CellError] = []
        self.created = self.updated = self.unchanged = 0
        self.details: dict[str, int] = {}
        self.today = timezone.localdate()
        levels = dict(Grade.objects.filter(school=school).values_list("level", "id"))
        self.grade_ids: dict[int, int] = levels
        self.class_ids: dict[tuple[int, int], int] = {
            (level, number): pk
            for level, number, pk in SchoolClass.objects.filter(school=school).values_list(
                "grade__level", "number", "id"
            )
        }

    def _taken_usernames(self, usernames: list[str]) -> set[str]:
        taken: set[str] = set()
        for chunk in _chunks(usernames):
            taken.update(User.objects.filter(username__in=chunk).values_list("username", flat=True))
        return taken

    def _users_by_phone(self, phones: list[str]) -> dict[str, tuple[int, str]]:
        found: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(phones):
            for phone, pk, label in User.objects.filter(phone__in=chunk).values_list(
                "phone", "id", "display_name"
            ):
                if phone:
                    found[phone] = (pk, label)
        return found

    def _unusable_user(self, *, username: str, login: str, display_name: str, phone: str | None) -> User:
        # What `set_unusable_password()` stores: "!" and 40 random characters. Hex from one urandom
        # call instead of Django's 40 `secrets.choice` calls: the same kind of value, for 100,000
        # accounts several seconds faster.
        password = UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(UNUSABLE_PASSWORD_SUFFIX_LENGTH // 2)
        return User(username=username, login=login, display_name=display_name, phone=phone, password=password)

    def _tick(self, phase: str, done: int, total: int) -> None:
        if done % BATCH == 0 or done == total:
            self.progress(phase, done, total)


class StudentPlan(_Plan):
    def __init__(self, school: School, cleaned: Cleaned, progress: ProgressFn) -> None:
        super().__init__(school, cleaned, progress)
        rows = cleaned.students
        self.existing = {s.student_no: s for s in Student.objects.filter(school=school)}
        self.linked_phones: dict[int, set[str]] = {}
        for student_id, phone in Guardianship.objects.filter(school=school).values_list(
            "student_id", "guardian__phone"
        ):
            self.linked_phones.setdefault(student_id, set()).add(phone)
        self.guardians = {g.phone: g for g in Guardian.objects.filter(school=school)}
        unseen_phones = sorted({r.guardian_phone for r in rows} - set(self.guardians))
        self.phone_users = {phone: pk for phone, (pk, _) in self._users_by_phone(unseen_phones).items()}
        parent_keys = [f"m:{p}" for p in unseen_phones if p not in self.phone_users]
        self.taken_parent_keys = self._taken_usernames(parent_keys)
        new_keys = [
            account_key(school_code=school.code, login=r.student_no)
            for r in rows
            if r.student_no not in self.existing
        ]
        self.taken_keys = self._taken_usernames(new_keys)
        self.parent_seats = set(
            RoleMembership.objects.filter(school=school, role=Role.PARENT).values_list("user_id", flat=True)
        )
        self.new_rows: list[StudentRow] = []
        self.changed: list[tuple[Student, StudentRow, dict[str, Any]]] = []
        self.new_links: list[tuple[StudentRow, Student | None]] = []
        self.new_guardians: dict[str, str] = {}
        self.renamed_guardians: dict[str, str] = {}
        self._plan(rows)

    def _plan(self, rows: list[StudentRow]) -> None:
        total = len(rows)
        for done, row in enumerate(rows, start=1):
            self._tick("checking", done, total)
            guardian = self.guardians.get(row.guardian_phone)
            if guardian is None:
                if (
                    row.guardian_phone not in self.phone_users
                    and f"m:{row.guardian_phone}" in self.taken_parent_keys
                ):
                    self.errors.append(
                        CellError(
                            row.row,
                            "家长手机号",
                            gettext("家长账号 m:%(guardian_phone)s 已存在但手机号不同，请联系管理员。")
                            % {"guardian_phone": row.guardian_phone},
                        )
                    )
                    continue
                self.new_guardians.setdefault(row.guardian_phone, row.guardian_name)
            elif guardian.name != row.guardian_name:
                self.renamed_guardians[row.guardian_phone] = row.guardian_name
            student = self.existing.get(row.student_no)
            if student is None:
                key = account_key(school_code=self.school.code, login=row.student_no)
                if key in self.taken_keys:
                    self.errors.append(
                        CellError(
                            row.row,
                            "学号",
                            gettext("学号 %(student_no)s 已被本校其他账号（如某位教职工的工号）使用。")
                            % {"student_no": row.student_no},
                        )
                    )
                    continue
                self.new_rows.append(row)
                self.new_links.append((row, None))
                self.created += 1
                continue
            changes: dict[str, Any] = {}
            if student.name != row.name:
                changes["name"] = row.name
            if student.gender != row.gender:
                changes["gender"] = row.gender
            class_id = self.class_ids.get((row.level, row.class_number))
            if class_id is None or class_id != student.school_class_id:
                changes["class"] = (row.level, row.class_number)
            linked = row.guardian_phone in self.linked_phones.get(student.pk, set())
            if not linked:
                self.new_links.append((row, student))
            if changes or not linked or row.guardian_phone in self.renamed_guardians:
                self.changed.append((student, row, changes))
                self.updated += 1
            else:
                self.unchanged += 1
        self.details = {
            "classes_created": len(self._missing_classes()),
            "guardians_created": len(self.new_guardians),
            "guardians_renamed": len(self.renamed_guardians),
        }

    def _missing_classes(self) -> list[tuple[int, int]]:
        wanted = {(r.level, r.class_number) for r in self.new_rows}
        wanted.update(changes["class"] for _, _, changes in self.changed if "class" in changes)
        return sorted(wanted - set(self.class_ids))

    def _guardian_view(self, student_id: int | None, extra: Iterable[str] = ()) -> list[str]:
        return sorted(self.linked_phones.get(student_id or 0, set()) | set(extra))

    def apply(self, actor: Actor) -> None:
        school, audit = self.school, []
        total = self.created + self.updated
        audit.extend(self._create_classes())
        self.progress("writing", 0, total)

        # Accounts first: students sign in with their 学号, parents with their phone.
        student_users = [
            self._unusable_user(
                username=account_key(school_code=school.code, login=r.student_no),
                login=r.student_no,
                display_name=r.name,
                phone=None,
            )
            for r in self.new_rows
        ]
        User.objects.bulk_create(student_users, batch_size=BATCH)
        parent_phones = [p for p in self.new_guardians if p not in self.phone_users]
        parent_users = [
            self._unusable_user(username=f"m:{p}", login=p, display_name=self.new_guardians[p], phone=p)
            for p in parent_phones
        ]
        User.objects.bulk_create(parent_users, batch_size=BATCH)
        self.phone_users.update({u.phone: u.pk for u in parent_users if u.phone})

        guardians = [
            Guardian(school=school, name=name, phone=phone, user_id=self.phone_users[phone])
            for phone, name in self.new_guardians.items()
        ]
        Guardian.objects.bulk_create(guardians, batch_size=BATCH)
        self.guardians.update({g.phone: g for g in guardians})

        students = [
            Student(
                school=school,
                school_class_id=self.class_ids[(r.level, r.class_number)],
                student_no=r.student_no,
                name=r.name,
                gender=r.gender,
                user_id=user.pk,
            )
            for r, user in zip(self.new_rows, student_users, strict=True)
        ]
        Student.objects.bulk_create(students, batch_size=BATCH)
        self.progress("writing", len(students) // 2, total)
        by_no = {s.student_no: s for s in students}
        RoleMembership.objects.bulk_create(
            [
                RoleMembership(user=user, role=Role.STUDENT, school=school, starts_on=self.today)
                for user in student_users
            ],
            batch_size=BATCH,
        )
        links = [
            Guardianship(
                school=school,
                student=student or by_no[row.student_no],
                guardian=self.guardians[row.guardian_phone],
            )
            for row, student in self.new_links
        ]
        Guardianship.objects.bulk_create(links, batch_size=BATCH)
        parent_user_ids = {self.phone_users.get(p) or self.guardians[p].user_id for p in self._file_phones()}
        seats = [
            RoleMembership(user_id=uid, role=Role.PARENT, school=school, starts_on=self.today)
            for uid in sorted(u for u in parent_user_ids if u is not None and u not in self.parent_seats)
        ]
        RoleMembership.objects.bulk_create(seats, batch_size=BATCH)
        self.progress("writing", len(students), total)

        for guardian in guardians:
            audit.append(
                change_for("guardian.create", guardian, school_id=school.pk, after=snapshot(guardian))
            )
        for student, row in zip(students, self.new_rows, strict=True):
            after = snapshot(student) | {"guardians": [row.guardian_phone]}
            audit.append(change_for("student.create", student, school_id=school.pk, after=after))
        audit.extend(self._apply_changes())
        self.progress("writing", total, total)
        record_many(actor, audit)

    def _file_phones(self) -> set[str]:
        return {r.guardian_phone for r, _ in self.new_links}

    def _apply_changes(self) -> list[Change]:
        school, audit = self.school, []
        renamed = []
        for phone, name in self.renamed_guardians.items():
            guardian = self.guardians[phone]
            before = snapshot(guardian)
            guardian.name = name
            renamed.append(guardian)
            audit.append(
                change_for(
                    "guardian.update", guardian, school_id=school.pk, before=before, after=snapshot(guardian)
                )
            )
        Guardian.objects.bulk_update(renamed, ["name"], batch_size=BATCH)
        updated: list[Student] = []
        renamed_users: list[User] = []
        for student, row, changes in self.changed:
            fields = ["name", "gender", "school_class"]
            before = snapshot(student, fields) | {"guardians": self._guardian_view(student.pk)}
            if "name" in changes:
                student.name = row.name
                if student.user_id:
                    renamed_users.append(User(pk=student.user_id, display_name=row.name))
            student.gender = row.gender
            student.school_class_id = self.class_ids[(row.level, row.class_number)]
            after = snapshot(student, fields) | {
                "guardians": self._guardian_view(student.pk, [row.guardian_phone])
            }
            if changes:
                updated.append(student)
            # A row changed only by its guardian's new name is audited once, on the guardian.
            if before != after:
                audit.append(
                    change_for("student.update", student, school_id=school.pk, before=before, after=after)
                )
        Student.objects.bulk_update(updated, ["name", "gender", "school_class"], batch_size=BATCH)
        User.objects.bulk_update(renamed_users, ["display_name"], batch_size=BATCH)
        return audit

    def _create_classes(self) -> list[Change]:
        school, audit = self.school, []
        missing = self._missing_classes()
        grades = [
            Grade(school=school, level=level, name=grade_name(level, school.grade_naming))
            for level in sorted({level for level, _ in missing} - set(self.grade_ids))
        ]
        Grade.objects.bulk_create(grades)
        grade_by_level = {g.level: g for g in grades}
        for grade in Grade.objects.filter(
            school=school, level__in={lv for lv, _ in missing} - set(grade_by_level)
        ):
            grade_by_level[grade.level] = grade
        classes = [SchoolClass(school=school, grade=grade_by_level[level], number=n) for level, n in missing]
        SchoolClass.objects.bulk_create(classes)
        for grade in grades:
            self.grade_ids[grade.level] = grade.pk
            audit.append(change_for("grade.create", grade, school_id=school.pk, after=snapshot(grade)))
        for school_class in classes:
            self.class_ids[(school_class.grade.level, school_class.number)] = school_class.pk
            audit.append(
                change_for("class.create", school_class, school_id=school.pk, after=snapshot(school_class))
            )
        return audit


STAFF_FIELDS = ("name", "gender", "phone", "subject", "is_party_member", "position")


class StaffPlan(_Plan):
    def __init__(self, school: School, cleaned: Cleaned, progress: ProgressFn) -> None:
        super().__init__(school, cleaned, progress)
        rows = cleaned.staff
        self.existing = {s.staff_no: s for s in Staff.objects.filter(school=school)}
        phones = sorted({r.phone for r in rows if r.phone})
        self.phone_owner = self._users_by_phone(phones)
        new_keys = [
            account_key(school_code=school.code, login=r.staff_no)
            for r in rows
            if r.staff_no not in self.existing
        ]
        self.taken_keys = self._taken_usernames(new_keys)
        self.head_seats = set(
            RoleMembership.objects.filter(school=school, role=Role.HEAD_TEACHER)
            .active_on(self.today)
            .values_list("user_id", "school_class_id")
        )
        self.new_rows: list[StaffRow] = []
        self.changed: list[tuple[Staff, StaffRow, dict[str, Any]]] = []
        # (row, the person's account or None for one this import creates, class id)
        self.new_seats: list[tuple[StaffRow, int | None, int]] = []
        self._plan(rows)

    def _plan(self, rows: list[StaffRow]) -> None:
        total = len(rows)
        for done, row in enumerate(rows, start=1):
            self._tick("checking", done, total)
            staff = self.existing.get(row.staff_no)
            own_user = staff.user_id if staff is not None else None
            owner = self.phone_owner.get(row.phone or "")
            if owner is not None and owner[0] != own_user:
                self.errors.append(
                    CellError(
                        row.row,
                        "手机号",
                        gettext("手机号 %(phone)s 已被账号“%(owner)s”使用。")
                        % {"phone": row.phone, "owner": owner[1]},
                    )
                )
                continue
            class_ids = []
            for level, number in row.head_of:
                class_id = self.class_ids.get((level, number))
                if class_id is None:
                    label = _class_label(level, number, self.school.grade_naming)
                    self.errors.append(
                        CellError(
                            row.row,
                            "职务",
                            gettext("%(label)s还不存在，请先导入学生名单或添加该班级。") % {"label": label},
                        )
                    )
                else:
                    class_ids.append(class_id)
            if len(class_ids) != len(row.head_of):
                continue
            if staff is None:
                if account_key(school_code=self.school.code, login=row.staff_no) in self.taken_keys:
                    self.errors.append(
                        CellError(
                            row.row,
                            "工号",
                            gettext("工号 %(staff_no)s 已被本校其他账号（如某位学生的学号）使用。")
                            % {"staff_no": row.staff_no},
                        )
                    )
                    continue
                self.new_rows.append(row)
                self.new_seats.extend((row, None, cid) for cid in class_ids)
                self.created += 1
                continue
            if staff.user_id is None:
                if class_ids:
                    self.errors.append(
                        CellError(row.row, "职务", gettext("该教职工没有登录账号，无法设为班主任。"))
                    )
                    continue
                seats = []
            else:
                seats = [cid for cid in class_ids if (staff.user_id, cid) not in self.head_seats]
                self.new_seats.extend((row, staff.user_id, cid) for cid in seats)
            changes = {
                name: value
                for name, value in self._row_values(row).items()
                if value is not None and getattr(staff, name) != value
            }
            if changes or seats:
                self.changed.append((staff, row, changes))
                self.updated += 1
            else:
                self.unchanged += 1
        self.details = {"head_teacher_seats": len(self.new_seats)}

    @staticmethod
    def _row_values(row: StaffRow) -> dict[str, Any]:
        return {
            "name": row.name,
            "gender": row.gender,
            "phone": row.phone,
            "subject": row.subject,
            "is_party_member": row.is_party_member,
            "position": row.position,
        }

    def apply(self, actor: Actor) -> None:
        school, audit = self.school, []
        total = self.created + self.updated
        self.progress("writing", 0, total)
        users = [
            self._unusable_user(
                username=account_key(school_code=school.code, login=r.staff_no),
                login=r.staff_no,
                display_name=r.name,
                phone=r.phone,
            )
            for r in self.new_rows
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        created = [
            Staff(
                school=school,
                staff_no=r.staff_no,
                name=r.name,
                gender=r.gender,
                phone=r.phone or "",
                subject=r.subject or "",
                is_party_member=bool(r.is_party_member),
                position=r.position or "",
                user_id=user.pk,
            )
            for r, user in zip(self.new_rows, users, strict=True)
        ]
        Staff.objects.bulk_create(created, batch_size=BATCH)
        RoleMembership.objects.bulk_create(
            [
                RoleMembership(user=user, role=Role.TEACHER, school=school, starts_on=self.today)
                for user in users
            ],
            batch_size=BATCH,
        )
        for staff in created:
            audit.append(change_for("staff.create", staff, school_id=school.pk, after=snapshot(staff)))
        self.progress("writing", len(created), total)

        updated, account_updates = [], []
        for staff, _, changes in self.changed:
            if not changes:
                continue
            before = snapshot(staff)
            for name, value in changes.items():
                setattr(staff, name, value)
            updated.append(staff)
            if staff.user_id and ("name" in changes or "phone" in changes):
                account_updates.append(
                    User(pk=staff.user_id, display_name=staff.name, phone=staff.phone or None)
                )
            audit.append(
                change_for("staff.update", staff, school_id=school.pk, before=before, after=snapshot(staff))
            )
        Staff.objects.bulk_update(updated, list(STAFF_FIELDS), batch_size=BATCH)
        User.objects.bulk_update(account_updates, ["display_name", "phone"], batch_size=BATCH)

        new_user_of = {r.staff_no: u for r, u in zip(self.new_rows, users, strict=True)}
        seats = [
            RoleMembership(
                user_id=new_user_of[row.staff_no].pk if user_id is None else user_id,
                role=Role.HEAD_TEACHER,
                school=school,
                school_class_id=class_id,
                starts_on=self.today,
            )
            for row, user_id, class_id in self.new_seats
        ]
        RoleMembership.objects.bulk_create(seats, batch_size=BATCH)
        for seat in seats:
            audit.append(change_for("role.grant", seat, school_id=school.pk, after=snapshot(seat)))
        self.progress("writing", total, total)
        record_many(actor, audit)


def _plan_for(school: School, cleaned: Cleaned, progress: ProgressFn) -> StudentPlan | StaffPlan:
    if cleaned.kind == Kind.STUDENTS:
        return StudentPlan(school, cleaned, progress)
    return StaffPlan(school, cleaned, progress)


def import_roster(
    *,
    actor: Actor,
    school: School,
    name: str,
    stream: IO[bytes],
    dry_run: bool,
    progress: ProgressFn | None = None,
) -> ImportResult:
    """Check a roster file and, unless `dry_run` or any row is bad, write it: all rows or none.

    Returns the counts (new / changed / unchanged rows) and every error with its row and column.
    Importing the same file again finds every row unchanged and writes nothing, not even audit entries.
    """
    require(can_manage_people(actor, school), gettext("只有本校管理员可以导入名单。"))
    report = progress or _noop
    sheet = read_roster(name, stream, progress=lambda done, total: report("reading", done, total))
    cleaned = clean(sheet)
    result = ImportResult(kind=sheet.kind, rows=len(sheet.rows), ignored_columns=sheet.ignored, sheet=sheet)
    if dry_run or cleaned.errors:
        _fill(result, cleaned, _plan_for(school, cleaned, report))
        return result
    try:
        with transaction.atomic():
            # Two imports into one school queue here, and each plans against what the other wrote.
            # (FOR NO KEY UPDATE: see docs/developing.md "Lock order".)
            School.objects.select_for_update(no_key=True).filter(pk=school.pk).first()
            plan = _plan_for(school, cleaned, report)
            _fill(result, cleaned, plan)
            if result.errors or not result.has_changes:
                return result
            plan.apply(actor)
            result.applied = True
    except IntegrityError as exc:
        raise Conflict(gettext("导入时名单被其他操作同时修改，没有写入任何数据，请重新导入。")) from exc
    return result


def _fill(result: ImportResult, cleaned: Cleaned, plan: StudentPlan | StaffPlan) -> None:
    result.errors = sorted(cleaned.errors + plan.errors, key=lambda e: e.row)
    result.created, result.updated, result.unchanged = plan.created, plan.updated, plan.unchanged
    result.details = plan.details
