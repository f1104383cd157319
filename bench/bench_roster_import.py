"""Roster import speed: 50,000 students from one .xlsx, against reading the same file with openpyxl.

    DEBUG=1 .venv/bin/python bench/bench_roster_import.py [--rows 50000] [--seed 2025]

It builds a deterministic workbook (the same seed gives the same bytes of data: names, classes written
the several ways offices write them, siblings sharing a parent's phone), creates a throw-away test
database on whatever DATABASE_URL points at (a temporary SQLite file by default; `test_bench_roster_<pid>`
on PostgreSQL), migrates it, and times in one process:

  raw read     openpyxl read_only iteration over every row (the floor: the import reads the same way)
  check        import-roster --dry-run (read, clean, plan against the school)
  import       the full import: every student, account, parent, seat and audit entry, in one transaction
  re-import    the same file again (every row unchanged, nothing written)

and prints rows/s for each and its ratio to the raw read. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国子涵梓轩浩然欣怡雨萱一诺思远博文"
GRADES = ["初一", "初二", "初三", "高一", "高二", "高三"]
ORDINAL = {"初一": "七年级", "初二": "八年级", "初三": "九年级"}
CLASSES_PER_GRADE = 24


def build_workbook(rows: int, seed: int) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学生名单")
    sheet.append(["学号", "姓名", "性别", "年级", "班级", "家长姓名", "家长手机号"])
    previous: tuple[str, str] | None = None
    for i in range(rows):
        surname = rng.choice(SURNAMES)
        name = surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        grade = rng.choice(GRADES)
        number = rng.randint(1, CLASSES_PER_GRADE)
        form = rng.random()
        if form < 0.4:
            grade_cell, class_cell = grade, str(number)
        elif form < 0.7:
            grade_cell, class_cell = "", f"{grade}({number})班"
        elif form < 0.85:
            grade_cell, class_cell = "", f"{grade}（{number}）班"
        else:
            grade_cell, class_cell = "", f"{ORDINAL.get(grade, grade)}{number}班"
        if previous is not None and rng.random() < 0.1:
            parent = previous  # a sibling: the same parent, the same phone
        else:
            parent = (surname + rng.choice("父母") + "亲", f"1{rng.choice('3589')}{i:09d}")
        previous = parent
        sheet.append([f"2025{i:06d}", name, rng.choice("男女"), grade_cell, class_cell, parent[0], parent[1]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def raw_read(data: bytes) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = 0
    for _ in workbook.worksheets[0].iter_rows(values_only=True):
        count += 1
    workbook.close()
    return count - 1


def timed(label: str, fn: object) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    print(f"  … {label}: {elapsed:.2f} s", flush=True)
    return elapsed, value


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="chuangyou-bench-roster-"))
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangyou.settings")
    # The file cache and uploads of this run stay in the scratch folder, not the developer's var/.
    os.environ["CHUANGYOU_DATA_DIR"] = str(scratch)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from chuangyou.org import services
    from chuangyou.org.models import Student
    from chuangyou.org.rules import SYSTEM
    from chuangyou.roster.importing import import_roster

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(scratch / "bench.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = f"test_bench_roster_{os.getpid()}"
    old_config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    try:
        print(f"roster import benchmark · {args.rows} student rows · database: {connection.vendor}")
        _, data = timed("building the workbook", lambda: build_workbook(args.rows, args.seed))
        assert isinstance(data, bytes)
        print(f"  workbook: {len(data) / 1048576:.1f} MB")
        bureau = services.create_bureau(actor=SYSTEM, code="bench", name="基准县教育局")
        school = services.create_school(actor=SYSTEM, bureau=bureau, code="bench", name="基准中学")

        def run(dry_run: bool) -> object:
            return import_roster(
                actor=SYSTEM, school=school, name="bench.xlsx", stream=io.BytesIO(data), dry_run=dry_run
            )

        raw_seconds, counted = timed("raw read", lambda: raw_read(data))
        check_seconds, checked = timed("check (dry run)", lambda: run(True))
        import_seconds, imported = timed("import", lambda: run(False))
        again_seconds, again = timed("re-import", lambda: run(False))
        for result in (checked, imported, again):
            if result.errors:  # type: ignore[attr-defined]
                print("unexpected errors:", result.errors[:5])  # type: ignore[attr-defined]
                return 1
        students = Student.objects.filter(school=school).count()
        assert counted == args.rows == students, (counted, students)
        assert (imported.created, again.unchanged, again.applied) == (args.rows, args.rows, False)  # type: ignore[attr-defined]

        print()
        print(f"{'step':<12}{'seconds':>10}{'rows/s':>12}{'× raw read':>12}")
        for label, seconds in [
            ("raw read", raw_seconds),
            ("check", check_seconds),
            ("import", import_seconds),
            ("re-import", again_seconds),
        ]:
            print(f"{label:<12}{seconds:>10.2f}{args.rows / seconds:>12,.0f}{seconds / raw_seconds:>12.1f}")
        print(f"\nimport/raw-read ratio: {import_seconds / raw_seconds:.1f}")
    finally:
        from chuangyou.audit.services import seal_waiting

        seal_waiting()  # the sealing timer's work, before its database goes
        teardown_databases(old_config, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
