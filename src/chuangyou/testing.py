"""Named personas for tests, one per role, built through the services (as healthchecks' hc/test.py).

alice   school admin of 第一中学            bella   leading group (组长), 党支部书记
wang    working group                       su      supervision group
hu      班主任 of 初一(1)班                  tian    a teacher with no other seat
xiao    a student of 初一(1)班               ming    a student of 初一(2)班
ma      xiao's parent                        ju      bureau admin of the county
oscar   school admin of another school (the outsider)
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.test import Client
from django.utils import timezone

from chuangyou.accounts.models import User
from chuangyou.org import services
from chuangyou.org.models import Bureau, PartyBranch, Role, School, SchoolClass, Staff, Student
from chuangyou.org.rules import SYSTEM

# The moment every test starts at (the root conftest pins the clock there, ticking). Module-level dates
# in tests derive from it, never from the real clock, which is read when the module is imported.
PINNED_NOW = dt.datetime(2026, 11, 21, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
PINNED_TODAY = PINNED_NOW.date()

PASSWORD = "Chuangyou-test-2026"  # noqa: S105 - the personas' shared test password


@dataclass
class World:
    bureau: Bureau
    school: School
    other_school: School
    class_1: SchoolClass
    class_2: SchoolClass
    branch: PartyBranch
    alice: User
    bella: User
    wang: User
    su: User
    hu: User
    tian: User
    xiao: User
    ming: User
    ma: User
    ju: User
    oscar: User
    student_xiao: Student
    student_ming: Student
    staff_hu: Staff

    def persona(self, name: str) -> User:
        user = getattr(self, name)
        assert isinstance(user, User)
        return user

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.persona(name))
        return client


PERSONAS = ("alice", "bella", "wang", "su", "hu", "tian", "xiao", "ming", "ma", "ju", "oscar")


def _with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def build_world(*, on: dt.date | None = None) -> World:
    day = on or timezone.localdate() - dt.timedelta(days=30)
    bureau = services.create_bureau(actor=SYSTEM, code="county", name="示例县教育局")
    school = services.create_school(actor=SYSTEM, bureau=bureau, code="yizhong", name="示例县第一中学")
    other = services.create_school(actor=SYSTEM, bureau=bureau, code="erzhong", name="示例县第二中学")
    class_1 = services.ensure_class(actor=SYSTEM, school=school, level=7, number=1)
    class_2 = services.ensure_class(actor=SYSTEM, school=school, level=7, number=2)
    branch = services.create_party_branch(actor=SYSTEM, school=school, name="示例县第一中学党支部")

    def staff(no: str, name: str, *, in_school: School = school, party: bool = False) -> Staff:
        return services.create_staff(
            actor=SYSTEM,
            school=in_school,
            staff_no=no,
            name=name,
            gender="F",
            subject="语文",
            is_party_member=party,
            party_branch=branch if party and in_school == school else None,
            on=day,
        )

    def staff_user(no: str, name: str, **kw: Any) -> User:
        user = staff(no, name, **kw).user
        assert user is not None
        return user

    def seat(user: User, role: Role, *, in_school: School = school, **kw: Any) -> None:
        services.grant_role(actor=SYSTEM, user=user, role=role, school=in_school, starts_on=day, **kw)

    alice = staff_user("T001", "艾丽")
    bella = staff_user("T002", "白拉", party=True)
    wang = staff_user("T003", "王武", party=True)
    su = staff_user("T004", "苏监")
    staff_hu = staff("T005", "胡班")
    hu = staff_hu.user
    assert hu is not None
    tian = staff_user("T006", "田师")
    oscar = staff_user("T101", "欧斯", in_school=other)
    seat(alice, Role.SCHOOL_ADMIN)
    seat(bella, Role.LEADING_GROUP, is_leader=True)
    seat(bella, Role.BRANCH_SECRETARY, party_branch=branch)
    seat(wang, Role.WORKING_GROUP)
    seat(su, Role.SUPERVISION_GROUP, is_leader=True)
    seat(hu, Role.HEAD_TEACHER, school_class=class_1)
    seat(oscar, Role.SCHOOL_ADMIN, in_school=other)

    xiao = services.create_student(
        actor=SYSTEM,
        school_class=class_1,
        student_no="S001",
        name="肖同学",
        gender="M",
        guardians=[("马家长", "13800000001")],
        on=day,
    )
    ming = services.create_student(
        actor=SYSTEM,
        school_class=class_2,
        student_no="S002",
        name="明同学",
        gender="F",
        guardians=[("明家长", "13800000002")],
        on=day,
    )
    ma = User.objects.get(phone="13800000001")
    ju = User.objects.create_user("county:ju", login="ju", display_name="局管理员")
    services.grant_role(actor=SYSTEM, user=ju, role=Role.BUREAU_ADMIN, bureau=bureau, starts_on=day)

    users = [alice, bella, wang, su, hu, tian, xiao.user, ming.user, ma, ju, oscar]
    for user in users:
        assert user is not None
        _with_password(user)
    assert xiao.user is not None
    assert ming.user is not None
    return World(
        bureau=bureau,
        school=school,
        other_school=other,
        class_1=class_1,
        class_2=class_2,
        branch=branch,
        alice=alice,
        bella=bella,
        wang=wang,
        su=su,
        hu=hu,
        tian=tian,
        xiao=xiao.user,
        ming=ming.user,
        ma=ma,
        ju=ju,
        oscar=oscar,
        student_xiao=xiao,
        student_ming=ming,
        staff_hu=staff_hu,
    )


def race(count: int, work: Callable[[int], object], *, timeout: float = 60) -> list[BaseException]:
    """Run `work(0..count-1)` in as many threads released at once, each on its own database
    connection, and return what they raised. For the concurrency tests."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            work(i)
        except BaseException as exc:  # the test inspects every failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors
