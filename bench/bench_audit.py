"""Audited writes: 8 concurrent writers in one school, with the audit entry and without it.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_audit.py \
        [--writes 1600] [--writers 8] [--rounds 2]

It creates a throw-away database (`test_bench_audit_<pid>` on PostgreSQL, a temporary file on SQLite),
migrates it, builds one school, and times in one process, with the same writer threads (each with its own
connection), all writing to that one school:

  audited     org.services.create_party_branch: the rights check, the branch row and its audit entry in one
              transaction, then sealed into a keyed block by the paced sealer (AUDIT_SEAL_INTERVAL: no writer
              seals; each chain's timer seals what was committed, once per interval)
  baseline    the very same service call with the audit entry left out (`record` replaced by a no-op for the
              run): the same rights check, row and transaction, and nothing appended, nothing sealed
  append only the audited call with the seal after commit left out, to tell the append's cost from the
              seal's; the task worker's `seal_all` then seals that backlog, timed on its own (entries/s)

A branch is about the smallest audited write there is, so the audit's share of it is as large as it gets:
the ratio is a floor for heavier services. `--write staff` times a common one instead: a teacher added to
the roster (account, staff row and teacher seat, two entries), as on a school's setup day.

The kinds are run in turns (`--rounds`, baseline first) and
summed, so a busy neighbour slows them all. It prints writes/s, p50/p99 latency and the ratio (goal ≥ 0.7),
checks that every audited write left exactly one entry and that the chain verifies once sealed, and drops
the database. Exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from _threads import percentile, run_threads  # noqa: E402  (after the path is set)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writes", type=int, default=1600, help="writes per kind per round")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--write",
        choices=("branch", "staff"),
        default="branch",
        help="branch: the smallest audited write (one row, one entry); staff: a teacher added to the roster "
        "(account, staff row and seat; two entries), a common write of a school's busiest setup day",
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="chuangyou-bench-audit-"))
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangyou.settings")
    os.environ["CHUANGYOU_DATA_DIR"] = str(scratch)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from chuangyou.audit import services as audit
    from chuangyou.audit.models import AuditEntry
    from chuangyou.org import services as org
    from chuangyou.org.models import PartyBranch, Staff
    from chuangyou.org.rules import SYSTEM

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(scratch / "bench.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = f"test_bench_audit_{os.getpid()}"
    old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})  # type: ignore[arg-type]
    failed = False
    try:
        bureau = org.create_bureau(actor=SYSTEM, code="bench", name="基准县教育局")
        school = org.create_school(actor=SYSTEM, bureau=bureau, code="bench", name="基准中学")
        before = AuditEntry.objects.filter(school_id=school.pk).count()

        print(
            f"audited-write benchmark · {args.write} · {args.writers} writers in one school · {args.writes} "
            f"writes per kind per round · {args.rounds} rounds · database: {connection.vendor}"
        )

        def make_branch(label: str) -> Callable[[int], None]:
            def work(i: int) -> None:
                org.create_party_branch(actor=SYSTEM, school=school, name=f"{label}支部{i:06d}")

            return work

        def make_staff(label: str) -> Callable[[int], None]:
            prefix = {"baseline": "B", "audited": "A", "append only": "P"}[label]

            def work(i: int) -> None:
                org.create_staff(
                    actor=SYSTEM, school=school, staff_no=f"{prefix}{i:06d}", name=f"教师{i}", gender="女"
                )

            return work

        make_work = make_branch if args.write == "branch" else make_staff
        entries_per_write = 1 if args.write == "branch" else 2

        def no_entry(actor: object, change: object) -> None:
            return None

        def no_seal(connection: object, chains: set[int]) -> None:
            return None

        kinds = ("baseline", "audited", "append only")
        totals: dict[str, tuple[float, list[float]]] = {kind: (0.0, []) for kind in kinds}
        unsealed_after_audited = 0
        seal_seconds = 0.0
        for round_no in range(args.rounds):
            jobs = list(range(round_no * args.writes, (round_no + 1) * args.writes))
            for kind in kinds:
                with contextlib.ExitStack() as patches:
                    if kind == "baseline":
                        patches.enter_context(mock.patch.object(org, "record", no_entry))
                    if kind == "append only":
                        patches.enter_context(mock.patch.object(audit, "_seal_after_commit", no_seal))
                    seconds, latency = run_threads(args.writers, jobs, make_work(kind))
                totals[kind] = (totals[kind][0] + seconds, totals[kind][1] + latency)
                if kind == "audited":
                    # the burst's last entries are the pacing timer's: give it its interval, and a margin
                    time.sleep(float(settings.AUDIT_SEAL_INTERVAL) + 0.5)
                    unsealed_after_audited += AuditEntry.objects.filter(
                        school_id=school.pk, block=None
                    ).count()
                if kind == "append only":  # the worker seals the backlog, timed on its own
                    started = time.perf_counter()
                    audit.seal_all()
                    seal_seconds += time.perf_counter() - started

        writes = args.writes * args.rounds
        entries = AuditEntry.objects.filter(school_id=school.pk).count() - before
        report = audit.verify_chain(school=school)
        rows = (PartyBranch if args.write == "branch" else Staff).objects.filter(school=school).count()

        print()
        header = f"{'kind':<13}{'writes':>8}{'seconds':>10}{'writes/s':>10}{'p50 ms':>10}{'p99 ms':>10}"
        print(f"{header}{'ratio':>8}")
        base_rate = writes / totals["baseline"][0]
        for kind in kinds:
            seconds, latency = totals[kind]
            print(
                f"{kind:<13}{len(latency):>8}{seconds:>10.2f}{len(latency) / seconds:>10.0f}"
                f"{percentile(latency, 0.5) * 1000:>10.1f}{percentile(latency, 0.99) * 1000:>10.1f}"
                f"{len(latency) / seconds / base_rate:>8.2f}"
            )
        ratio = (writes / totals["audited"][0]) / base_rate
        print(f"\naudited/baseline throughput ratio: {ratio:.2f} (goal ≥ 0.70)")
        print(
            f"append only: the entry appended, no seal after commit; one worker then sealed the {writes} "
            f"entries at {writes / seal_seconds:.0f} entries/s"
        )
        print(
            f"checked: {rows} {args.write} rows, {entries} audit entries for {2 * writes} audited writes "
            f"({entries_per_write} each), "
            f"{unsealed_after_audited} left unsealed one sealing interval after the writers stopped, "
            f"chain of {report.blocks} blocks "
            + ("verifies" if report.ok else "FAILS: " + "; ".join(report.problems[:3]))
        )
        failed = entries != 2 * writes * entries_per_write or rows != 3 * writes or not report.ok
    finally:
        from chuangyou.audit.services import seal_waiting

        seal_waiting()  # the sealing timer's work, before its database goes
        teardown_databases(old_config, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
