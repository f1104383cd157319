"""Three campaigns of the 2025—2026 school year, built through the services for the 总结's analysis:
nothing done, a weak one and a strong one. The clock is the caller's: tests travel to SUMMARY_DAY
(inside the last phase) before building, so every relative date below is fixed.

Classes: 初一（1）班 has xiao and 5 more students, 初一（2）班 has ming and 5 more (12 in all).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from chuangyou.activities import services as activities
from chuangyou.activities.models import Activity, Kind
from chuangyou.campaigns import services as campaigns
from chuangyou.campaigns.models import Campaign, Phase
from chuangyou.commitments import services as commitments
from chuangyou.evaluations.models import Evaluation, State, SubjectType
from chuangyou.honors import services as honors
from chuangyou.honors.models import Payable
from chuangyou.org.models import Staff, Student
from chuangyou.org.rules import SYSTEM, actor_for
from chuangyou.practice import services as practice
from chuangyou.practice.services import AnswerInput
from chuangyou.projects import services as projects
from chuangyou.reports.tests.scenario import add_students, commend
from chuangyou.testing import World
from chuangyou.volunteering import services as volunteering

SUMMARY_DAY = dt.date(2026, 6, 20)
PHASES = [
    ("动员部署", dt.date(2025, 9, 1), dt.date(2025, 9, 30), "召开动员大会，学习活动方案，分解任务到人"),
    ("全面争创", dt.date(2025, 10, 1), dt.date(2026, 4, 30), "开展竞赛、每周一练、志愿服务和公开承诺"),
    ("对标定位", dt.date(2026, 5, 1), dt.date(2026, 6, 10), "对照标准开展民主评议和星级评定"),
    ("总结完善", dt.date(2026, 6, 11), dt.date(2026, 7, 10), "评选表彰先进，总结经验，完善长效机制"),
]


def school_year_campaign(world: World) -> Campaign:
    """The 2026 plan, its four phases moved to the school year (September 2025 to July 2026)."""
    wang = actor_for(world.wang)
    campaign = campaigns.create_campaign(
        actor=wang, school=world.school, year=2026, title="示例县第一中学创先争优活动实施方案",
        theme="树先锋", principles="以立德树人为根本任务，以创先争优为抓手，推动学校各项工作上水平。",
        goals="学生参与率达到百分之六十以上，党支部争创五星级，培养一批师生先进典型。",
    )  # fmt: skip
    # Moved one at a time the plan would overlap or outrun a year on the way: keep the first, re-add the rest.
    first, *rest = campaign.phases.order_by("order")
    for phase in rest:
        campaigns.delete_phase(actor=wang, phase=phase)
    name, starts, ends, work = PHASES[0]
    campaigns.update_phase(
        actor=wang, phase=first, name=name, starts_on=starts, ends_on=ends, description=work
    )
    for name, starts, ends, work in PHASES[1:]:
        campaigns.add_phase(
            actor=wang, campaign=campaign, name=name, starts_on=starts, ends_on=ends, description=work
        )
    return Campaign.objects.select_related("school").prefetch_related("phases").get(pk=campaign.pk)


def more_students(world: World) -> list[Student]:
    return add_students(world.class_1, 5, prefix="A") + add_students(world.class_2, 5, prefix="B")


def held_activity(world: World, campaign: Campaign, title: str, **fields: Any) -> Activity:
    """An activity of the campaign that took place last week; sign-ups were open the week before."""
    now = timezone.now()
    values: dict[str, Any] = {
        "kind": Kind.SUBJECT_CONTEST,
        "title": title,
        "phase": Phase.objects.get(campaign=campaign, order=2),
        "person_in_charge": world.staff_hu,
        "starts_at": now - dt.timedelta(days=7),
        "ends_at": now - dt.timedelta(days=7, hours=-2),
        "capacity": 40,
        "signup_opens": now - dt.timedelta(days=20),
        "signup_closes": now - dt.timedelta(days=10),
        "venue": "阶梯教室",
    }
    activity = activities.create_activity(
        actor=SYSTEM, school=world.school, data=activities.ActivityInput(**(values | fields))
    )
    return activities.publish_activity(actor=SYSTEM, activity=activity)


def sign_up_all(activity: Activity, people: list[Student] | list[Staff]) -> None:
    during = timezone.now() - dt.timedelta(days=15)
    for person in people:
        activities.sign_up(actor=SYSTEM, activity=activity, person=person, now=during)


def weekly_set(world: World, students: list[Student], *, handing_in: int) -> None:
    """tian's set for this week in both classes; the first `handing_in` students hand it in."""
    tian = actor_for(world.tian)
    today = timezone.localdate()
    exercise = practice.create_set(
        actor=tian, school=world.school, title="一元一次方程", subject="数学",
        week=today - dt.timedelta(days=today.weekday()), deadline=timezone.now() + dt.timedelta(days=3),
        classes=[world.class_1, world.class_2],
    )  # fmt: skip
    question = practice.add_question(
        actor=tian, exercise_set=exercise, kind="single", prompt="1+1=?", points=Decimal(2),
        choices=["1", "2", "3"], correct=[1],
    )  # fmt: skip
    exercise = practice.publish_set(actor=tian, exercise_set=exercise)
    for student in students[:handing_in]:
        assert student.user is not None
        practice.submit(
            actor=actor_for(student.user),
            exercise_set=exercise,
            answers={question.pk: AnswerInput(chosen=(1,))},
        )


def commitment(world: World, campaign: Campaign, deadlines: list[dt.date]) -> list[Any]:
    """wang's commitment, one item per deadline, published by the secretary."""
    wang = actor_for(world.wang)
    declared = commitments.declare(actor=wang, campaign=campaign, staff=Staff.objects.get(user=world.wang))
    contents = ["每月精读一本教育专著", "每周两次课后辅导", "结对帮扶两名学困生"]
    for content, deadline in zip(contents, deadlines, strict=False):
        commitments.add_item(
            actor=wang, commitment=declared, category="work", content=content, measures="按月落实",
            deadline=deadline,
        )  # fmt: skip
    commitments.submit(actor=wang, commitment=declared)
    published = commitments.publish(actor=actor_for(world.bella), commitment=declared)
    return list(published.items.order_by("pk"))


def volunteer_hours(world: World, days: int) -> None:
    """xiao serves 8 hours on each of `days` days, certified by tian with his parent's consent."""
    for back in range(days):
        claim = volunteering.claim_hours(
            actor=actor_for(world.xiao), school=world.school, service="社区敬老", organization="东街社区",
            description="陪老人聊天", organizer=Staff.objects.get(user=world.tian),
            served_on=timezone.localdate() - dt.timedelta(days=back + 1), hours=Decimal(8),
        )  # fmt: skip
        volunteering.give_consent(actor=actor_for(world.ma), claim=claim)
        volunteering.approve_claim(actor=actor_for(world.tian), claim=claim)


def branch_evaluation(world: World) -> Evaluation:
    """The published 五星级党支部创评, as the counting engine leaves it: 18 of 20 raters voted and the
    branch is rated ★5. Only the result is read by the 总结, so it is written as the engine writes it
    rather than voted through the evaluations app (whose own tests vote it)."""
    opens = timezone.now() - dt.timedelta(days=30)
    return Evaluation.objects.create(
        school=world.school, title="五星级党支部创评", subject_type=SubjectType.BRANCH, rubric={}, rules={},
        opens_at=opens, closes_at=opens + dt.timedelta(days=2), state=State.PUBLISHED,
        published_on=timezone.localdate() - dt.timedelta(days=27),
        result={
            "groups": [{"key": "g1", "entitled": 20, "returned": 18}],
            "subjects": [{"key": "b1", "name": "示例县第一中学党支部", "stars": 5, "groups": []}],
        },
    )  # fmt: skip


def funded_project(world: World) -> None:
    """xiao's 校园雨水回收装置, reviewed and funded 2,000 元 this week."""
    wang = actor_for(world.wang)
    today = timezone.localdate()
    call = projects.create_call(
        actor=wang, school=world.school, title="创新项目征集", semester="2026 春季学期",
        opens_on=today - dt.timedelta(days=5), closes_on=today + dt.timedelta(days=30),
        budget=Decimal(10000), per_project_cap=Decimal(3000), rules="每学期评选一次。",
    )  # fmt: skip
    proposal = projects.create_proposal(
        actor=actor_for(world.xiao), call=call, title="校园雨水回收装置", abstract="收集屋顶雨水浇灌花坛。",
        plan="调研、制作、安装。", budget_request=Decimal(2000), advisor=Staff.objects.get(user=world.tian),
    )  # fmt: skip
    projects.submit_proposal(actor=actor_for(world.xiao), proposal=proposal)
    panel = [world.staff_hu, Staff.objects.get(user=world.bella), Staff.objects.get(user=world.su)]
    projects.set_panel(actor=wang, call=call, members=panel)
    projects.open_review(actor=wang, call=call)
    projects.record_decision(
        actor=wang, proposal=proposal, funded=True, amount=Decimal(2000), reason="评审会纪要", rank=1
    )


def previous_campaign(world: World, students: list[Student]) -> Campaign:
    """The 2025 plan: one activity in which 2 of the 12 students took part."""
    old = campaigns.create_campaign(
        actor=actor_for(world.wang),
        school=world.school,
        year=2025,
        title="2025年创先争优活动方案",
        theme="争先锋",
    )
    reading = held_activity(world, old, "读书分享会", kind=Kind.THEME_EDUCATION)
    sign_up_all(reading, students[:2])
    return old


def nothing_done(world: World) -> Campaign:
    more_students(world)
    return school_year_campaign(world)


def weak(world: World) -> Campaign:
    """2 of 12 students in one activity, 1 of 12 hands in the practice, an overdue task and an overdue
    commitment item, one honor whose 100 元 prize is not paid yet."""
    students = [world.student_xiao, world.student_ming, *more_students(world)]
    campaign = school_year_campaign(world)
    contest = held_activity(world, campaign, "数学竞赛")
    sign_up_all(contest, [world.student_xiao, world.student_ming])
    weekly_set(world, students, handing_in=1)
    campaigns.create_assignment(
        actor=actor_for(world.wang), campaign=campaign, title="制定班级活动计划",
        owner=Staff.objects.get(user=world.tian), deadline=timezone.localdate() - dt.timedelta(days=20),
    )  # fmt: skip
    commitment(world, campaign, [timezone.localdate() - dt.timedelta(days=10), dt.date(2026, 7, 10)])
    commend(world, campaign)
    return campaign


def strong(world: World) -> Campaign:
    """Everyone of 初一（1）班 and 4 of 6 of 初一（2）班 in activities, 4 of 6 staff too, a contest prize;
    11 of 12 hand the practice in on time; 24 volunteer hours; every task done and every commitment
    kept; a ★5 branch at 90% turnout; an honor paid; a funded project; and the 2025 plan before it."""
    c1 = [world.student_xiao, *add_students(world.class_1, 5, prefix="A")]
    c2 = [world.student_ming, *add_students(world.class_2, 5, prefix="B")]
    previous_campaign(world, [*c1, *c2])
    campaign = school_year_campaign(world)
    campaigns.add_resource(
        actor=actor_for(world.wang), campaign=campaign, kind="funds", name="活动经费", amount=Decimal(5000)
    )
    contest = held_activity(world, campaign, "数学竞赛")
    sign_up_all(contest, [*c1, *c2[:4]])
    first = contest.registrations.get(student=world.student_xiao)
    activities.record_result(actor=SYSTEM, registration=first, award="first")
    reading = held_activity(world, campaign, "红色经典诵读", kind=Kind.THEME_EDUCATION, for_teachers=True)
    sign_up_all(reading, list(Staff.objects.filter(school=world.school).order_by("pk")[:4]))
    weekly_set(world, [*c1, *c2], handing_in=11)
    volunteer_hours(world, 3)
    task = campaigns.create_assignment(
        actor=actor_for(world.wang), campaign=campaign, title="制定班级活动计划",
        owner=Staff.objects.get(user=world.tian), deadline=timezone.localdate() - dt.timedelta(days=20),
    )  # fmt: skip
    campaigns.complete_assignment(actor=actor_for(world.wang), assignment=task)
    for item in commitment(world, campaign, [dt.date(2026, 6, 30), dt.date(2026, 7, 10)]):
        commitments.mark_fulfilment(actor=actor_for(world.bella), item=item, fulfilled=True)
    branch_evaluation(world)
    commend(world, campaign)
    for payable in Payable.objects.filter(school=world.school):
        honors.mark_paid(actor=actor_for(world.wang), payable=payable, paid_on=timezone.localdate())
    funded_project(world)
    return campaign
