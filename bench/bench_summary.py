"""The 总结 and the dashboard at scale: one school of 3,000 students with a full year of records, and a
bureau of 20 such schools.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_summary.py \
        [--schools 20] [--students 3000] [--weeks 36] [--repeat 5] [--seed 2026]

It creates a throw-away database (`test_bench_summary_<pid>` on PostgreSQL, a temporary file on SQLite),
migrates it, and fills it with bulk inserts shaped like the services' rows (every source the facts layer
reads: classes and people, the plan and its 分工 and 经费, activities with places, teams, results and
photos, 每周一练 sets and submissions, volunteer claims, commitments with items and filings, evaluations
with rater groups, ballots and published results, innovation grants, nominations, honors and prizes).
Seeded, so two runs build the same rows. Then it times, in one process:

  baseline     the plain COUNT(*) of every table the facts read, for one school, then for the bureau
  school 总结   documents.summary_for(SYSTEM, campaign): what `chuangyou write-summary` runs
  bureau 总结   bureau.bureau_summary_docx(bureau, year): what the bureau's background task runs
  dashboard    GET /school/<code>/reports/ for the school admin through the test client: server time
               p50 and p99 against the 300 ms goal, and its query count

and prints each median, the ratio to its baseline, and how the bureau's time grows against 20 times one
school's. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

GOAL_MS = 300.0
CLASS_SIZE = 50
GRADES = (7, 8, 9, 10, 11, 12)
GRADE_NAMES = {7: "初一", 8: "初二", 9: "初三", 10: "高一", 11: "高二", 12: "高三"}


def timed(work: Callable[[], Any], repeat: int) -> list[float]:
    """Seconds per run, after one warm-up run (imports, the template, the first connection)."""
    work()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return runs


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def build_school(index: int, bureau: Any, year: int, args: argparse.Namespace, admin: Any) -> Any:
    """One school's year, inserted in bulk. Returns its campaign."""
    from django.utils import timezone

    from chuangyou.activities.models import Activity, Evidence, Kind, Registration, RegStatus, Result
    from chuangyou.activities.models import Status as ActivityStatus
    from chuangyou.activities.models import TeamMember as ActivityTeamMember
    from chuangyou.campaigns.models import Assignment, Campaign, Phase, ResourceKind, ResourceLine
    from chuangyou.commitments.models import Commitment, Filing, Fulfilment, Item
    from chuangyou.commitments.models import Status as CommitmentStatus
    from chuangyou.evaluations.models import Ballot, Evaluation, RaterGroup, Source, State, SubjectType
    from chuangyou.exhibition.models import Takedown
    from chuangyou.honors.models import Honor, Payable, PrizeBudget
    from chuangyou.nominations.models import AwardType, Nomination, NominationStatus
    from chuangyou.org.models import Grade, School, SchoolClass, Staff, Student
    from chuangyou.practice.models import ExerciseSet, SetClass, SetStatus, Submission
    from chuangyou.projects.models import Call, Proposal
    from chuangyou.projects.models import Status as ProposalStatus
    from chuangyou.volunteering.models import Claim, ClaimStatus

    rng = random.Random(args.seed * 1000 + index)
    batch = 5000
    code = f"s{index:02d}"
    school = School.objects.create(bureau=bureau, code=code, name=f"基准县第{index}中学")

    def at(day: dt.date, hour: int = 9) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    def day_in_year() -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))

    # People: 6 grades of classes of 50, and one teacher for every 15 students.
    grades = Grade.objects.bulk_create(
        Grade(school=school, level=level, name=GRADE_NAMES[level]) for level in GRADES
    )
    per_grade = max(1, args.students // CLASS_SIZE // len(GRADES))
    classes = SchoolClass.objects.bulk_create(
        SchoolClass(school=school, grade=g, number=n) for g in grades for n in range(1, per_grade + 1)
    )
    students = Student.objects.bulk_create(
        (
            Student(
                school=school,
                student_no=f"S{i:05d}",
                name=f"学生{i}",
                gender="MF"[i % 2],
                school_class=classes[i % len(classes)],
            )
            for i in range(args.students)
        ),
        batch_size=batch,
    )
    staff = Staff.objects.bulk_create(
        Staff(school=school, staff_no=f"T{i:04d}", name=f"教师{i}", gender="FM"[i % 2], subject="语文")
        for i in range(max(20, args.students // 15))
    )
    by_grade: dict[int, list[Any]] = {g.pk: [] for g in grades}
    class_grade = {c.pk: c.grade_id for c in classes}
    for s in students:
        by_grade[class_grade[s.school_class_id]].append(s)

    # The plan: four quarterly phases, its 分工 and its 经费 lines.
    campaign = Campaign.objects.create(
        school=school, year=year, title=f"{school.name}创先争优活动实施方案", theme="树先锋", is_public=True
    )
    quarters = [(1, 3, 31), (4, 6, 30), (7, 9, 30), (10, 12, 31)]
    phases = Phase.objects.bulk_create(
        Phase(
            school=school,
            campaign=campaign,
            order=n,
            name=f"第{n}阶段",
            starts_on=dt.date(year, first, 1),
            ends_on=dt.date(year, last, end),
        )
        for n, (first, last, end) in enumerate(quarters, start=1)
    )
    Assignment.objects.bulk_create(
        Assignment(
            school=school,
            campaign=campaign,
            phase=phases[i % 4],
            title=f"任务{i}",
            owner=staff[i % len(staff)],
            deadline=phases[i % 4].ends_on,
            done_on=phases[i % 4].ends_on if rng.random() < 0.85 else None,
        )
        for i in range(40)
    )
    funds = ResourceLine.objects.bulk_create(
        ResourceLine(
            school=school, campaign=campaign, kind=ResourceKind.FUNDS, name=f"经费{i}", amount=Decimal(5000)
        )
        for i in range(4)
    )

    # Activities: about two a week, a tenth of them team events; places, results, photos.
    kinds = [k for k, _ in Kind.choices]
    activity_rows = []
    for i in range(args.weeks * 2):
        start = at(dt.date(year, 1, 8) + dt.timedelta(days=i * 3 + rng.randrange(3)), 14)
        activity_rows.append(
            Activity(
                school=school,
                campaign=campaign,
                phase=phases[min(3, (start.month - 1) // 3)],
                kind=kinds[i % len(kinds)],
                title=f"活动{i}",
                person_in_charge=staff[i % len(staff)],
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                capacity=400,
                signup_opens=start - dt.timedelta(days=10),
                signup_closes=start - dt.timedelta(days=2),
                status=ActivityStatus.PUBLISHED,
                for_teachers=True,
                is_team=i % 10 == 0,
                team_min=3,
                team_max=5,
            )
        )
    activity_list = Activity.objects.bulk_create(activity_rows)
    registrations, members = [], []
    for activity in activity_list:
        chosen = rng.sample(students, min(len(students), rng.randrange(60, 200)))
        if activity.is_team:
            for t in range(0, len(chosen) - 4, 5):
                lead, *rest = chosen[t : t + 5]
                reg = Registration(
                    school=school,
                    activity=activity,
                    student=lead,
                    team_name=f"队{t}",
                    status=RegStatus.CONFIRMED,
                )
                registrations.append(reg)
                members.extend((reg, m) for m in rest)
            continue
        registrations.extend(
            Registration(school=school, activity=activity, student=s, status=RegStatus.CONFIRMED)
            for s in chosen
        )
        registrations.extend(
            Registration(school=school, activity=activity, staff=t, status=RegStatus.CONFIRMED)
            for t in rng.sample(staff, 5)
        )
    Registration.objects.bulk_create(registrations, batch_size=batch)
    ActivityTeamMember.objects.bulk_create(
        (
            ActivityTeamMember(school=school, registration=reg, activity_id=reg.activity_id, student=m)
            for reg, m in members
        ),
        batch_size=batch,
    )
    awards = ["first", "second", "third", "merit"]
    Result.objects.bulk_create(
        (
            Result(school=school, registration=reg, award=rng.choice(awards))
            for reg in registrations
            if reg.student_id and rng.random() < 0.1
        ),
        batch_size=batch,
    )
    photos = Evidence.objects.bulk_create(
        Evidence(
            school=school,
            activity=activity,
            file=f"activities/bench/{activity.pk}-{n}.jpg",
            original_name="现场.jpg",
            is_image=True,
            caption="活动现场",
            exhibition_approved=rng.random() < 0.7,
        )
        for activity in activity_list
        for n in range(8)
    )
    Takedown.objects.bulk_create(
        Takedown(school=school, evidence=p, name="家长", contact="13800000000", reason="请撤下")
        for p in rng.sample(photos, 5)
    )

    # 每周一练: one set a week for each grade, given to its classes; nine in ten hand in, most on time.
    sets, set_classes, submissions = [], [], []
    first_monday = dt.date(year, 2, 20) - dt.timedelta(days=dt.date(year, 2, 20).weekday())
    for w in range(args.weeks):
        week = first_monday + dt.timedelta(weeks=w)
        for g in grades:
            sets.append(
                ExerciseSet(
                    school=school,
                    author=staff[w % len(staff)],
                    title=f"{g.name}第{w + 1}周",
                    subject="数学",
                    week=week,
                    deadline=at(week + dt.timedelta(days=6), 20),
                    status=SetStatus.PUBLISHED,
                    published_at=at(week),
                )
            )
    ExerciseSet.objects.bulk_create(sets, batch_size=batch)
    grade_classes = {g.pk: [c for c in classes if c.grade_id == g.pk] for g in grades}
    for n, exercise in enumerate(sets):
        grade = grades[n % len(grades)]
        set_classes.extend(
            SetClass(school=school, exercise_set=exercise, school_class=c) for c in grade_classes[grade.pk]
        )
        for s in by_grade[grade.pk]:
            if rng.random() < 0.9:
                late = rng.random() < 0.15
                submitted = exercise.deadline + dt.timedelta(hours=5 if late else -30)
                submissions.append(
                    Submission(
                        school=school,
                        exercise_set=exercise,
                        student=s,
                        started_at=submitted - dt.timedelta(minutes=20),
                        submitted_at=submitted,
                        is_late=late,
                        score=Decimal(rng.randrange(60, 101)),
                    )
                )
    SetClass.objects.bulk_create(set_classes, batch_size=batch)
    Submission.objects.bulk_create(submissions, batch_size=batch)

    # 志愿服务: about one claim a student and two a teacher; most approved.
    def status() -> str:
        r = rng.random()
        return ClaimStatus.APPROVED if r < 0.8 else ClaimStatus.PENDING if r < 0.9 else ClaimStatus.REJECTED

    claims = [
        Claim(
            school=school,
            student=s,
            served_on=day_in_year(),
            service="社区服务",
            organization="社区",
            description="服务",
            hours=Decimal(rng.randrange(1, 9)) / 2,
            organizer=staff[0],
            status=status(),
            consent="online",
        )
        for s in students
    ]
    claims += [
        Claim(
            school=school,
            staff=t,
            served_on=day_in_year(),
            service="支教",
            organization="社区",
            description="服务",
            hours=Decimal(rng.randrange(1, 9)) / 2,
            organizer=staff[0],
            status=status(),
            consent="not_needed",
        )
        for t in staff
        for _ in range(2)
    ]
    Claim.objects.bulk_create(claims, batch_size=batch)

    # 公开承诺: every teacher's published commitment of three items; half filed with the bureau.
    now = timezone.now()
    commitments = Commitment.objects.bulk_create(
        Commitment(
            school=school,
            campaign=campaign,
            owner_staff=t,
            status=CommitmentStatus.PUBLISHED,
            submitted_at=now,
            published_at=now,
        )
        for t in staff
    )
    items = []
    for c in commitments:
        for k, category in enumerate(("study", "work", "service")):
            r = rng.random()
            fulfilment = (
                Fulfilment.FULFILLED
                if r < 0.7
                else Fulfilment.NOT_FULFILLED
                if r < 0.8
                else Fulfilment.PENDING
            )
            items.append(
                Item(
                    school=school,
                    commitment=c,
                    category=category,
                    content=f"承诺{k}",
                    measures="按月落实",
                    deadline=dt.date(year, 6 + k * 3, 1),
                    fulfilment=fulfilment,
                    fulfilment_reason="客观原因" if fulfilment == Fulfilment.NOT_FULFILLED else "",
                )
            )
    Item.objects.bulk_create(items, batch_size=batch)
    Filing.objects.bulk_create(
        Filing(
            school=school,
            commitment=c,
            bureau=bureau,
            filed_on=dt.date(year, 3, 1),
            filed_by_label=school.name,
            item_count=3,
        )
        for c in commitments[::2]
    )

    # 评议: four published evaluations with their ballots; the branch one rates ten branches.
    evaluations = []
    for n, subject_type in enumerate(
        (SubjectType.BRANCH, SubjectType.TEACHER, SubjectType.TEACHER, SubjectType.STUDENT)
    ):
        opens = at(dt.date(year, 11, 1 + n * 5))
        subjects = [
            {
                "key": f"s{k}",
                "stars": rng.choice((5, 4, 4, 3, 3, 3, 2)),
                "groups": [
                    {"counted": True, "criteria": [{"key": f"c{c}", "used": str(rng.randrange(60, 100))}]}
                    for c in range(1, 6)
                ],
            }
            for k in range(10)
        ]
        evaluations.append(
            Evaluation(
                school=school,
                title=f"评议{n}",
                subject_type=subject_type,
                rubric={},
                rules={},
                opens_at=opens,
                closes_at=opens + dt.timedelta(days=3),
                state=State.PUBLISHED,
                published_on=opens.date() + dt.timedelta(days=5),
                result={"groups": [{"key": "g1", "entitled": 120, "returned": 100}], "subjects": subjects},
            )
        )
    Evaluation.objects.bulk_create(evaluations)
    groups = RaterGroup.objects.bulk_create(
        RaterGroup(school=school, evaluation=e, kind="peers", name="同事", source=Source.ROLE)
        for e in evaluations
    )
    Ballot.objects.bulk_create(
        (
            Ballot(
                school=school,
                id=uuid.UUID(int=rng.getrandbits(128)),
                evaluation=g.evaluation,
                group=g,
                day=g.evaluation.opens_at.date(),
                receipt_hash=f"{index:02d}{g.pk:08d}{b:06d}",
                content={"marks": {}},
            )
            for g in groups
            for b in range(100)
        ),
        batch_size=batch,
    )

    # 创新项目 grants, then nominations, honors and prize money.
    call = Call.objects.create(
        school=school,
        title="创新项目",
        semester="上学期",
        opens_on=dt.date(year, 3, 1),
        closes_on=dt.date(year, 3, 31),
        budget=Decimal(30000),
        min_panel_size=3,
    )
    Proposal.objects.bulk_create(
        Proposal(
            school=school,
            call=call,
            lead=students[i],
            advisor=staff[i],
            title=f"项目{i}",
            abstract="摘要",
            plan="计划",
            budget_request=Decimal(2000),
            status=ProposalStatus.FUNDED if i < 8 else ProposalStatus.NOT_FUNDED,
            decided_on=dt.date(year, 4, 15),
            amount_granted=Decimal(1500) if i < 8 else None,
        )
        for i in range(12)
    )
    award_types = AwardType.objects.bulk_create(
        AwardType(
            school=school,
            name=name,
            code=f"A{n}",
            level="school",
            for_kind="student",
            quota_kind="count",
            quota_value=Decimal(2),
            quota_unit="class",
            prize=Decimal(100) if n == 0 else Decimal(0),
            budget_line=funds[0] if n == 0 else None,
        )
        for n, name in enumerate(("三好学生", "优秀学生干部", "进步之星"))
    )
    nominations = []
    for award in award_types:
        for s in rng.sample(students, 60):
            r = rng.random()
            status_ = (
                NominationStatus.SELECTED
                if r < 0.6
                else NominationStatus.ACTIVE
                if r < 0.9
                else NominationStatus.REMOVED
            )
            nominations.append(
                Nomination(
                    school=school,
                    award_type=award,
                    campaign=campaign,
                    kind="student",
                    student=s,
                    school_class_id=s.school_class_id,
                    nominee_name=s.name,
                    unit=school.name,
                    story="事迹",
                    level="school",
                    status=status_,
                    nominated_by=admin,
                )
            )
    Nomination.objects.bulk_create(nominations, batch_size=batch)
    serials: dict[int, int] = {}
    honors = []
    for n in nominations:
        if n.status != NominationStatus.SELECTED:
            continue
        serials[n.award_type_id] = serials.get(n.award_type_id, 0) + 1
        honors.append(
            Honor(
                school=school,
                campaign=campaign,
                nomination=n,
                award_type_id=n.award_type_id,
                student_id=n.student_id,
                name=n.nominee_name,
                unit=school.name,
                year=year,
                serial=serials[n.award_type_id],
                number=f"{code}-{n.award_type_id}-{serials[n.award_type_id]}",
                issued_on=dt.date(year, 12, 20),
                issued_by=admin,
            )
        )
    Honor.objects.bulk_create(honors, batch_size=batch)
    budget = PrizeBudget.objects.create(school=school, line=funds[0], amount=Decimal(5000))
    Payable.objects.bulk_create(
        Payable(school=school, budget=budget, honor=h, amount=Decimal(100))
        for h in honors
        if h.award_type_id == award_types[0].pk
    )
    return Campaign.objects.select_related("school").prefetch_related("phases").get(pk=campaign.pk)


def counts(school_ids: list[int]) -> int:
    """The baseline: a plain COUNT(*) of each table the facts read, for these schools."""
    from chuangyou.activities.models import Activity, Evidence, Registration, TeamMember
    from chuangyou.campaigns.models import Assignment, ResourceLine
    from chuangyou.commitments.models import Commitment, Item
    from chuangyou.evaluations.models import Evaluation
    from chuangyou.honors.models import Honor, Payable
    from chuangyou.nominations.models import Nomination
    from chuangyou.org.models import SchoolClass, Staff, Student
    from chuangyou.practice.models import ExerciseSet, SetClass, Submission
    from chuangyou.projects.models import Proposal
    from chuangyou.volunteering.models import Claim

    tables = (
        Student, Staff, SchoolClass, Activity, Registration, TeamMember, Evidence, ExerciseSet, SetClass,
        Submission, Claim, Commitment, Item, Evaluation, Assignment, ResourceLine, Proposal, Nomination,
        Honor, Payable,
    )  # fmt: skip
    return sum(model.objects.filter(school_id__in=school_ids).count() for model in tables)  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--students", type=int, default=3000)
    parser.add_argument("--weeks", type=int, default=36, help="weeks of 每周一练 and of activities")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="chuangyou-bench-summary-"))
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangyou.settings")
    os.environ["CHUANGYOU_DATA_DIR"] = str(scratch)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        setup_databases,
        setup_test_environment,
        teardown_databases,
    )
    from django.utils import timezone

    from chuangyou.accounts.models import User
    from chuangyou.org import services as org
    from chuangyou.org.models import Role
    from chuangyou.org.rules import SYSTEM
    from chuangyou.reports.bureau import bureau_summary_docx
    from chuangyou.reports.documents import summary_for

    setup_test_environment()
    settings.PRIVATE_MEDIA_ROOT = scratch / "private"
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(scratch / "bench.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = f"test_bench_summary_{os.getpid()}"
    old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        year = timezone.localdate().year - 1  # a year that is over: every phase done
        bureau = org.create_bureau(actor=SYSTEM, code="bench", name="基准县教育局")
        started = time.perf_counter()
        # Who nominated and issued: one account for every school's rows (the facts never read it).
        clerk = User.objects.create(username="bench:clerk", login="clerk", display_name="经办人")
        campaigns = [build_school(i, bureau, year, args, clerk) for i in range(1, args.schools + 1)]
        built = time.perf_counter() - started
        school = campaigns[0].school
        # The school admin of school 1, seated through the services (the bulk rows have no accounts).
        head = org.create_staff(actor=SYSTEM, school=school, staff_no="ADMIN", name="校管理员", gender="F")
        assert head.user is not None
        org.grant_role(actor=SYSTEM, user=head.user, role=Role.SCHOOL_ADMIN, school=school)
        one = counts([school.pk])
        print(
            f"{connection.vendor}: built {args.schools} schools × {args.students} students, "
            f"{args.weeks} weeks, in {built:.1f} s; school 1 holds {one:,} rows the facts read"
        )

        ids = [c.school_id for c in campaigns]
        rows: list[tuple[str, float, float]] = []
        base_one = statistics.median(timed(lambda: counts([school.pk]), args.repeat))
        base_all = statistics.median(timed(lambda: counts(ids), args.repeat))
        single = statistics.median(timed(lambda: summary_for(SYSTEM, campaigns[0]), args.repeat))
        whole = statistics.median(timed(lambda: bureau_summary_docx(bureau, year), args.repeat))
        rows.append(("baseline: COUNT(*) × 20 tables, 1 school", base_one, 1.0))
        rows.append(("baseline: COUNT(*) × 20 tables, bureau", base_all, base_all / base_one))
        rows.append(("school 总结 (write-summary)", single, single / base_one))
        rows.append((f"bureau 总结 ({args.schools} schools)", whole, whole / base_all))

        client = Client()
        client.force_login(head.user)
        url = f"/school/{school.code}/reports/?year={year}"
        assert client.get(url).status_code == 200
        reset_queries()  # DEBUG keeps the last 9,000 queries: a full log would count none
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        page = timed(lambda: client.get(url), max(args.repeat, 7))
        p50, p99 = statistics.median(page), percentile(page, 0.99)
        rows.append(("dashboard p50 (test client)", p50, p50 / base_one))

        print(f"\n{'what':44} {'median ms':>10} {'vs baseline':>12}")
        for label, seconds, ratio in rows:
            print(f"{label:44} {seconds * 1000:10.1f} {ratio:12.1f}")
        growth = whole / (args.schools * single)
        print(
            f"\nbureau 总结 / ({args.schools} × school 总结) = {growth:.2f}  "
            f"(1.00 is linear; the baseline grew {base_all / base_one:.1f}× for {args.schools}× the rows)"
        )
        verdict = "meets" if p50 * 1000 <= GOAL_MS else "MISSES"
        print(
            f"dashboard: p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, {len(queries)} queries — "
            f"{verdict} the {GOAL_MS:.0f} ms goal"
        )
    finally:
        connection.close()
        from chuangyou.audit.services import seal_waiting

        seal_waiting()  # the sealing timer's work, before its database goes
        teardown_databases(old_config, verbosity=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
