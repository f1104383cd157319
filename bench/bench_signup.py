"""Sign-up throughput: parallel clients signing students up for one activity, against bare inserts.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_signup.py \
        [--students 400] [--clients 8] [--capacity 100]

It creates a throw-away database (`test_bench_signup_<pid>` on PostgreSQL, a temporary file on SQLite),
migrates it, builds a school with N students, and times in one process, with the same client threads
(each with its own connection):

  sign-up     services.sign_up for every student on one activity whose capacity is smaller than N:
              the activity row lock, the eligibility and duplicate checks, the place or waitlist
              position, the registration row and its audit entry, one transaction each
  baseline    the same number of plain INSERTs of a registration-like row (one autocommit statement each)

and prints sign-ups/s, inserts/s, the ratio and p50/p99 latency of each. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from _threads import percentile, run_threads  # noqa: E402  (after the path is set)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--students", type=int, default=400)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--capacity", type=int, default=100)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="chuangyou-bench-signup-"))
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangyou.settings")
    os.environ["CHUANGYOU_DATA_DIR"] = str(scratch)
    import django

    django.setup()
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone

    from chuangyou.accounts.models import User
    from chuangyou.activities import services
    from chuangyou.activities.models import Registration, RegStatus
    from chuangyou.campaigns.models import Phase
    from chuangyou.campaigns.services import create_campaign
    from chuangyou.org import services as org
    from chuangyou.org.models import Student
    from chuangyou.org.rules import SYSTEM

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(scratch / "bench.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = f"test_bench_signup_{os.getpid()}"
    old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        bureau = org.create_bureau(actor=SYSTEM, code="bench", name="基准县教育局")
        school = org.create_school(actor=SYSTEM, bureau=bureau, code="bench", name="基准中学")
        school_class = org.ensure_class(actor=SYSTEM, school=school, level=7, number=1)
        teacher = org.create_staff(actor=SYSTEM, school=school, staff_no="T1", name="负责人", gender="F")
        # Students are made in bulk: the benchmark is about sign-up, not about making accounts.
        User.objects.bulk_create(
            User(username=f"bench:S{i:05d}", login=f"S{i:05d}", password=make_password(None))
            for i in range(args.students)
        )
        users = User.objects.filter(username__startswith="bench:S").order_by("username")
        Student.objects.bulk_create(
            Student(
                school=school,
                school_class=school_class,
                student_no=u.login,
                name=f"学生{i}",
                gender="F",
                user=u,
            )
            for i, u in enumerate(users)
        )
        students = list(Student.objects.filter(school=school).select_related("school_class__grade", "school"))
        create_campaign(
            actor=SYSTEM, school=school, year=timezone.localdate().year, title="方案", theme="主题"
        )
        phase = Phase.objects.filter(school=school).order_by("order").first()
        assert phase is not None
        now = timezone.now()

        def activity(title: str, capacity: int) -> object:
            made = services.create_activity(
                actor=SYSTEM,
                school=school,
                data=services.ActivityInput(
                    kind="sports",
                    title=title,
                    phase=phase,
                    person_in_charge=teacher,
                    starts_at=now + dt.timedelta(days=5),
                    ends_at=now + dt.timedelta(days=5, hours=2),
                    capacity=capacity,
                    signup_opens=now - dt.timedelta(days=1),
                    signup_closes=now + dt.timedelta(days=4),
                ),
            )
            return services.publish_activity(actor=SYSTEM, activity=made)

        target = activity("运动会", args.capacity)
        baseline_target = activity("基线", args.students)
        jobs = list(range(args.students))

        print(
            f"sign-up benchmark · {args.students} students · {args.clients} clients · "
            f"capacity {args.capacity} · database: {connection.vendor}"
        )

        def sign_up(i: int) -> None:
            services.sign_up(actor=SYSTEM, activity=target, person=students[i])  # type: ignore[arg-type]

        def bare_insert(i: int) -> None:
            Registration.objects.create(
                school_id=school.pk, activity=baseline_target, student=students[i], status=RegStatus.CONFIRMED
            )

        insert_seconds, insert_latency = run_threads(args.clients, jobs, bare_insert, fail_on_error=False)
        signup_seconds, signup_latency = run_threads(args.clients, jobs, sign_up, fail_on_error=False)

        rows = Registration.objects.filter(activity=target)
        confirmed = rows.filter(status=RegStatus.CONFIRMED).count()
        positions = sorted(
            rows.filter(status=RegStatus.WAITLISTED).values_list("waitlist_position", flat=True)
        )
        assert confirmed == min(args.capacity, args.students), confirmed
        assert positions == list(range(1, args.students - confirmed + 1)), positions[:5]

        print()
        print(f"{'step':<12}{'seconds':>10}{'per s':>10}{'p50 ms':>10}{'p99 ms':>10}")
        for label, seconds, latency in [
            ("bare insert", insert_seconds, insert_latency),
            ("sign-up", signup_seconds, signup_latency),
        ]:
            print(
                f"{label:<12}{seconds:>10.2f}{len(latency) / seconds:>10.0f}"
                f"{percentile(latency, 0.5) * 1000:>10.1f}{percentile(latency, 0.99) * 1000:>10.1f}"
            )
        print(f"\nsign-up/bare-insert throughput ratio: {insert_seconds / signup_seconds:.2f}")
        print(f"checked: {confirmed} confirmed, waitlist 1..{len(positions)} with no gap, no overbooking")
        print(f"mean sign-up latency: {statistics.mean(signup_latency) * 1000:.1f} ms")
    finally:
        from chuangyou.audit.services import seal_waiting

        seal_waiting()  # the sealing timer's work, before its database goes
        teardown_databases(old_config, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
