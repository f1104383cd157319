"""Notifications on a school's voting day: 3,000 voters told inside the opening write, then delivered.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_notify.py \
        [--voters 3000] [--rounds 2]

It creates a throw-away database (`test_bench_notify_<pid>` on PostgreSQL, a temporary file on SQLite),
migrates it, builds one school with `--voters` teachers (accounts with a phone, each with a teacher seat;
bulk-inserted, since building people is not what is measured), and times:

  open        evaluations.services.open_voting for a 师德标兵 evaluation whose voters are all the teachers:
              the voter roll, the recusals, the audit entries and one in-app message per voter (issue 12's
              goal: the whole opening write under 2 s)
  baseline    the same opening with the messages left out (tell_voters replaced by a no-op), so the
              difference is what notifying costs inside the write
  queue SMS   notify() queueing one SMS per teacher in a transaction of its own
  deliver     services.deliver_due sweeping those SMS through the in-memory backend (NOTIFY_DELIVERY=memory):
              the claim (a conditional UPDATE per message), the send and the state update; messages/s.
              Quiet hours are switched off for the SMS, so the figures don't depend on the hour.

Rounds alternate baseline and open, each on a fresh evaluation. It checks that every voter got exactly one
message and every SMS was sent once, prints the times, and drops the database. Exit status 1 if a check fails.
No provider is involved: a real SMS provider's latency comes on top of the deliver figure.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--voters", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="chuangyou-bench-notify-"))
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangyou.settings")
    os.environ["CHUANGYOU_DATA_DIR"] = str(scratch)
    os.environ["NOTIFY_DELIVERY"] = "memory"
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # the bench sweeps by hand
    import django

    django.setup()
    import datetime as dt

    from django.db import connection, transaction
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone

    from chuangyou.accounts.models import User
    from chuangyou.evaluations import services as evaluations
    from chuangyou.evaluations.models import GroupKind, Source
    from chuangyou.notifications import backends
    from chuangyou.notifications import services as notifications
    from chuangyou.notifications.models import Channel, ChannelSettings, Message, State
    from chuangyou.org import services as org
    from chuangyou.org.models import Role, RoleMembership
    from chuangyou.org.rules import SYSTEM

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(scratch / "bench.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = f"test_bench_notify_{os.getpid()}"
    old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})  # type: ignore[arg-type]
    failed = False
    try:
        bureau = org.create_bureau(actor=SYSTEM, code="bench", name="基准县教育局")
        school = org.create_school(actor=SYSTEM, bureau=bureau, code="bench", name="基准中学")
        day = timezone.localdate() - dt.timedelta(days=1)
        for i, name in enumerate(("王芳", "李明", "张伟", "刘洋", "陈静", "杨帆")):
            org.create_staff(actor=SYSTEM, school=school, staff_no=f"S{i:03d}", name=name, gender="F", on=day)
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench:T{i:05d}",
                    login=f"T{i:05d}",
                    display_name=f"教师{i}",
                    phone=f"139{i:08d}",
                )
                for i in range(args.voters)
            ],
            batch_size=1000,
        )
        RoleMembership.objects.bulk_create(
            [RoleMembership(user=u, role=Role.TEACHER, school=school, starts_on=day) for u in users],
            batch_size=1000,
        )
        voters = (
            RoleMembership.objects.filter(school=school, role=Role.TEACHER).values("user").distinct().count()
        )
        print(f"notifications benchmark · {voters} voters · {args.rounds} rounds · {connection.vendor}")

        def evaluation(n: int) -> object:
            now = timezone.now()
            e = evaluations.create_evaluation(
                actor=SYSTEM,
                school=school,
                title=f"师德标兵民主测评 {n}",
                subject_type="teacher",
                preset="five_models",
                opens_at=now - dt.timedelta(hours=1),
                closes_at=now + dt.timedelta(days=3),
            )
            evaluations.add_subjects(actor=SYSTEM, evaluation=e, specs=evaluations.roster_subjects(e))
            evaluations.add_group(
                actor=SYSTEM,
                evaluation=e,
                kind=GroupKind.PEERS,
                name="教师互评",
                source=Source.ROLE,
                role=Role.TEACHER,
            )
            return e

        times: dict[str, list[float]] = {"baseline": [], "open": []}
        for r in range(args.rounds):
            for kind in ("baseline", "open"):
                e = evaluation(len(times["open"]) * 2 + len(times["baseline"]))
                quiet = (
                    mock.patch("chuangyou.evaluations.services.voting.tell_voters")
                    if kind == "baseline"
                    else None
                )
                if quiet:
                    quiet.start()
                started = time.perf_counter()
                evaluations.open_voting(actor=SYSTEM, evaluation=e)  # type: ignore[arg-type]
                times[kind].append(time.perf_counter() - started)
                if quiet:
                    quiet.stop()
                if kind == "open":
                    told = Message.objects.filter(
                        event="evaluation.open", key__startswith=f"evaluation.open:{e.pk}/"
                    )
                    if told.count() != voters:
                        print(f"  CHECK FAILED: round {r + 1}: {told.count()} messages for {voters} voters")
                        failed = True
        base, opened = min(times["baseline"]), min(times["open"])
        print(f"  open_voting without messages   {base:7.3f} s   (best of {args.rounds})")
        print(f"  open_voting with {voters} messages {opened:7.3f} s   (+{opened - base:.3f} s; goal < 2 s)")
        if opened >= 2:
            print("  GOAL MISSED: the opening write took 2 s or more")

        ChannelSettings.objects.create(school=school, channel=Channel.SMS, enabled=True)
        daytime = mock.patch.object(notifications, "quiet_until", return_value=None)
        daytime.start()  # the figures must not depend on the hour the bench runs at
        started = time.perf_counter()
        with transaction.atomic():
            notifications.notify(
                school_id=school.pk,
                event="bench.sms",
                key="bench.sms:1",
                recipients=[u.pk for u in users],
                title="明天上午 8 点开家长会",
                link="/inbox/",
                channels=[Channel.SMS],
            )
        queued = time.perf_counter() - started
        backends.memory_outbox.clear()
        started = time.perf_counter()
        sent = 0
        while batch := notifications.deliver_due():
            sent += batch
        delivered = time.perf_counter() - started
        daytime.stop()
        print(f"  queue {len(users)} SMS              {queued:7.3f} s")
        print(f"  deliver {sent} SMS (memory)      {delivered:7.3f} s   ({sent / delivered:,.0f} messages/s)")
        keys = [m.key for m in backends.memory_outbox]
        if len(keys) != len(users) or len(set(keys)) != len(users):
            print(f"  CHECK FAILED: {len(keys)} sends, {len(set(keys))} distinct, for {len(users)} SMS")
            failed = True
        if Message.objects.filter(event="bench.sms").exclude(state=State.SENT).exists():
            print("  CHECK FAILED: an SMS was left unsent")
            failed = True
    finally:
        teardown_databases(old_config, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
