"""The demo bureau: 昭陵区教育局 with 昭陵中学 (the seed's school, full size) and a small second school.

Everything is built through the same services the pages use, so the demo exercises the real paths and
its audit log verifies. The same seed gives the same people, names and numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from chuangyou.accounts.models import User
from chuangyou.lib.logins import account_key
from chuangyou.org import services as org
from chuangyou.org.models import Bureau, PartyBranch, Role, School, SchoolClass, Staff
from chuangyou.org.rules import SYSTEM

from .clock import begin, day
from .names import person_name, same_surname_parent

BUREAU_CODE = "zhaoling"
DEMO_PASSWORD = "cy-demo-2026"  # noqa: S105 - printed for the demo on purpose


def seats_from() -> dt.date:
    """The 2026–2027 school year's first day, moved like the rest of the story."""
    return day(2026, 9, 1)


SUBJECTS = (
    "语文",
    "数学",
    "英语",
    "物理",
    "化学",
    "生物",
    "道德与法治",
    "历史",
    "地理",
    "体育",
    "音乐",
    "美术",
    "信息技术",
)


@dataclass(frozen=True)
class SchoolSpec:
    code: str
    name: str
    address: str
    phone: str
    grades: tuple[int, ...]
    classes_per_grade: int
    students_per_class: tuple[int, int]  # inclusive range
    teachers: int
    party_members: int


ZHAOLING = SchoolSpec(
    code="zlzx", name="昭陵中学", address="昭陵区学府路1号", phone="0731-88880001",
    grades=(7, 8, 9), classes_per_grade=8, students_per_class=(42, 48), teachers=120, party_members=40,
)  # fmt: skip
SHIYAN = SchoolSpec(
    code="syzx", name="昭陵区实验中学", address="昭陵区文化路8号", phone="0731-88880002",
    grades=(7,), classes_per_grade=2, students_per_class=(28, 32), teachers=12, party_members=4,
)  # fmt: skip

# Which 工号 holds which seat. The order of staff is fixed, so the demo logins are stable.
LEADING = ("T0001", "T0002", "T0003", "T0004")  # 组长 first: 党支部书记、校长
WORKING = ("T0005", "T0006", "T0007", "T0008", "T0010")
SUPERVISION = ("T0011", "T0012", "T0013")
SCHOOL_ADMIN = "T0009"
POSITIONS = {
    "T0001": "党支部书记、校长", "T0002": "副校长", "T0003": "副校长", "T0004": "工会主席",
    "T0005": "政教主任", "T0006": "教务主任", "T0007": "团委书记", "T0008": "总务主任",
    "T0009": "办公室主任", "T0010": "年级组长", "T0011": "纪检委员", "T0012": "教师代表", "T0013": "教师代表",
}  # fmt: skip
FIRST_HEAD_TEACHER = 20  # T0020 … T0043 are the 24 班主任 of 昭陵中学

# The unused one-time codes of the open 五星创评, known only to the run that issued them (only their
# hashes are stored): the command prints them once, so a visitor can vote without an account.
VOTING_CODES: list[str] = []


@dataclass(frozen=True)
class DemoLogin:
    role: str
    school: str
    school_code: str
    login: str
    name: str


def student_no(level: int, class_number: int, seat: int, *, school_year: int = 2026) -> str:
    """学号: entry year, class number, seat, e.g. 20260307 for 初一(3)班 seat 7."""
    entry_year = school_year - (level - 7) if level >= 7 else school_year - (level - 1)
    return f"{entry_year}{class_number:02d}{seat:02d}"


class _Phones:
    """Unique 11-digit mobile numbers: a 6-digit prefix per school and a counter."""

    def __init__(self, prefix: str) -> None:
        assert len(prefix) == 6
        self.prefix, self.counter = prefix, 0

    def next(self) -> str:
        self.counter += 1
        return f"{self.prefix}{self.counter:05d}"


def _build_school(bureau: Bureau, spec: SchoolSpec, rng: random.Random, phones: _Phones) -> School:
    school = org.create_school(
        actor=SYSTEM, bureau=bureau, code=spec.code, name=spec.name, address=spec.address, phone=spec.phone
    )
    branch = org.create_party_branch(
        actor=SYSTEM, school=school, name=f"{spec.name}党支部", founded_on=dt.date(1998, 7, 1)
    )
    staff = _build_staff(school, spec, branch, rng, phones)
    classes = [
        org.ensure_class(actor=SYSTEM, school=school, level=level, number=number)
        for level in spec.grades
        for number in range(1, spec.classes_per_grade + 1)
    ]
    for school_class in classes:
        _build_class(school_class, spec, rng, phones)
    _seat_groups(school, staff, classes)
    return school


def _build_staff(
    school: School, spec: SchoolSpec, branch: PartyBranch, rng: random.Random, phones: _Phones
) -> dict[str, Staff]:
    leaders = set(LEADING + WORKING + SUPERVISION + (SCHOOL_ADMIN,))
    numbers = [f"T{i:04d}" for i in range(1, spec.teachers + 1)]
    # The group seats go to party members first, as the plan's 领导小组 is led by the branch.
    party = {n for n in numbers if n in leaders and n in POSITIONS and n not in ("T0012", "T0013")}
    others = [n for n in numbers if n not in party]
    party |= set(rng.sample(others, max(0, spec.party_members - len(party))))
    staff = {}
    for number in numbers:
        gender = rng.choice("MF")
        is_member = number in party
        staff[number] = org.create_staff(
            actor=SYSTEM, school=school, staff_no=number, name=person_name(rng, gender), gender=gender,
            phone=phones.next(), subject=rng.choice(SUBJECTS), is_party_member=is_member,
            position=POSITIONS.get(number, ""), party_branch=branch if is_member else None, on=seats_from(),
        )  # fmt: skip
    return staff


def _build_class(school_class: SchoolClass, spec: SchoolSpec, rng: random.Random, phones: _Phones) -> None:
    size = rng.randint(*spec.students_per_class)
    for seat in range(1, size + 1):
        gender = rng.choice("MF")
        name = person_name(rng, gender)
        guardians = [(same_surname_parent(rng, name)[0], phones.next())]
        if rng.random() < 0.4:
            guardians.append((person_name(rng, "F"), phones.next()))
        org.create_student(
            actor=SYSTEM,
            school_class=school_class,
            student_no=student_no(school_class.grade.level, school_class.number, seat),
            name=name,
            gender=gender,
            guardians=guardians,
            on=seats_from(),
        )


def _seat_groups(school: School, staff: dict[str, Staff], classes: list[SchoolClass]) -> None:
    def seat(number: str, role: Role, **kw: object) -> None:
        user = staff[number].user
        if user is not None:
            org.grant_role(actor=SYSTEM, user=user, role=role, school=school, starts_on=seats_from(), **kw)  # type: ignore[arg-type]

    seat(SCHOOL_ADMIN, Role.SCHOOL_ADMIN)
    branch = PartyBranch.objects.get(school=school)
    seat(LEADING[0], Role.BRANCH_SECRETARY, party_branch=branch)  # "党支部书记、校长"
    for group, role in ((LEADING, Role.LEADING_GROUP), (WORKING, Role.WORKING_GROUP),
                        (SUPERVISION, Role.SUPERVISION_GROUP)):  # fmt: skip
        for index, number in enumerate(group):
            if number in staff:
                seat(number, role, is_leader=index == 0)
    for offset, school_class in enumerate(classes):
        number = f"T{FIRST_HEAD_TEACHER + offset:04d}"
        if number in staff:
            seat(number, Role.HEAD_TEACHER, school_class=school_class)


def _ensure_bureau_admin(bureau: Bureau) -> User:
    user = User.objects.filter(username=account_key(school_code=BUREAU_CODE, login="admin")).first()
    if user is None:
        user = User.objects.create_user(
            account_key(school_code=BUREAU_CODE, login="admin"), login="admin", display_name="区教育局管理员"
        )
        org.grant_role(actor=SYSTEM, user=user, role=Role.BUREAU_ADMIN, bureau=bureau, starts_on=seats_from())
    return user


def is_loaded() -> bool:
    return Bureau.objects.filter(code=BUREAU_CODE).exists()


def load_demo(*, seed: int = 2012) -> list[DemoLogin]:
    """Build the demo once, on the week of today. A second call changes nothing and returns the same
    logins."""
    if not is_loaded():
        begin(timezone.localdate())  # the story's week becomes this week: see clock.py
        rng = random.Random(seed)
        with transaction.atomic():
            bureau = org.create_bureau(actor=SYSTEM, code=BUREAU_CODE, name="昭陵区教育局")
            _ensure_bureau_admin(bureau)
            _build_school(bureau, ZHAOLING, rng, _Phones("139073"))
            _build_school(bureau, SHIYAN, rng, _Phones("138073"))
            from chuangyou.demo.campaign import build_campaigns

            build_campaigns()
            from chuangyou.demo.participation import build_participation

            VOTING_CODES[:] = build_participation(rng)
            logins = demo_logins()
            for user in User.objects.filter(pk__in=[_user_for(login).pk for login in logins]):
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
    return demo_logins()


def _user_for(login: DemoLogin) -> User:
    if login.school_code == BUREAU_CODE:
        return User.objects.get(username=account_key(school_code=BUREAU_CODE, login=login.login))
    if login.login.isdigit() and len(login.login) == 11:
        return User.objects.get(phone=login.login)
    return User.objects.get(username=account_key(school_code=login.school_code, login=login.login))


def demo_logins() -> list[DemoLogin]:
    """One login per role, read back from the database so a second `make run` prints the same."""
    school = School.objects.get(code=ZHAOLING.code)
    first_class = SchoolClass.objects.select_related("grade").get(school=school, grade__level=7, number=1)
    student = first_class.students.order_by("student_no").first()
    assert student is not None
    guardian = student.guardians.order_by("pk").first()
    assert guardian is not None

    def staff_login(role: str, number: str) -> DemoLogin:
        member = Staff.objects.get(school=school, staff_no=number)
        return DemoLogin(role, school.name, school.code, number, member.name)

    head = f"T{FIRST_HEAD_TEACHER:04d}"
    return [
        DemoLogin("教育局管理员", "昭陵区教育局", BUREAU_CODE, "admin", "区教育局管理员"),
        staff_login("学校管理员", SCHOOL_ADMIN),
        staff_login("领导小组组长", LEADING[0]),
        staff_login("工作小组成员", WORKING[1]),
        staff_login("监督小组组长", SUPERVISION[0]),
        staff_login(f"班主任（{first_class}）", head),
        staff_login("教师", "T0100"),
        DemoLogin("学生", school.name, school.code, student.student_no, student.name),
        DemoLogin("家长", school.name, school.code, guardian.phone, guardian.name),
    ]
