"""People and role seats: the input and output schemas of `chuangyou.api.routers.people`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt

from ninja import Field, Schema

from chuangyou.org.models import Role, SchoolClass


class ClassOut(Schema):
    id: int
    grade_level: int = Field(alias="grade.level")
    grade_name: str = Field(alias="grade.name")
    number: int
    name: str

    @staticmethod
    def resolve_name(obj: SchoolClass) -> str:
        return str(obj)


class StudentOut(Schema):
    id: int
    student_no: str
    name: str
    gender: str
    class_id: int = Field(alias="school_class_id")
    class_name: str

    @staticmethod
    def resolve_class_name(obj: object) -> str:
        return str(obj.school_class)  # type: ignore[attr-defined]


class StaffOut(Schema):
    id: int
    staff_no: str
    name: str
    gender: str
    subject: str
    is_party_member: bool
    position: str


class MembershipOut(Schema):
    id: int
    user_id: int
    user_name: str = Field(alias="user.display_name")
    role: str
    class_id: int | None = Field(alias="school_class_id")
    is_leader: bool
    starts_on: dt.date
    ends_on: dt.date | None


class GrantIn(Schema):
    user_id: int
    role: Role
    class_id: int | None = None
    is_leader: bool = False
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class EndIn(Schema):
    ends_on: dt.date | None = None


class PasswordOut(Schema):
    password: str
