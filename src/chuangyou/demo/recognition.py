"""The branch's and the school's side of the year so far: 公开承诺 and 践诺, a published 民主测评 and an
open 五星创评, and the first 三好学生 / 优秀学生干部 honors with a second notice still running.

Written through the services as the people who do each step: the 党支部书记 declares and publishes,
the 班主任 nominate, the working group sends up, the leading group selects and issues. Dates are fixed
and chosen so the working-day rules the services apply accept them (公示 of 5 working days from
Monday 2 November ends on Friday 6 November; the one from Wednesday 18 November runs to the 24th).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from chuangyou.campaigns.models import ResourceLine
from chuangyou.commitments import services as commitments
from chuangyou.commitments.models import Category, Commitment
from chuangyou.evaluations import presets
from chuangyou.evaluations import services as evaluations
from chuangyou.evaluations.models import Entitlement, Evaluation, GroupKind, Source, Subject, SubjectType
from chuangyou.honors import services as honors
from chuangyou.nominations import services as nominations
from chuangyou.nominations.models import AwardType, Nomination, Notice
from chuangyou.org.models import PartyBranch, Staff, Student
from chuangyou.org.rules import SYSTEM

from .clock import at, day
from .people import People

# --- 公开承诺 ---------------------------------------------------------------------------------------

BRANCH_ITEMS = (
    (
        Category.STUDY,
        "每月开展一次党员集中学习，全年不少于 10 次。",
        "制定学习计划，书记带头讲党课，学习情况记入党员档案。",
        (2027, 6, 30),
    ),
    (
        Category.STUDY,
        "组织党员教师参加师德师风专题培训。",
        "每学期邀请专家作一次专题报告，党员写心得体会。",
        (2027, 6, 30),
    ),
    (
        Category.WORK,
        "落实党员教师“一帮一”结对帮扶学困生。",
        "每名党员结对 2 名学困生，每月谈心一次并记录。",
        (2027, 6, 30),
    ),
    (
        Category.WORK,
        "本学年中考成绩位居全区前三名。",
        "加强初三教学管理，党员教师承担毕业班关键学科教学。",
        (2027, 7, 10),
    ),
    (
        Category.WORK,
        "开展“每周一练”，初一、初二年级全覆盖。",
        "教务处统筹，各学科每周布置一份练习，按时批改讲评。",
        (2026, 12, 31),
    ),
    (
        Category.WORK,
        "建成科技楼创客教室并向学生开放。",
        "总务处负责场地与设备，团委组织科技兴趣小组。",
        (2027, 3, 31),
    ),
    (
        Category.DISCIPLINE,
        "严格执行中央八项规定精神，不违规收受礼品礼金。",
        "签订廉洁从教承诺书，公布监督电话。",
        (2027, 6, 30),
    ),
    (
        Category.DISCIPLINE,
        "坚决杜绝有偿家教和违规补课。",
        "开展专项检查，设立家长意见箱，发现问题严肃处理。",
        (2027, 6, 30),
    ),
    (
        Category.DISCIPLINE,
        "党务、校务公开，重大事项集体决策。",
        "每学期召开教代会，重要事项在校务公开栏公示。",
        (2027, 6, 30),
    ),
    (
        Category.SERVICE,
        "党员教师每学期家访不少于 10 户。",
        "家访覆盖留守儿童和困难家庭，做好记录。",
        (2027, 1, 20),
    ),
    (
        Category.SERVICE,
        "组织师生参加社区志愿服务，每学期不少于 2 次。",
        "团委组织，党员教师带队，活动时长记入志愿服务档案。",
        (2027, 1, 20),
    ),
    (
        Category.SERVICE,
        "开通“校长信箱”，师生家长反映的问题 5 个工作日内答复。",
        "办公室专人负责登记、转办和回复。",
        (2027, 6, 30),
    ),
)
BRANCH_PROGRESS = (
    (0, "10月、11月已开展集中学习 2 次，书记讲党课 1 次，参学率 95%。", (2026, 11, 10)),
    (4, "“每周一练”10月12日启动，初一年级数学、美术已连续布置，平均完成率约九成。", (2026, 11, 16)),
    (10, "11月14日组织“清洁家园”社区志愿服务，30 名学生、4 名教师参加。", (2026, 11, 15)),
    (2, "40 名党员已全部完成结对，建立帮扶记录。", (2026, 10, 30)),
)
MEMBER_ITEMS = (
    (Category.STUDY, "每月读一本教育专著并写读书笔记。", "利用周末时间阅读，笔记在教研组交流。"),
    (Category.WORK, "所带班级学科成绩提高到年级前三。", "精心备课，分层布置作业，课后个别辅导。"),
    (Category.DISCIPLINE, "不从事有偿家教，不收受家长礼品。", "自觉接受学生、家长和同事监督。"),
    (Category.SERVICE, "每周为学困生义务辅导一次。", "每周三下午放学后在教室辅导 40 分钟。"),
    (Category.SERVICE, "本学期家访 10 户以上。", "重点走访留守儿童家庭，做好家访记录。"),
)
PUBLISHED_MEMBERS = ("T0024", "T0025", "T0033", "T0047", "T0049", "T0100", "T0020")
SUBMITTED_MEMBER = "T0050"


def build_commitments(people: People, rng: random.Random) -> None:
    branch = PartyBranch.objects.get(school=people.school)
    secretary = people.actor(people.staff["T0001"])
    commitment = commitments.declare(actor=secretary, campaign=people.campaign, branch=branch)
    items = [
        commitments.add_item(
            actor=secretary,
            commitment=commitment,
            category=category,
            content=content,
            measures=measures,
            deadline=day(*deadline),
        )
        for category, content, measures, deadline in BRANCH_ITEMS
    ]
    commitments.submit(actor=secretary, commitment=commitment)
    commitments.publish(actor=secretary, commitment=commitment)
    commitments.file_with_bureau(actor=secretary, commitment=commitment)
    for index, text, on in BRANCH_PROGRESS:
        commitments.report_progress(actor=secretary, item=items[index], text=text, on=day(*on))
    for number in (*PUBLISHED_MEMBERS, SUBMITTED_MEMBER):
        _member(people, people.staff[number], publish=number != SUBMITTED_MEMBER, rng=rng)


def _member(people: People, staff: Staff, *, publish: bool, rng: random.Random) -> Commitment:
    own = people.actor(staff)
    commitment = commitments.declare(actor=own, campaign=people.campaign, staff=staff)
    chosen = rng.sample(MEMBER_ITEMS, rng.randint(3, 4))
    items = [
        commitments.add_item(
            actor=own,
            commitment=commitment,
            category=category,
            content=content,
            measures=measures,
            deadline=day(2027, 1, 20),
        )
        for category, content, measures in chosen
    ]
    commitments.submit(actor=own, commitment=commitment)
    if publish:
        commitments.publish(actor=people.actor(people.staff["T0001"]), commitment=commitment)
        if rng.random() < 0.7:
            commitments.report_progress(
                actor=own,
                item=items[0],
                text="已按计划推进，完成情况良好，相关记录已整理。",
                on=day(2026, 11, rng.randint(5, 20)),
            )
    return commitment


# --- 民主测评 and 五星创评 --------------------------------------------------------------------------

MARKS = ("好", "较好", "一般", "差")
TEACHER_SUBJECTS = ("T0020", "T0021", "T0022", "T0023", "T0073", "T0100")
TEACHER_VOTERS = (
    *(f"T{n:04d}" for n in range(20, 28)),
    "T0073",
    "T0100",
    *(f"T{n:04d}" for n in range(44, 54)),
)
TEACHER_ABSENT = ("T0047", "T0051", "T0026")  # did not vote


def build_teacher_evaluation(people: People, rng: random.Random) -> Evaluation:
    """初一年级组's 民主测评 of six teachers on the 五个模范, voted 26–30 October and published."""
    evaluation = evaluations.create_evaluation(
        actor=SYSTEM,
        school=people.school,
        title="2026年秋季初一年级教师民主测评（五个模范）",
        subject_type=SubjectType.TEACHER,
        preset="five_models",
        opens_at=at(2026, 10, 26),
        closes_at=at(2026, 10, 30, 18),
        description="初一年级组教师对照“五个模范”对本年级六位教师进行无记名测评。",
    )
    specs = [
        evaluations.SubjectSpec(SubjectType.TEACHER, people.staff[n].pk, people.staff[n].name)
        for n in TEACHER_SUBJECTS
    ]
    evaluations.add_subjects(actor=SYSTEM, evaluation=evaluation, specs=specs)
    voters = [people.staff[n] for n in TEACHER_VOTERS]
    group = evaluations.add_group(
        actor=SYSTEM,
        evaluation=evaluation,
        kind=GroupKind.PEERS,
        name="初一年级组教师",
        source=Source.LIST,
        user_ids=[s.user_id for s in voters if s.user_id is not None],
    )
    evaluations.open_voting(actor=SYSTEM, evaluation=evaluation, today=day(2026, 10, 26))
    subjects = list(Subject.objects.filter(evaluation=evaluation).order_by("pk"))
    for index, voter in enumerate(voters):
        if voter.staff_no in TEACHER_ABSENT:
            continue
        entitlement = Entitlement.objects.get(evaluation=evaluation, group=group, user=voter.user)
        marks = {}
        for place, subject in enumerate(subjects):
            # Never one mark for everyone (that ballot would be void): the first subject leans higher.
            weights = (6, 3, 1, 0) if place == 0 else (4, 4, 2, 0.3)
            marks[str(subject.pk)] = {f"c{c}": rng.choices(MARKS, weights)[0] for c in range(1, 6)}
        first, second = (marks[str(s.pk)] for s in subjects[:2])
        first["c1"], second["c1"] = "好", "一般"
        evaluations.cast_ballot(
            actor=people.actor(voter),
            entitlement=entitlement,
            marks=marks,
            now=at(2026, 10, 26 + index % 4, 12, index),
        )
    evaluations.close_voting(actor=SYSTEM, evaluation=evaluation)
    return evaluations.publish(actor=SYSTEM, evaluation=evaluation, today=day(2026, 10, 31))


FIVE_STAR_CODES = 40
FIVE_STAR_CODES_USED = 14
FIVE_STAR_SKIP = ("T0001", "T0006", "T0100", "T0009")  # printed logins: left to vote in the demo


def build_five_star(people: People, rng: random.Random) -> list[str]:
    """The branch's 五星创评, open from 16 to 30 November: party members, staff and leaders vote with
    their accounts, parents' and students' representatives with one-time codes. Returns unused codes."""
    evaluation = presets.create_five_star(
        actor=SYSTEM, school=people.school, opens_at=at(2026, 11, 16), closes_at=at(2026, 11, 30, 18)
    )
    codes_group = evaluations.add_group(
        actor=SYSTEM,
        evaluation=evaluation,
        kind=GroupKind.PUBLIC,
        name="家长和学生代表（投票码）",
        source=Source.CODES,
    )
    evaluations.open_voting(actor=SYSTEM, evaluation=evaluation, today=day(2026, 11, 16))
    codes = evaluations.issue_codes(actor=SYSTEM, group=codes_group, count=FIVE_STAR_CODES)
    subject = Subject.objects.get(evaluation=evaluation)
    by_user = {s.user_id: s for s in people.staff.values() if s.user_id is not None}
    skip = {people.staff[n].user_id for n in FIVE_STAR_SKIP}
    roll = (
        Entitlement.objects.filter(evaluation=evaluation, user__isnull=False)
        .exclude(user_id__in=skip)
        .select_related("group")
        .order_by("group_id", "user_id")
    )
    for index, entitlement in enumerate(roll):
        if entitlement.group.kind == GroupKind.PUBLIC and index % 3:
            continue  # about a third of the staff have voted as 群众 so far
        assert entitlement.user_id is not None
        voter = by_user[entitlement.user_id]
        evaluations.cast_ballot(
            actor=people.actor(voter),
            entitlement=entitlement,
            marks={str(subject.pk): _star_marks(rng)},
            now=at(2026, 11, 16 + index % 5, 10, index % 60),
        )
    for index, code in enumerate(codes[:FIVE_STAR_CODES_USED]):
        evaluations.cast_ballot(
            actor=SYSTEM,
            entitlement=evaluations.entitlement_for_code(code),
            code=code,
            marks={str(subject.pk): _star_marks(rng)},
            now=at(2026, 11, 17 + index % 4, 19, index),
        )
    return codes[FIVE_STAR_CODES_USED:]


def _star_marks(rng: random.Random) -> dict[str, str]:
    marks = {f"c{c}": str(rng.choice((16, 17, 18, 18, 19, 19, 20))) for c in range(1, 6)}
    marks["c6"] = str(rng.choice((6, 7, 8, 8, 9)))
    return marks


# --- 推荐、公示、表彰 -------------------------------------------------------------------------------

STORIES = {
    "三好学生": "该生思想上进，尊敬师长，团结同学；学习刻苦，成绩在班级名列前茅；积极参加体育锻炼和"
    "学校组织的各项活动，在本学期运动会、学科竞赛和社区志愿服务中表现突出，是同学们学习的榜样。",
    "优秀学生干部": "该生担任班干部以来，工作认真负责，能主动协助班主任管理班级事务，组织主题班会和"
    "志愿服务活动，关心同学，以身作则，在同学中有较高威信。",
}
FIRST_NOTICE = ((7, 1), (7, 2), (7, 3), (7, 4))  # 初一: nominated in October, notice 2–6 November
RUNNING_NOTICE = ((8, 1), (8, 2))  # 初二: notice from 18 November, still running on the 21st
PER_CLASS = (("三好学生", 3), ("优秀学生干部", 1))


def _nominate(
    people: People, awards: dict[str, AwardType], classes: tuple[tuple[int, int], ...], rng: random.Random
) -> list[Nomination]:
    working, leading = people.actor(people.staff["T0006"]), people.actor(people.staff["T0001"])
    chosen = []
    for level, number in classes:
        head = people.actor(people.head_teacher(level, number))
        pool: list[Student] = rng.sample(people.students(level, number)[1:], sum(n for _, n in PER_CLASS))
        for name, count in PER_CLASS:
            for student in pool[:count]:
                nomination = nominations.nominate(
                    actor=head,
                    award=awards[name],
                    campaign=people.campaign,
                    student=student,
                    story=f"{student.name}，{student.school_class}学生。{STORIES[name]}",
                    reason="班级民主推荐",
                )
                nominations.advance(actor=working, nomination=nomination, reason="年级审核通过")
                chosen.append(nominations.select(actor=leading, nomination=nomination, reason="学校评审确定"))
            pool = pool[count:]
    return chosen


def _notice(people: People, title: str, starts_on: dt.date, chosen: list[Nomination]) -> Notice:
    return nominations.publish_notice(
        actor=people.actor(people.staff["T0006"]),
        campaign=people.campaign,
        title=title,
        basis="根据《昭陵中学2026—2027学年创先争优活动实施方案》，经班级推荐、年级审核、学校评审，拟表彰以下同学。",
        starts_on=starts_on,
        office="学校监督小组（纪检委员办公室）",
        phone=people.school.phone,
        address=people.school.address,
        nominations=chosen,
        today=starts_on,  # the demo's history: published the day it started
    )


def build_honors(people: People, rng: random.Random) -> list[str]:
    """Award types from the presets with prize money from the 活动奖励经费 line; 初一's honors issued
    on 13 November after their notice ended; 初二's notice running. Returns the honors' numbers."""
    line = ResourceLine.objects.get(campaign=people.campaign, name="活动奖励经费")
    nominations.install_presets(actor=SYSTEM, school=people.school, budget_line=line)
    honors.set_budget(actor=SYSTEM, line=line, amount=Decimal("8000"))
    awards = {a.name: a for a in AwardType.objects.filter(school=people.school)}
    first = _notice(
        people,
        "2026年秋季初一年级三好学生、优秀学生干部评选结果公示",
        day(2026, 11, 2),
        _nominate(people, awards, FIRST_NOTICE, rng),
    )
    issued = honors.issue_notice(
        actor=people.actor(people.staff["T0001"]), notice=first, today=day(2026, 11, 13)
    )
    _notice(
        people,
        "2026年秋季初二年级三好学生、优秀学生干部评选结果公示",
        day(2026, 11, 18),
        _nominate(people, awards, RUNNING_NOTICE, rng),
    )
    return [h.number for h in issued]


def build_recognition(people: People, rng: random.Random) -> list[str]:
    build_commitments(people, rng)
    build_teacher_evaluation(people, rng)
    codes = build_five_star(people, rng)
    build_honors(people, rng)
    return codes
