"""A small campaign in the personas' school with one record of each kind, built through the services.

What it holds (the tests assert these exact figures):
- 2 published activities: 数学竞赛 (ahead, xiao and ming signed up: not participation yet) and
  红色经典诵读 (held last week, xiao and 胡班 took part, xiao won 一等奖), and one draft that doesn't count;
- 1 weekly set for 初一(1)班 (xiao's class, 1 student), handed in on time by xiao;
- 2.5 approved volunteer hours for xiao, and 1 pending claim that doesn't count;
- wang's published commitment with 2 items, one marked fulfilled;
- 1 approved photo of 红色经典诵读 and 1 unapproved one.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from chuangyou.activities import services as activities
from chuangyou.activities.models import Activity, Evidence, Kind
from chuangyou.campaigns.models import Campaign, Phase
from chuangyou.campaigns.services import create_campaign
from chuangyou.commitments import services as commitments
from chuangyou.commitments.models import Commitment
from chuangyou.org.models import SchoolClass, Staff, Student
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.org.services import create_student
from chuangyou.practice import services as practice
from chuangyou.practice.models import ExerciseSet, Question
from chuangyou.practice.services import AnswerInput
from chuangyou.testing import World
from chuangyou.volunteering import services as volunteering

# Built here through each app's services, not with another app's test helpers, so a refactor of
# their tests can't break ours.

_numbers = itertools.count(1)


@dataclass
class Scenario:
    campaign: Campaign
    contest: Activity
    reading: Activity
    photo: Evidence


def jpeg(width: int = 800, height: int = 600, color: str = "red") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG")
    return SimpleUploadedFile("合影.jpg", out.getvalue(), content_type="image/jpeg")


def make_campaign(world: World) -> Campaign:
    return create_campaign(
        actor=actor_for(world.alice),
        school=world.school,
        year=timezone.localdate().year,
        title="示例县第一中学创先争优活动实施方案",
        theme="树先锋",
    )


def make_activity(world: World, *, publish: bool = True, **fields: Any) -> Activity:
    now = timezone.now()
    phase = Phase.objects.filter(school=world.school).order_by("order").first()
    assert phase is not None, "make the campaign first"
    values: dict[str, Any] = {
        "kind": Kind.SUBJECT_CONTEST,
        "title": "数学竞赛",
        "phase": phase,
        "person_in_charge": world.staff_hu,
        "starts_at": now + dt.timedelta(days=10),
        "ends_at": now + dt.timedelta(days=10, hours=2),
        "capacity": 5,
        "signup_opens": now - dt.timedelta(days=1),
        "signup_closes": now + dt.timedelta(days=5),
        "venue": "阶梯教室",
    }
    values.update(fields)
    activity = activities.create_activity(
        actor=SYSTEM, school=world.school, data=activities.ActivityInput(**values)
    )
    return activities.publish_activity(actor=SYSTEM, activity=activity) if publish else activity


def add_students(school_class: SchoolClass, count: int, *, prefix: str = "N") -> list[Student]:
    return [
        create_student(
            actor=SYSTEM,
            school_class=school_class,
            student_no=f"{prefix}{i:03d}",
            name=f"学生{prefix}{i}",
            gender="F",
            guardians=[(f"家长{prefix}{i}", f"137{next(_numbers):08d}")],
        )
        for i in range(count)
    ]


def make_set(world: World, classes: list[SchoolClass]) -> tuple[ExerciseSet, Question]:
    """tian's one-question set for this week, published."""
    tian = actor_for(world.tian)
    today = timezone.localdate()
    exercise_set = practice.create_set(
        actor=tian,
        school=world.school,
        title="一元一次方程",
        subject="数学",
        week=today - dt.timedelta(days=today.weekday()),
        deadline=timezone.now() + dt.timedelta(days=3),
        classes=classes,
    )
    question = practice.add_question(
        actor=tian,
        exercise_set=exercise_set,
        kind="single",
        prompt="1+1=?",
        points=Decimal(2),
        choices=["1", "2", "3"],
        correct=[1],
    )
    published = practice.publish_set(actor=tian, exercise_set=exercise_set)
    return published, question


def published_commitment(world: World, campaign: Campaign) -> Commitment:
    """wang's commitment of two items, submitted and published by the secretary."""
    wang = actor_for(world.wang)
    commitment = commitments.declare(actor=wang, campaign=campaign, staff=Staff.objects.get(user=world.wang))
    for category, content in (("study", "每月精读一本教育专著"), ("work", "每周两次课后辅导")):
        commitments.add_item(
            actor=wang,
            commitment=commitment,
            category=category,
            content=content,
            measures="按月落实",
            deadline=dt.date(2099, 12, 31),
        )
    commitments.submit(actor=wang, commitment=commitment)
    return commitments.publish(actor=actor_for(world.bella), commitment=commitment)


def build(world: World) -> Scenario:
    campaign = make_campaign(world)
    now = timezone.now()
    contest = make_activity(world, title="数学竞赛")
    for student in (world.student_xiao, world.student_ming):
        activities.sign_up(actor=SYSTEM, activity=contest, person=student)
    reading = make_activity(
        world,
        kind=Kind.THEME_EDUCATION,
        title="红色经典诵读",
        for_teachers=True,
        signup_opens=now - dt.timedelta(days=10),
        signup_closes=now - dt.timedelta(days=8),
        starts_at=now - dt.timedelta(days=7),
        ends_at=now - dt.timedelta(days=7) + dt.timedelta(hours=2),
    )
    during = now - dt.timedelta(days=9)
    place = activities.sign_up(actor=SYSTEM, activity=reading, person=world.student_xiao, now=during)
    activities.sign_up(actor=SYSTEM, activity=reading, person=world.staff_hu, now=during)
    activities.record_result(actor=SYSTEM, registration=place, award="first")
    make_activity(world, title="草稿活动", publish=False)

    exercise, first = make_set(world, [world.class_1])
    xiao = actor_for(world.xiao)
    practice.submit(actor=xiao, exercise_set=exercise, answers={first.pk: AnswerInput(chosen=(1,))})

    tian = Staff.objects.get(user=world.tian)
    args = {
        "school": world.school,
        "service": "社区敬老",
        "organization": "东街社区",
        "description": "陪老人聊天",
        "organizer": tian,
    }
    claim = volunteering.claim_hours(actor=xiao, served_on=timezone.localdate(), hours=Decimal("2.5"), **args)  # type: ignore[arg-type]
    volunteering.give_consent(actor=actor_for(world.ma), claim=claim)
    volunteering.approve_claim(actor=actor_for(world.tian), claim=claim)
    volunteering.claim_hours(actor=xiao, served_on=timezone.localdate(), hours=Decimal("1"), **args)  # type: ignore[arg-type]

    commitment = published_commitment(world, campaign)
    item = commitment.items.order_by("pk").first()
    assert item is not None
    commitments.mark_fulfilment(actor=actor_for(world.bella), item=item, fulfilled=True)

    photo = activities.add_evidence(actor=SYSTEM, activity=reading, upload=jpeg(), caption="诵读现场")
    activities.set_exhibition_approved(actor=actor_for(world.wang), evidence=photo, approved=True)
    activities.add_evidence(actor=SYSTEM, activity=reading, upload=jpeg(color="blue"), caption="未审核")
    campaign = Campaign.objects.prefetch_related("phases").select_related("school").get(pk=campaign.pk)
    return Scenario(campaign=campaign, contest=contest, reading=reading, photo=photo)


def commend(world: World, campaign: Campaign) -> None:
    """优秀学生干部 with 100 元 each from a 500 元 prize budget: xiao commended after a notice that
    ended before today, ming nominated and still under review."""
    from chuangyou.campaigns.services import add_resource
    from chuangyou.honors import services as honors
    from chuangyou.nominations import services as nominations

    wang = actor_for(world.wang)
    line = add_resource(actor=wang, campaign=campaign, kind="funds", name="表彰奖金", amount=Decimal(500))
    honors.set_budget(actor=wang, line=line, amount=Decimal(500))
    award = nominations.create_award_type(
        actor=wang,
        school=world.school,
        name="优秀学生干部",
        code="GB",
        level="school",
        for_kind="student",
        quota_kind="count",
        quota_value=Decimal(2),
        quota_unit="class",
        shortlist_ratio=Decimal("1.2"),
        prize=Decimal(100),
        budget_line=line,
    )
    n = nominations.nominate(
        actor=actor_for(world.hu), award=award, campaign=campaign, student=world.student_xiao, story="事迹"
    )
    n = nominations.advance(actor=wang, nomination=n, reason="年级推荐")
    n = nominations.select(actor=actor_for(world.bella), nomination=n, reason="校评审通过")
    nominations.nominate(actor=wang, award=award, campaign=campaign, student=world.student_ming, story="事迹")
    notice = nominations.publish_notice(
        actor=wang,
        campaign=campaign,
        title="优秀学生干部评选结果公示",
        basis="《创先争优活动实施方案》",
        starts_on=timezone.localdate() - dt.timedelta(days=30),
        office="监督小组办公室",
        phone="0731-1234567",
        address="学校行政楼201",
        nominations=[n],
        today=timezone.localdate() - dt.timedelta(days=30),
    )
    honors.issue_notice(actor=actor_for(world.bella), notice=notice)
