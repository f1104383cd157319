"""The campaign year as it stands in the story's week (2026-11-18 to 24, moved to the week the demo is
loaded in: see clock.py): what students and teachers of 昭陵中学 have done
since the 全面争创 stage began on 1 October.

Activities with sign-ups and results, two outside prizes, 每周一练 with the students' work, volunteer
hours, book recommendations and October's pick, and this semester's 创新项目 call under review. Every
write goes through the app's own service, as the person who would do it (a student signs up or
answers for themselves, a parent consents, the organizer certifies), with the story's dates; the random
choices come from the loader's seeded generator, so the same seed gives the same year.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from decimal import Decimal

from chuangyou.activities import services as activities
from chuangyou.activities.models import Activity, Award, Kind, Level, Registration, RegStatus
from chuangyou.books import selectors as book_selectors
from chuangyou.books import services as books
from chuangyou.org.models import Staff, Student
from chuangyou.org.rules import SYSTEM
from chuangyou.practice import services as practice
from chuangyou.practice.models import ExerciseSet, Question, QuestionKind
from chuangyou.projects import services as projects
from chuangyou.projects.models import Call
from chuangyou.volunteering import services as volunteering
from chuangyou.volunteering.models import Claim

from .clock import at, day, moment, month_start, moved, story_at
from .people import People, certificate_scan

# --- activities -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivitySpec:
    kind: str
    title: str
    description: str
    venue: str
    person_in_charge: str  # 工号
    starts: dt.datetime
    ends: dt.datetime
    signup_opens: dt.datetime
    signup_closes: dt.datetime
    capacity: int
    levels: tuple[int, ...]  # grades that may take part; () for the whole school
    signups: tuple[tuple[int, int, int], ...]  # (grade, class, how many) signed up by the 班主任
    awards: tuple[tuple[str, int], ...] = ()  # (award, how many), for a finished activity

    def this_week(self) -> ActivitySpec:
        """The activity with its times moved to the week the demo is loaded in (see clock.py)."""
        return replace(
            self,
            starts=moved(self.starts),
            ends=moved(self.ends),
            signup_opens=moved(self.signup_opens),
            signup_closes=moved(self.signup_closes),
        )


ACTIVITIES = (
    ActivitySpec(
        Kind.THEME_EDUCATION,
        "“青春心向党 奋进新时代”主题班会",
        "各班围绕创先争优主题召开班会，学习先进事迹，制定班级争创目标。",
        "各班教室",
        "T0007",
        story_at(2026, 10, 16, 15, 30),
        story_at(2026, 10, 16, 16, 30),
        story_at(2026, 10, 8),
        story_at(2026, 10, 14, 18),
        60,
        (7,),
        ((7, 1, 20), (7, 2, 20), (7, 3, 15)),
    ),
    ActivitySpec(
        Kind.SPORTS,
        "2026年秋季田径运动会",
        "设短跑、中长跑、跳远、跳高、铅球和接力等项目，每人限报两项。",
        "学校田径场",
        "T0005",
        story_at(2026, 10, 22),
        story_at(2026, 10, 23, 17),
        story_at(2026, 10, 9),
        story_at(2026, 10, 18, 18),
        90,
        (),
        ((7, 1, 12), (7, 2, 12), (8, 1, 12), (8, 2, 12), (9, 1, 12), (9, 2, 12)),
        ((Award.FIRST, 3), (Award.SECOND, 5), (Award.THIRD, 7)),
    ),
    ActivitySpec(
        Kind.SOCIAL_PRACTICE,
        "参观昭陵区博物馆社会实践",
        "走进区博物馆，了解家乡历史文化，完成研学任务单。",
        "昭陵区博物馆",
        "T0010",
        story_at(2026, 10, 24, 8, 30),
        story_at(2026, 10, 24, 12),
        story_at(2026, 10, 12),
        story_at(2026, 10, 20, 18),
        45,
        (8,),
        ((8, 1, 18), (8, 2, 18), (8, 3, 14)),
    ),
    ActivitySpec(
        Kind.SUBJECT_CONTEST,
        "2026年秋季初中数学竞赛",
        "初一、初二年级数学竞赛，90 分钟，满分 120 分。",
        "科技楼阶梯教室",
        "T0006",
        story_at(2026, 11, 8, 9),
        story_at(2026, 11, 8, 10, 30),
        story_at(2026, 10, 20),
        story_at(2026, 11, 1, 18),
        40,
        (7, 8),
        ((7, 1, 10), (7, 2, 10), (8, 1, 12), (8, 2, 12)),
        ((Award.FIRST, 3), (Award.SECOND, 6), (Award.THIRD, 10)),
    ),
    ActivitySpec(
        Kind.ARTS,
        "“翰墨传承”师生书法展",
        "征集软笔、硬笔书法作品，优秀作品在学校礼堂展出一周。",
        "学校礼堂",
        "T0100",
        story_at(2026, 11, 12, 9),
        story_at(2026, 11, 16, 17),
        story_at(2026, 10, 26),
        story_at(2026, 11, 6, 18),
        40,
        (),
        ((7, 1, 6), (7, 4, 6), (8, 3, 6), (9, 2, 6)),
        ((Award.FIRST, 2), (Award.SECOND, 4), (Award.THIRD, 6), (Award.MERIT, 6)),
    ),
    ActivitySpec(
        Kind.VOLUNTEER,
        "“清洁家园”社区志愿服务",
        "到学府路社区清理小广告、整理共享单车、宣传垃圾分类。",
        "学府路社区",
        "T0007",
        story_at(2026, 11, 14, 8, 30),
        story_at(2026, 11, 14, 11, 30),
        story_at(2026, 11, 2),
        story_at(2026, 11, 11, 18),
        30,
        (),
        ((7, 1, 10), (7, 2, 8), (8, 1, 8), (9, 3, 8)),
    ),
    ActivitySpec(
        Kind.SCIENCE,
        "第十届校园科技节",
        "科技制作、航模、机器人编程和科学小论文展评。",
        "科技楼创客教室",
        "T0007",
        story_at(2026, 11, 18, 9),
        story_at(2026, 11, 20, 17),
        story_at(2026, 11, 2),
        story_at(2026, 11, 13, 18),
        60,
        (),
        ((7, 3, 8), (8, 2, 10), (8, 4, 8), (9, 1, 10)),
        ((Award.FIRST, 2), (Award.SECOND, 4), (Award.THIRD, 6)),
    ),
    ActivitySpec(
        Kind.READING,
        "“书香校园”读书分享会",
        "每人用 5 分钟分享一本好书，评出“阅读之星”。",
        "图书馆报告厅",
        "T0005",
        story_at(2026, 11, 27, 15),
        story_at(2026, 11, 27, 17),
        story_at(2026, 11, 16),
        story_at(2026, 11, 25, 18),
        40,
        (7, 8),
        ((7, 2, 6), (8, 1, 6)),
    ),
)


def _activity(people: People, spec: ActivitySpec) -> Activity:
    grades = [c.grade for c in people.classes.values() if c.grade.level in spec.levels and c.number == 1]
    activity = activities.create_activity(
        actor=SYSTEM,
        school=people.school,
        data=activities.ActivityInput(
            kind=spec.kind,
            title=spec.title,
            phase=people.competing,
            person_in_charge=people.staff[spec.person_in_charge],
            starts_at=spec.starts,
            ends_at=spec.ends,
            capacity=spec.capacity,
            signup_opens=spec.signup_opens,
            signup_closes=spec.signup_closes,
            description=spec.description,
            venue=spec.venue,
            grades=grades,
        ),
    )
    return activities.publish_activity(actor=SYSTEM, activity=activity)


def build_activities(people: People, rng: random.Random) -> list[Activity]:
    built = []
    demo = people.demo_student
    for index, written in enumerate(ACTIVITIES):
        spec = written.this_week()
        activity = _activity(people, spec)
        moment = spec.signup_opens + dt.timedelta(days=1, hours=index)
        for level, number, count in spec.signups:
            pool = [s for s in people.students(level, number) if s.pk != demo.pk]
            chosen = rng.sample(pool, count)
            # The printed student takes part in the sports meet, the contest and the community service,
            # and is left free to sign up for the reading session herself.
            if (level, number) == (7, 1) and spec.kind in (Kind.SPORTS, Kind.SUBJECT_CONTEST, Kind.VOLUNTEER):
                chosen = [demo, *chosen[1:]]
            head = people.actor(people.head_teacher(level, number))
            activities.bulk_sign_up(actor=head, activity=activity, students=chosen, now=moment)
            moment += dt.timedelta(hours=2)
        if spec.awards:
            _results(activity, spec, rng)
        built.append(activity)
    return built


def _results(activity: Activity, spec: ActivitySpec, rng: random.Random) -> None:
    confirmed = list(
        Registration.objects.filter(activity=activity, status=RegStatus.CONFIRMED).order_by("pk")
    )
    rng.shuffle(confirmed)
    awards = [award for award, count in spec.awards for _ in range(count)]
    contest = spec.kind == Kind.SUBJECT_CONTEST
    for rank, registration in enumerate(confirmed, start=1):
        award = awards[rank - 1] if rank <= len(awards) else ""
        score = Decimal(max(118 - rank * 3 - rng.randint(0, 2), 35)) if contest else None
        if award or contest:
            activities.record_result(
                actor=SYSTEM,
                registration=registration,
                rank=rank if award else None,
                score=score,
                award=award,
            )


EXTERNAL_AWARDS = (
    # (grade, class, seat index, competition, level, award, date)
    (9, 1, 3, "全国中学生数学竞赛（初中组）", Level.PROVINCIAL, Award.SECOND, dt.date(2026, 10, 26)),
    (8, 2, 5, "全国青少年信息学奥林匹克联赛（CSP-J）", Level.PROVINCIAL, Award.THIRD, dt.date(2026, 11, 6)),
)


def build_external_awards(people: People) -> None:
    for level, number, seat, competition, prize_level, award, on in EXTERNAL_AWARDS:
        student = people.students(level, number)[seat]
        activities.record_external_award(
            actor=people.actor(people.head_teacher(level, number)),
            student=student,
            competition=competition,
            level=prize_level,
            awarded_on=moved(on),
            certificate=certificate_scan("获奖证书"),
            award=award,
        )


# --- 每周一练 ---------------------------------------------------------------------------------------

# (prompt, kind, options or accepted answers, indexes of the right options); the right options are
# listed first here and shuffled when the set is written.
Q = tuple[str, str, tuple[str, ...], tuple[int, ...]]
S, M, F = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.FILL
MATH_WEEKS: tuple[tuple[str, tuple[Q, ...]], ...] = (
    (
        "有理数",
        (
            ("−3 的相反数是（　）", S, ("3", "−3", "1/3", "−1/3"), (0,)),
            ("下列各数中，最小的是（　）", S, ("−2", "−1", "0", "1"), (0,)),
            ("|−5| = ____", F, ("5",), ()),
            ("下列各数中，是负数的有（　）", M, ("−0.5", "−|−3|", "0", "−(−2)"), (0, 1)),
        ),
    ),
    (
        "有理数的运算",
        (
            ("(−2)³ = ____", F, ("-8", "−8"), ()),
            ("计算 −3 + 5 的结果是（　）", S, ("2", "−2", "8", "−8"), (0,)),
            ("计算 (−4) × (−25) 的结果是（　）", S, ("100", "−100", "29", "−29"), (0,)),
            ("地球与太阳的平均距离约为 150 000 000 千米，记作 1.5×10ⁿ 千米，则 n = ____", F, ("8",), ()),
        ),
    ),
    (
        "整式",
        (
            ("单项式 −3x²y 的系数是（　）", S, ("−3", "3", "2", "−3x"), (0,)),
            ("单项式 −3x²y 的次数是 ____", F, ("3",), ()),
            ("下列各组中，是同类项的有（　）", M, ("2a 与 3a", "−5 与 7", "x²y 与 xy²", "ab 与 abc"), (0, 1)),
            ("化简 2a − (a − b) 的结果是（　）", S, ("a + b", "a − b", "3a − b", "3a + b"), (0,)),
        ),
    ),
    (
        "整式的加减",
        (
            ("合并同类项：3x + 2x = ____", F, ("5x",), ()),
            ("当 x = 2 时，代数式 3x − 1 的值为（　）", S, ("5", "6", "7", "4"), (0,)),
            (
                "多项式 x² − 3x + 2 是（　）",
                S,
                ("二次三项式", "三次三项式", "二次二项式", "一次三项式"),
                (0,),
            ),
            (
                "下列计算正确的有（　）",
                M,
                ("3a + 2a = 5a", "−a − a = −2a", "2a + 3b = 5ab", "5y − 3y = 2"),
                (0, 1),
            ),
        ),
    ),
    (
        "一元一次方程",
        (
            ("方程 2x + 3 = 7 的解是 x = ____", F, ("2",), ()),
            (
                "下列方程中，是一元一次方程的是（　）",
                S,
                ("3x − 1 = 2", "x + y = 1", "x² = 4", "1/x = 2"),
                (0,),
            ),
            ("方程 3(x − 1) = 6 的解是（　）", S, ("x = 3", "x = 1", "x = 2", "x = −1"), (0,)),
            ("若 x = 1 是方程 2x + a = 5 的解，则 a = ____", F, ("3",), ()),
        ),
    ),
    (
        "一元一次方程的应用",
        (
            ("某数的 3 倍比它大 10，这个数是（　）", S, ("5", "10", "3", "−5"), (0,)),
            (
                "甲、乙两地相距 20 千米，两人同时相向而行，"
                "甲每小时走 4 千米，乙每小时走 6 千米，____ 小时后相遇。",
                F,
                ("2",),
                (),
            ),
            ("一件商品打八折后售价 160 元，原价是（　）元", S, ("200", "180", "128", "192"), (0,)),
            (
                "下列变形正确的有（　）",
                M,
                (
                    "由 x + 3 = 5 得 x = 2",
                    "由 3x = 6 得 x = 2",
                    "由 2x − 1 = 3 得 2x = 4",
                    "由 x/2 = 4 得 x = 2",
                ),
                (0, 1, 2),
            ),
        ),
    ),
)
ART_WEEKS: tuple[tuple[str, tuple[Q, ...]], ...] = (
    (
        "中国画与色彩",
        (
            ("《清明上河图》的作者是（　）", S, ("张择端", "王希孟", "顾恺之", "吴道子"), (0,)),
            ("中国画按题材分为人物、山水和（　）三大类", S, ("花鸟", "油画", "版画", "水彩"), (0,)),
            ("色彩的三要素是色相、明度和（　）", S, ("纯度", "冷暖", "对比", "透明度"), (0,)),
            ("下列颜色中，属于暖色的是（　）", S, ("橙色", "蓝色", "青色", "紫色"), (0,)),
        ),
    ),
    (
        "书法欣赏",
        (
            (
                "被誉为“天下第一行书”的是（　）",
                S,
                ("《兰亭序》", "《祭侄文稿》", "《寒食帖》", "《多宝塔碑》"),
                (0,),
            ),
            ("美术中的三原色是红、黄和（　）", S, ("蓝", "绿", "紫", "白"), (0,)),
            ("“颜筋柳骨”中的“柳”指唐代书法家柳____", F, ("公权",), ()),
            ("“楷书四大家”不包括（　）", S, ("王羲之", "欧阳询", "颜真卿", "赵孟頫"), (0,)),
        ),
    ),
)
MATH_MONDAYS = (
    dt.date(2026, 10, 12),
    dt.date(2026, 10, 19),
    dt.date(2026, 10, 26),
    dt.date(2026, 11, 2),
    dt.date(2026, 11, 9),
    dt.date(2026, 11, 16),
)
ART_MONDAYS = (dt.date(2026, 11, 9), dt.date(2026, 11, 16))
CURRENT_WEEK = dt.date(2026, 11, 16)  # due on Tuesday the 24th: still open all the story's week


def _write_set(
    people: People,
    author: Staff,
    subject: str,
    week: dt.date,
    topic: str,
    questions: tuple[Q, ...],
    classes: list[tuple[int, int]],
    rng: random.Random,
) -> ExerciseSet:
    actor = people.actor(author)
    # Due on Sunday evening; this week's until Tuesday, so it is still open on every day the story's week
    # can fall on when it is moved (see clock.py).
    days = 8 if week == CURRENT_WEEK else 6
    deadline = at(week.year, week.month, week.day, 20) + dt.timedelta(days=days)
    exercise_set = practice.create_set(
        actor=actor,
        school=people.school,
        title=f"{subject}每周一练：{topic}",
        subject=subject,
        week=moved(week),
        deadline=deadline,
        classes=[people.classes[c] for c in classes],
    )
    points = Decimal(100) / len(questions)
    for prompt, kind, options, right in questions:
        if kind == F:
            practice.add_question(
                actor=actor,
                exercise_set=exercise_set,
                kind=kind,
                prompt=prompt,
                points=points,
                accepted=options,
            )
            continue
        order = list(range(len(options)))
        rng.shuffle(order)
        practice.add_question(
            actor=actor,
            exercise_set=exercise_set,
            kind=kind,
            prompt=prompt,
            points=points,
            choices=[options[i] for i in order],
            correct=[order.index(i) for i in right],
        )
    return practice.publish_set(
        actor=actor, exercise_set=exercise_set, now=at(week.year, week.month, week.day, 7, 30)
    )


def _answer(question: Question, right: bool, rng: random.Random) -> practice.AnswerInput:
    if question.kind == QuestionKind.FILL:
        return practice.AnswerInput(text=question.correct[0] if right else str(rng.randint(-9, 12)))
    correct = sorted(question.correct)
    if right:
        return practice.AnswerInput(chosen=tuple(correct))
    wrong = [i for i in range(len(question.choices)) if i not in correct]
    if question.kind == QuestionKind.SINGLE:
        return practice.AnswerInput(chosen=(rng.choice(wrong),))
    return practice.AnswerInput(chosen=tuple(sorted({correct[0], rng.choice(wrong)})))


def _work_on(
    people: People,
    exercise_set: ExerciseSet,
    students: list[Student],
    ability: dict[int, float],
    rng: random.Random,
) -> None:
    questions = list(exercise_set.questions.order_by("order"))
    week = exercise_set.week  # already moved to this week's calendar
    current = week == moved(CURRENT_WEEK)
    for student in students:
        is_demo = student.pk == people.demo_student.pk
        if current and (is_demo or rng.random() > 0.45):
            continue  # this week's set is still open: fewer than half have handed it in so far
        if not current and not is_demo and rng.random() < 0.1:
            continue  # missing
        late = not current and not is_demo and rng.random() < 0.12
        day = rng.randint(1, 5) if not current else rng.randint(0, 4)
        when = moment(week, 19, rng.randint(0, 59)) + dt.timedelta(days=day)
        if late:
            when = exercise_set.deadline + dt.timedelta(hours=rng.randint(14, 40))
        answers = {q.pk: _answer(q, rng.random() < ability[student.pk], rng) for q in questions}
        practice.submit(actor=people.actor(student), exercise_set=exercise_set, answers=answers, now=when)


def build_practice(people: People, rng: random.Random) -> int:
    """The 数学 teacher of 初一(1)(2) sets a weekly practice; the 美术 teacher began one three weeks in."""
    math_teacher, art_teacher = people.staff["T0073"], people.staff["T0100"]
    students = people.students(7, 1) + people.students(7, 2)
    ability = {s.pk: rng.uniform(0.55, 0.97) for s in students}
    sets = 0
    for week, (topic, questions) in zip(MATH_MONDAYS, MATH_WEEKS, strict=True):
        exercise_set = _write_set(people, math_teacher, "数学", week, topic, questions, [(7, 1), (7, 2)], rng)
        _work_on(people, exercise_set, students, ability, rng)
        sets += 1
    for week, (topic, questions) in zip(ART_MONDAYS, ART_WEEKS, strict=True):
        exercise_set = _write_set(people, art_teacher, "美术", week, topic, questions, [(7, 1)], rng)
        _work_on(people, exercise_set, people.students(7, 1), ability, rng)
        sets += 1
    return sets


# --- 志愿服务 ---------------------------------------------------------------------------------------

COMMUNITY = (
    "“清洁家园”社区志愿服务",
    "昭陵区学府路社区居委会",
    "清理楼道小广告，整理共享单车，向居民宣传垃圾分类。",
)
ELDERLY = ("重阳节敬老院慰问", "昭陵区社会福利院", "为老人表演节目、打扫房间、陪老人聊天。")


def build_volunteering(people: People, activity: Activity, rng: random.Random) -> None:
    """The community service's volunteers claim their hours, parents consent, the 团委书记 certifies."""
    organizer = people.staff["T0007"]
    certifier = people.actor(organizer)
    claims: list[tuple[Student, Claim]] = []
    volunteers = [
        r.student
        for r in Registration.objects.filter(activity=activity, status=RegStatus.CONFIRMED)
        .select_related("student__user")
        .order_by("pk")
        if r.student is not None
    ]
    for student in volunteers:
        claims.append((student, _claim(people, student, COMMUNITY, day(2026, 11, 14), Decimal("3"))))
    for student in rng.sample(people.students(8, 1), 10):
        claims.append((student, _claim(people, student, ELDERLY, day(2026, 10, 17), Decimal("2.5"))))
    demo = people.demo_student
    for index, (student, claim) in enumerate(claims):
        if index == len(claims) - 1:
            continue  # the last one waits for a parent's consent
        guardian = student.guardians.order_by("pk").first()
        if (student.pk == demo.pk or rng.random() < 0.8) and guardian is not None and guardian.user:
            volunteering.give_consent(actor=people.actor(guardian.user), claim=claim)
        else:
            volunteering.record_paper_consent(actor=certifier, claim=claim)
        if index < len(claims) - 3:  # the two before it wait for the organizer
            volunteering.approve_claim(actor=certifier, claim=claim)
    for number in ("T0100", "T0020", "T0044", "T0061"):
        teacher = people.staff[number]
        claim = volunteering.claim_hours(
            actor=people.actor(teacher),
            school=people.school,
            served_on=day(2026, 11, 14),
            service=COMMUNITY[0],
            organization=COMMUNITY[1],
            description="带队并参与社区清洁、垃圾分类宣传。",
            hours=Decimal("3.5"),
            organizer=organizer,
            today=day(2026, 11, 15),
        )
        volunteering.approve_claim(actor=certifier, claim=claim, note="带队教师，时长属实。")


def _claim(
    people: People, student: Student, what: tuple[str, str, str], day: dt.date, hours: Decimal
) -> Claim:
    service, organization, description = what
    return volunteering.claim_hours(
        actor=people.actor(student),
        school=people.school,
        served_on=day,
        service=service,
        organization=organization,
        description=description,
        hours=hours,
        organizer=people.staff["T0007"],
        today=day + dt.timedelta(days=1),
    )


# --- 好书推荐 ---------------------------------------------------------------------------------------

BOOKS = (
    ("红星照耀中国", "埃德加·斯诺", "一个外国记者眼中的红军长征和延安，让我明白了信仰的力量。"),
    ("朝花夕拾", "鲁迅", "鲁迅先生回忆童年和青年时代，百草园的乐趣和藤野先生的认真都让我难忘。"),
    ("西游记", "吴承恩", "师徒四人历经八十一难取得真经，告诉我们做事要坚持到底。"),
    ("骆驼祥子", "老舍", "祥子三起三落的命运让我理解了旧社会普通人的艰难。"),
    ("海底两万里", "儒勒·凡尔纳", "跟着鹦鹉螺号周游海底，想象力和科学知识都得到了满足。"),
    ("昆虫记", "让-亨利·法布尔", "法布尔用一生观察昆虫，他的耐心和好奇心值得我们学习。"),
    ("钢铁是怎样炼成的", "尼古拉·奥斯特洛夫斯基", "保尔·柯察金在困境中不放弃，是我们青少年的榜样。"),
    ("城南旧事", "林海音", "透过小英子的眼睛看老北京，淡淡的忧伤里有浓浓的人情味。"),
    ("艾青诗选", "艾青", "“为什么我的眼里常含泪水？因为我对这土地爱得深沉。”读来令人动容。"),
    ("傅雷家书", "傅雷", "父亲写给儿子的信，教我们怎样做人、怎样对待艺术和生活。"),
    ("水浒传", "施耐庵", "一百零八位好汉性格各异，读来痛快，也引人思考什么是真正的义。"),
    ("简·爱", "夏洛蒂·勃朗特", "简·爱追求平等和尊严的勇气，给了我很大的鼓舞。"),
    ("平凡的世界", "路遥", "孙少平兄弟在平凡的生活中不甘平庸，努力奋斗。"),
    ("人类群星闪耀时", "斯蒂芬·茨威格", "十几个决定历史的瞬间，写得惊心动魄。"),
    ("三体", "刘慈欣", "宏大的宇宙想象和严谨的科学细节，让我爱上了科幻小说。"),
    ("草房子", "曹文轩", "油麻地的孩子们的故事，纯净又感人，读完久久不能忘怀。"),
    ("边城", "沈从文", "湘西的山水和翠翠的故事，像一幅淡淡的水墨画。"),
    ("苏东坡传", "林语堂", "苏轼一生坎坷却始终乐观豁达，让我学会笑对挫折。"),
    ("居里夫人传", "艾芙·居里", "居里夫人献身科学、淡泊名利，她的精神激励着我认真学习。"),
    ("长征", "王树增", "用大量史料再现了长征的艰难与伟大，读来热血沸腾。"),
    ("小王子", "圣埃克苏佩里", "小王子和玫瑰的故事告诉我们什么是真正重要的东西。"),
    ("论语译注", "杨伯峻", "孔子的很多话今天读来仍然有道理，比如“学而不思则罔”。"),
    ("给青年的十二封信", "朱光潜", "朱光潜先生像朋友一样和我们谈读书、谈人生。"),
    ("万物简史", "比尔·布莱森", "用幽默的语言讲清楚宇宙、地球和生命的来龙去脉。"),
    ("呐喊", "鲁迅", "《故乡》《社戏》等篇章让我认识了那个时代，也认识了鲁迅。"),
    ("稻草人", "叶圣陶", "中国第一本童话集，善良的稻草人让人心疼。"),
    ("飞向太空港", "李鸣生", "记录我国航天人发射卫星的故事，让我为祖国的航天事业自豪。"),
    ("鲁滨逊漂流记", "丹尼尔·笛福", "一个人在荒岛上生活二十八年，靠的是勇气、智慧和劳动。"),
    ("唐诗三百首", "蘅塘退士 编", "每天读一首，感受诗人笔下的山水、友情和家国情怀。"),
    ("安徒生童话", "安徒生", "《丑小鸭》《卖火柴的小女孩》，长大后重读有了新的感受。"),
    ("培根随笔", "弗朗西斯·培根", "“读史使人明智，读诗使人灵秀”，篇篇短小却很有哲理。"),
    ("寂静的春天", "蕾切尔·卡森", "这本书让我认识到保护环境的重要，要从身边小事做起。"),
    ("林海雪原", "曲波", "剿匪小分队在林海雪原中斗智斗勇，故事惊险又精彩。"),
    ("红岩", "罗广斌、杨益言", "江姐等革命先烈坚贞不屈，让我懂得今天的幸福来之不易。"),
)
OCTOBER_CLASSES = ((7, 1), (7, 2), (7, 3), (7, 4), (8, 1), (8, 2), (9, 1), (9, 2))
NOVEMBER_CLASSES = ((7, 1), (7, 3), (8, 2), (8, 4), (9, 3))
RATERS = ("T0100", "T0022", "T0045", "T0066")


def build_books(people: People, rng: random.Random) -> None:
    """October: 24 recommendations rated by four teachers and five winners picked on 3 November.
    November: ten more so far, partly rated, for the demo's own rating and pick."""
    shelf = list(BOOKS)
    rng.shuffle(shelf)
    # The award is monthly, so its months stay whole months wherever the story's week has moved.
    october = month_start(2026, 10)
    november = (october + dt.timedelta(days=32)).replace(day=1)
    october_picks = []
    for index, (level, number) in enumerate(OCTOBER_CLASSES):
        pool = people.students(level, number)
        readers = (
            [people.demo_student, *rng.sample(pool[1:], 2)]
            if (level, number) == (7, 1)
            else rng.sample(pool, 3)
        )
        for seat, reader in enumerate(readers):
            title, author, review = shelf[(index * 3 + seat) % len(shelf)]
            october_picks.append(
                books.recommend(
                    actor=people.actor(reader),
                    school=people.school,
                    title=title,
                    author=author,
                    review=review,
                    today=october + dt.timedelta(days=8 + index * 2 + seat),
                )
            )
    for staff_no in RATERS:
        rater = people.actor(people.staff[staff_no])
        for recommendation in october_picks:
            books.rate(actor=rater, recommendation=recommendation, stars=rng.choices((3, 4, 5), (2, 5, 4))[0])
    month = october
    shortlist = book_selectors.shortlist(people.school, month, count=5, one_per_class=True)
    books.pick_month(
        actor=SYSTEM,
        school=people.school,
        month=month,
        recommendation_ids=[c.recommendation.pk for c in shortlist],
        winners_count=5,
        one_per_class=True,
        today=november + dt.timedelta(days=2),
    )
    november_picks = []
    for index, (level, number) in enumerate(NOVEMBER_CLASSES):
        pool = people.students(level, number)[1:]
        for seat, reader in enumerate(rng.sample(pool, 2)):
            title, author, review = shelf[(24 + index * 2 + seat) % len(shelf)]
            november_picks.append(
                books.recommend(
                    actor=people.actor(reader),
                    school=people.school,
                    title=title,
                    author=author,
                    review=review,
                    today=november + dt.timedelta(days=3 + index * 3 + seat),
                )
            )
    # T0100 (the printed teacher) has not rated November's yet; two colleagues have started.
    for staff_no in RATERS[1:3]:
        rater = people.actor(people.staff[staff_no])
        for recommendation in november_picks[:6]:
            books.rate(actor=rater, recommendation=recommendation, stars=rng.choices((3, 4, 5), (2, 5, 4))[0])


# --- 创新项目 ---------------------------------------------------------------------------------------

PROPOSALS = (
    # (grade, class, members, advisor, title, abstract, plan, budget)
    (
        9,
        1,
        3,
        "T0007",
        "校园垃圾分类智能提醒装置",
        "用开源硬件和图像识别，在垃圾桶旁提示投放类别，统计分类准确率。",
        "11月完成方案与元件采购；12月搭建原型并在食堂试用；次年1月改进并撰写报告。",
        Decimal("3200"),
    ),
    (
        8,
        2,
        2,
        "T0073",
        "初二数学错题本小程序",
        "把全班错题按知识点整理成电子错题本，自动生成每周复习卷。",
        "11月调研需求；12月完成小程序；次年1月在两个班试用并收集反馈。",
        Decimal("1500"),
    ),
    (
        9,
        3,
        3,
        "T0100",
        "“家乡非遗”剪纸文创设计",
        "走访区内剪纸传承人，设计一套以昭陵风物为主题的剪纸文创。",
        "11月走访与资料整理；12月设计与制作；次年1月在校园文化节展示义卖。",
        Decimal("2400"),
    ),
    (
        8,
        4,
        2,
        "T0058",
        "校园植物二维码科普牌",
        "为校园内 60 种植物制作科普介绍和二维码标牌。",
        "11月识别植物、编写介绍；12月制作标牌并安装；次年1月组织讲解活动。",
        Decimal("1800"),
    ),
)
PANEL = ("T0002", "T0006", "T0007", "T0012", "T0013")


def build_projects(people: People, rng: random.Random) -> Call:
    """The autumn call: four proposals submitted, the panel named, the review opened; the demo decides."""
    call = projects.create_call(
        actor=SYSTEM,
        school=people.school,
        title="2026年秋季学期学生创新项目征集",
        semester="2026 秋季学期",
        opens_on=day(2026, 10, 8),
        closes_on=day(2026, 11, 15),
        budget=Decimal("10000"),
        per_project_cap=Decimal("4000"),
        rules="以学生团队申报，每队 2–6 人，须有一名指导教师；"
        "评审组按创新性、可行性、预期成效和经费合理性评分，"
        "指导教师回避本人指导的项目。",
    )
    for index, (level, number, size, advisor, title, abstract, plan, budget) in enumerate(PROPOSALS):
        lead, *members = rng.sample(people.students(level, number)[1:], size)
        proposal = projects.create_proposal(
            actor=people.actor(lead),
            call=call,
            title=title,
            abstract=abstract,
            plan=plan,
            budget_request=budget,
            advisor=people.staff[advisor],
            members=members,
            today=day(2026, 10, 20 + index * 3),
        )
        projects.submit_proposal(actor=people.actor(lead), proposal=proposal, today=day(2026, 11, 10 + index))
    projects.set_panel(actor=SYSTEM, call=call, members=[people.staff[n] for n in PANEL])
    projects.open_review(actor=SYSTEM, call=call)
    return call


def build_participation(rng: random.Random) -> list[str]:
    """The students' and teachers' year so far, then the branch's and the honors' (see recognition).
    Returns the unused one-time voting codes of the open 五星创评, to print once."""
    from .recognition import build_recognition

    people = People.load()
    built = build_activities(people, rng)
    build_external_awards(people)
    build_practice(people, rng)
    volunteer_day = next(a for a in built if a.kind == Kind.VOLUNTEER)
    build_volunteering(people, volunteer_day, rng)
    build_books(people, rng)
    build_projects(people, rng)
    return build_recognition(people, rng)
