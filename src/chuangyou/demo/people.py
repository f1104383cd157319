"""Who is who in the demo's campaign year: the school, this year's plan, staff by 工号, classes by
(grade, number), and each person's actor. Shared by the modules that write the year's activity."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile

from chuangyou.accounts.models import User
from chuangyou.campaigns.models import Campaign, Phase
from chuangyou.org.models import School, SchoolClass, Staff, Student
from chuangyou.org.rules import Actor, actor_for

from .clock import campaign_year
from .loader import FIRST_HEAD_TEACHER, ZHAOLING


@dataclass
class People:
    school: School
    campaign: Campaign
    staff: dict[str, Staff]
    classes: dict[tuple[int, int], SchoolClass]
    _students: dict[int, list[Student]] = field(default_factory=dict)
    _actors: dict[int, Actor] = field(default_factory=dict)

    @classmethod
    def load(cls) -> People:
        school = School.objects.get(code=ZHAOLING.code)
        campaign = Campaign.objects.get(school=school, year=campaign_year())
        staff = {s.staff_no: s for s in Staff.objects.filter(school=school).select_related("user")}
        classes = {
            (c.grade.level, c.number): c
            for c in SchoolClass.objects.filter(school=school).select_related("grade")
        }
        return cls(school, campaign, staff, classes)

    @property
    def competing(self) -> Phase:
        """全面争创, where this term's work sits."""
        return self.campaign.phases.get(name="全面争创")

    def students(self, level: int, number: int) -> list[Student]:
        school_class = self.classes[(level, number)]
        if school_class.pk not in self._students:
            self._students[school_class.pk] = list(
                Student.objects.filter(school_class=school_class)
                .select_related("user", "school_class__grade")
                .order_by("student_no")
            )
        return self._students[school_class.pk]

    def head_teacher(self, level: int, number: int) -> Staff:
        offset = (level - ZHAOLING.grades[0]) * ZHAOLING.classes_per_grade + number - 1
        return self.staff[f"T{FIRST_HEAD_TEACHER + offset:04d}"]

    def actor(self, who: Staff | Student | User) -> Actor:
        user = who if isinstance(who, User) else who.user
        assert user is not None
        if user.pk not in self._actors:
            self._actors[user.pk] = actor_for(user)
        return self._actors[user.pk]

    @property
    def demo_student(self) -> Student:
        """The printed student login: 初一(1)班, seat 1."""
        return self.students(7, 1)[0]


def certificate_scan(label: str, color: tuple[int, int, int] = (196, 30, 36)) -> SimpleUploadedFile:
    """A small picture standing in for a scanned certificate or a photo (the uploads are re-encoded)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 220), (250, 243, 226))
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 311, 211), outline=color, width=6)
    draw.ellipse((240, 140, 300, 200), outline=color, width=4)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{label}.png", buffer.getvalue(), content_type="image/png")
