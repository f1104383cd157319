"""A small campaign in the personas' school with one record of each kind, built through the services.

What it holds (the tests assert these exact figures):
- 2 published activities: 数学竞赛 (ahead, xiao and ming signed up) and 红色经典诵读 (held last week,
  xiao and 胡班 took part, xiao won 一等奖), and one draft that doesn't count;
- 1 weekly set for 初一(1)班 (xiao's class, 1 student), handed in on time by xiao;
- 2.5 approved volunteer hours for xiao, and 1 pending claim that doesn't count;
- wang's published commitment with 2 items, one marked fulfilled;
- 1 approved photo of 红色经典诵读 and 1 unapproved one.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from chuangyou.activities import services as activities
from chuangyou.activities.models import Activity, Evidence, Kind
from chuangyou.activities.tests.conftest import make_activity
from chuangyou.campaigns.models import Campaign
from chuangyou.commitments import services as commitments
from chuangyou.commitments.tests.helpers import make_campaign, published
from chuangyou.org.models import Staff
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.practice import services as practice
from chuangyou.practice.services import AnswerInput
from chuangyou.practice.tests.helpers import make_set, questions
from chuangyou.testing import World
from chuangyou.volunteering import services as volunteering


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


def build(world: World) -> Scenario:
    campaign = make_campaign(world)
    now = timezone.now()
    contest = make_activity(world.school, world.staff_hu, title="数学竞赛", capacity=5)
    for student in (world.student_xiao, world.student_ming):
        activities.sign_up(actor=SYSTEM, activity=contest, person=student)
    reading = make_activity(
        world.school,
        world.staff_hu,
        kind=Kind.THEME_EDUCATION,
        title="红色经典诵读",
        capacity=5,
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
    make_activity(world.school, world.staff_hu, title="草稿活动", publish=False)

    exercise = make_set(world, classes=[world.class_1])
    xiao = actor_for(world.xiao)
    first = questions(exercise)[0]
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

    commitment = published(world, campaign, "wang", 2)
    item = commitment.items.order_by("pk").first()
    assert item is not None
    commitments.mark_fulfilment(actor=actor_for(world.bella), item=item, fulfilled=True)

    photo = activities.add_evidence(actor=SYSTEM, activity=reading, upload=jpeg(), caption="诵读现场")
    activities.set_exhibition_approved(actor=actor_for(world.wang), evidence=photo, approved=True)
    activities.add_evidence(actor=SYSTEM, activity=reading, upload=jpeg(color="blue"), caption="未审核")
    campaign = Campaign.objects.prefetch_related("phases").select_related("school").get(pk=campaign.pk)
    return Scenario(campaign=campaign, contest=contest, reading=reading, photo=photo)
