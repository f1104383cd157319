"""Ballots: submissions per second under gunicorn on PostgreSQL, and the count of 100,000 ballots.

1. Creates a temporary PostgreSQL database (dropped at the end), migrates it, and builds one school with
   an open 师德标兵 evaluation (五个模范, 6 teachers) and `--requests` one-time codes, plus a second,
   closed evaluation holding `--ballots` stored ballots.
2. Starts gunicorn (deploy/gunicorn.conf.py) on 127.0.0.1 with bench/bench_ballots_wsgi.py: 创优 itself
   plus one bare Django view that does a single INSERT (the baseline, same server, same middleware).
3. Drives each with `--connections` parallel keep-alive clients: the baseline POSTs to the bare view,
   then every code casts one ballot through the API (`POST …/evaluations/code-ballot`: the conditional
   UPDATE of the voter roll plus the ballot INSERT, in one transaction). Prints req/s, p50, p99.
4. Counts the stored ballots with `evaluations.services.compute_result` (the engine: per-cell mark
   counts by GROUP BY in the database, then void rules, trimmed means, levels, quorum, weights and
   ranking in Python), runs the same per-cell aggregation written directly in SQL (count, mean,
   trimmed mean, level counts), and prints both times; then the recount from the raw ballots in
   Python (`chuangyou recount`), checked to give the same result.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_ballots.py
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_http_load import (
    ROOT,
    Result,
    gunicorn,
    percentile,
    postgres_answers,
    run_quietly,
    site_environment,
    temporary_database,
)

SCHOOL = "bench"
LEVELS = ("好", "较好", "一般", "差")


# ------------------------------------------------------------------------------- inside the site


def seed(workdir: Path, codes: int, ballots: int) -> None:
    import datetime as dt
    import random
    import uuid

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from chuangyou.evaluations import services
    from chuangyou.evaluations.models import Ballot, Entitlement, Evaluation, GroupKind, Source
    from chuangyou.org.models import Role
    from chuangyou.org.rules import SYSTEM
    from chuangyou.org.services import create_bureau, create_school, create_staff

    bureau = create_bureau(actor=SYSTEM, code="benchju", name="压测区教育局")
    school = create_school(actor=SYSTEM, bureau=bureau, code=SCHOOL, name="压测中学")
    for i, name in enumerate(("王芳", "李明", "张伟", "刘洋", "陈静", "杨帆")):
        create_staff(actor=SYSTEM, school=school, staff_no=f"T{i:03d}", name=name, gender="F")
    now = timezone.now()
    ids = {}
    for key, title in (("live", "师德标兵民主测评"), ("count", "十万票计票")):
        evaluation = services.create_evaluation(
            actor=SYSTEM,
            school=school,
            title=title,
            subject_type="teacher",
            preset="five_models",
            opens_at=now - dt.timedelta(hours=1),
            closes_at=now + dt.timedelta(hours=3),
        )
        services.add_subjects(actor=SYSTEM, evaluation=evaluation, specs=services.roster_subjects(evaluation))
        services.add_group(
            actor=SYSTEM,
            evaluation=evaluation,
            kind=GroupKind.PEERS,
            name="教师",
            source=Source.ROLE,
            role=Role.TEACHER,
        )
        parents = services.add_group(
            actor=SYSTEM, evaluation=evaluation, kind=GroupKind.PARENTS, name="家长", source=Source.CODES
        )
        if key == "live":
            issued: list[str] = []
            while len(issued) < codes:
                issued += services.issue_codes(
                    actor=SYSTEM, group=parents, count=min(2000, codes - len(issued))
                )
            (workdir / "codes.txt").write_text("\n".join(issued))
            subjects = [str(s.pk) for s in evaluation.subjects.all()]
            (workdir / "subjects.json").write_text(json.dumps(subjects))
        services.open_voting(actor=SYSTEM, evaluation=evaluation)
        ids[key] = evaluation.pk
    # The stored ballots: written in bulk (the HTTP part measures casting), as entitled code voters.
    with connection.cursor() as cursor:  # the baseline view's table
        cursor.execute("CREATE TABLE bench_bare (id uuid PRIMARY KEY, body jsonb NOT NULL)")
    evaluation_count = Evaluation.objects.get(pk=ids["count"])
    parents = evaluation_count.groups.get(name="家长")
    subjects = [str(s.pk) for s in evaluation_count.subjects.all()]
    from chuangyou.evaluations import counting

    rubric = counting.rubric_from_json(evaluation_count.rubric)
    rules = counting.rules_from_json(evaluation_count.rules)
    rng = random.Random(2012)
    rows, roll = [], []
    for _ in range(ballots):
        base = rng.randrange(4)
        content = {
            s: {f"c{c}": LEVELS[min(3, max(0, base + rng.choice((-1, 0, 0, 1))))] for c in range(1, 6)}
            for s in subjects
        }
        rows.append(
            Ballot(
                school=school,
                evaluation=evaluation_count,
                group=parents,
                day=timezone.localdate(),
                receipt_hash=uuid.uuid4().hex + uuid.uuid4().hex,
                content=content,
                # as cast_ballot stores it: the count aggregates the valid ones in SQL
                verdict=counting.verdict(counting.BallotIn("", "", content), rubric, rules),
            )
        )
        roll.append(
            Entitlement(
                school=school,
                evaluation=evaluation_count,
                group=parents,
                code_hash=uuid.uuid4().hex + uuid.uuid4().hex,
                has_voted=True,
                voted_on=timezone.localdate(),
            )
        )
    Ballot.objects.bulk_create(rows, batch_size=5000)
    Entitlement.objects.bulk_create(roll, batch_size=5000)
    services.close_voting(actor=SYSTEM, evaluation=evaluation_count)
    (workdir / "ids.json").write_text(json.dumps(ids))


SQL_COUNT = """
WITH marks AS (
    SELECT b.group_id, s.key AS subject, c.key AS criterion,
           CASE c.value #>> '{}'
               WHEN '好' THEN 100 WHEN '较好' THEN 80 WHEN '一般' THEN 60 WHEN '差' THEN 40
           END AS points
    FROM evaluations_ballot b, jsonb_each(b.content) s, jsonb_each(s.value) c
    WHERE b.evaluation_id = %s AND jsonb_typeof(c.value) = 'string'
)
SELECT group_id, subject, criterion, count(*) AS n, avg(points) AS mean,
       CASE WHEN count(*) > 5 THEN (sum(points) - max(points) - min(points))::numeric / (count(*) - 2) END
           AS trimmed,
       count(*) FILTER (WHERE points = 100) AS top, count(*) FILTER (WHERE points = 80) AS second,
       count(*) FILTER (WHERE points = 60) AS third, count(*) FILTER (WHERE points = 40) AS fourth
FROM marks GROUP BY group_id, subject, criterion
"""


def count(workdir: Path) -> None:
    import django

    django.setup()
    from django.db import connection

    from chuangyou.evaluations import services
    from chuangyou.evaluations.models import Evaluation

    evaluation = Evaluation.objects.get(pk=json.loads((workdir / "ids.json").read_text())["count"])
    t0 = time.perf_counter()
    result = services.compute_result(evaluation)
    engine = time.perf_counter() - t0
    t0 = time.perf_counter()
    raw = services.compute_result(evaluation, from_raw=True)
    recount = time.perf_counter() - t0
    assert raw == result, "the count in SQL and the recount from the raw ballots differ"
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(SQL_COUNT, [evaluation.pk])
        cells = cursor.fetchall()
    sql = time.perf_counter() - t0
    returned = sum(g["returned"] for g in result["groups"])
    print(
        json.dumps(
            {"engine": engine, "recount": recount, "sql": sql, "returned": returned, "cells": len(cells)}
        )
    )


# --------------------------------------------------------------------------------------- the load


def post_load(port: int, bodies: list[tuple[str, bytes]], *, connections: int, seconds: float) -> Result:
    """`connections` threads with keep-alive connections POST each body once, until the deadline."""
    lock = threading.Lock()
    queue = list(reversed(bodies))
    result = Result()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        errors = 0
        while True:
            with lock:
                if not queue or time.monotonic() >= deadline:
                    break
                path, body = queue.pop()
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                ok = response.status in (200, 201)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - t0)
            errors += not ok
        conn.close()
        with lock:
            result.latencies.extend(mine)
            result.errors += errors

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - started
    result.requests = len(result.latencies)
    ordered = sorted(result.latencies)
    result.p50, result.p99 = percentile(ordered, 0.5), percentile(ordered, 0.99)
    return result


def row(label: str, r: Result, base: Result | None) -> str:
    ratio = f"{r.rate / base.rate:6.2f}" if base and base.rate else "     —"
    times = f"{r.p50 * 1000:>8.1f} {r.p99 * 1000:>8.1f}"
    return f"{label:<44} {r.requests:>6} {r.rate:>9.1f} {times} {ratio} {r.errors:>6}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="ballots cast over HTTP (one code each)")
    parser.add_argument("--ballots", type=int, default=100_000, help="stored ballots to count")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60, help="stop each load row after this long")
    args = parser.parse_args()
    if not postgres_answers():
        print("PostgreSQL does not answer on 127.0.0.1:5432; this benchmark needs it.", file=sys.stderr)
        return 2
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench_ballots_") as tmp:
        workdir = Path(tmp)
        with temporary_database("postgres", workdir) as (database_url, label):
            env = site_environment(database_url, workdir)
            env["BENCH_WORKDIR"] = str(workdir)
            print(f"setting up: {label}; migrate, one school, {args.ballots} stored ballots", flush=True)
            run_quietly([python, "-m", "chuangyou", "migrate", "--noinput", "-v", "0"], env)
            run_quietly([python, "-m", "chuangyou", "collectstatic", "--noinput", "-v", "0"], env)
            t0 = time.perf_counter()
            run_quietly([python, __file__, "_seed", str(workdir), str(args.requests), str(args.ballots)], env)
            print(f"seeded in {time.perf_counter() - t0:.1f} s", flush=True)
            codes = (workdir / "codes.txt").read_text().split()
            subjects = json.loads((workdir / "subjects.json").read_text())
            marks = {s: {f"c{c}": LEVELS[(i + c) % 4] for c in range(1, 6)} for i, s in enumerate(subjects)}
            ballot_path = f"/api/v1/schools/{SCHOOL}/evaluations/code-ballot"
            ballot_bodies = [(ballot_path, json.dumps({"code": c, "marks": marks}).encode()) for c in codes]
            bare_bodies = [("/bench/bare-insert/", json.dumps({"marks": marks}).encode())] * len(codes)
            with gunicorn(
                "bench_ballots_wsgi:application",
                env=env,
                workers=args.workers,
                threads=args.threads,
                log=workdir / "gunicorn.log",
            ) as port:
                warm = post_load(port, bare_bodies[:100], connections=args.connections, seconds=args.seconds)
                base = post_load(port, bare_bodies, connections=args.connections, seconds=args.seconds)
                cast = post_load(port, ballot_bodies, connections=args.connections, seconds=args.seconds)
            del warm
            shape = f"{args.workers} workers × {args.threads} threads, {args.connections} parallel clients"
            print(f"\ngunicorn {shape}, PostgreSQL, loopback")
            print(
                f"{'row':<44} {'reqs':>6} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6} {'errors':>6}"
            )
            print(row("bare Django view, one INSERT (baseline)", base, None))
            print(row("cast a ballot by one-time code (API)", cast, base))
            done = run_quietly_output([python, __file__, "_count", str(workdir)], env)
            figures = json.loads(done)
            print(
                f"\ncount of {figures['returned']} ballots: engine {figures['engine']:.2f} s; "
                f"the same per-cell aggregation in SQL {figures['sql']:.2f} s ({figures['cells']} cells); "
                f"ratio {figures['engine'] / figures['sql']:.1f}×; "
                f"recount from the raw ballots in Python {figures['recount']:.2f} s (same result)"
            )
            failed = base.errors + cast.errors
            if failed:
                print(f"{failed} requests failed; see the gunicorn log", file=sys.stderr)
                print((workdir / "gunicorn.log").read_text()[-3000:], file=sys.stderr)
            return 1 if failed else 0


def run_quietly_output(args: list[str], env: dict[str, str]) -> str:
    import subprocess

    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


if __name__ == "__main__":
    if sys.argv[1:2] == ["_seed"]:
        seed(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1:2] == ["_count"]:
        count(Path(sys.argv[2]))
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangyou.settings")
        sys.exit(main())
