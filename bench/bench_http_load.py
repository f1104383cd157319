"""HTTP load on loopback: 创优 under gunicorn, against a bare WSGI app under the same gunicorn config.

    .venv/bin/python bench/bench_http_load.py [--db auto|postgres|sqlite] [--workers 2] [--connections 8]
                                              [--requests 2000] [--seconds 15] [--client auto|python|wrk]

It builds a throw-away site (a temporary PostgreSQL database on 127.0.0.1:5432 when one answers, else a
temporary SQLite file; migrated, static files collected, one school with a public campaign), starts
gunicorn with deploy/gunicorn.conf.py on 127.0.0.1, and drives it from this process (threads with
keep-alive http.client connections, or `wrk` when installed) against /healthz, the school's public page
and the sign-in page, all logged out. The baseline is a "hello" WSGI app served by the same gunicorn
config in the same run; each row prints requests/s, p50/p99 latency and its ratio to the baseline.
Everything stays on 127.0.0.1, each measurement stops after --requests or --seconds, and the servers and
the temporary database are removed at the end. Exit status 1 if any request failed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SCHOOL_CODE = "bench"


def hello_app(environ: dict[str, object], start_response: Callable[..., object]) -> Iterable[bytes]:
    """The baseline: what gunicorn and the client cost with no framework at all."""
    body = b'{"ok": true}'
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


# ---------------------------------------------------------------------------------------------- the site


def seed() -> None:
    """Run inside the site's environment (`bench_http_load.py _seed`): one school with a public plan."""
    import django

    django.setup()
    from django.utils import timezone

    from chuangyou.campaigns.services import create_campaign
    from chuangyou.org.rules import SYSTEM
    from chuangyou.org.services import create_bureau, create_school

    bureau = create_bureau(actor=SYSTEM, code="benchju", name="压测区教育局")
    school = create_school(actor=SYSTEM, bureau=bureau, code=SCHOOL_CODE, name="压测中学")
    year = timezone.localdate().year
    create_campaign(
        actor=SYSTEM, school=school, year=year, title=f"{year}年创先争优活动方案", theme="创先争优，立德树人"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


@contextmanager
def temporary_database(kind: str, workdir: Path) -> Iterator[tuple[str, str]]:
    """Yields (DATABASE_URL, a label) and removes the database afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.sqlite3'}", "SQLite (WAL), temporary file"
        return
    import psycopg

    name = f"bench_chuangyou_{os.getpid()}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, f"PostgreSQL, temporary database {name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def site_environment(database_url: str, workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "chuangyou.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_HTTPS": "0",  # plain HTTP on loopback; nginx ends TLS in production
            "DATABASE_URL": database_url,
            "CHUANGYOU_DATA_DIR": str(workdir / "data"),
            "LOG_LEVEL": "WARNING",
            "GUNICORN_ACCESSLOG": "",  # no access log for either server: the disk is not measured
            "GUNICORN_LOGLEVEL": "warning",
        }
    )
    return env


def run_quietly(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")


@contextmanager
def gunicorn(app: str, *, env: dict[str, str], workers: int, threads: int, log: Path) -> Iterator[int]:
    """Serve `app` on 127.0.0.1:<free port> with deploy/gunicorn.conf.py; yields the port."""
    port = free_port()
    env = env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    env["GUNICORN_THREADS"] = str(threads)
    args = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(GUNICORN_CONF), "--chdir", str(ROOT)]
    args += ["--pythonpath", str(ROOT / "bench"), app]
    with log.open("w") as out:
        proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until_up(port, proc, log)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_until_up(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.1)
    proc.kill()
    sys.exit(f"gunicorn did not answer on 127.0.0.1:{port} within 30 s:\n{log.read_text()[-3000:]}")


# -------------------------------------------------------------------------------------------- the load


@dataclass
class Result:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds; empty when wrk measured

    p50: float = 0.0
    p99: float = 0.0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def load_with_threads(port: int, path: str, *, connections: int, requests: int, seconds: float) -> Result:
    """`connections` threads, each with one keep-alive connection, share `requests` until the deadline."""
    lock = threading.Lock()
    issued = 0
    result = Result()
    deadline = time.monotonic() + seconds

    def claim() -> bool:
        nonlocal issued
        with lock:
            if issued >= requests or time.monotonic() >= deadline:
                return False
            issued += 1
            return True

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        errors = 0
        while claim():
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            mine.append(time.perf_counter() - t0)
            errors += not ok
        conn.close()
        with lock:
            result.latencies.extend(mine)
            result.errors += errors

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    result.requests = len(result.latencies)
    ordered = sorted(result.latencies)
    result.p50, result.p99 = percentile(ordered, 0.50), percentile(ordered, 0.99)
    return result


_WRK_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0}


def load_with_wrk(port: int, path: str, *, connections: int, seconds: float) -> Result:
    """wrk runs for a fixed time (it has no request count); its own C client costs far less than ours."""
    duration = max(1, round(seconds))
    url = f"http://127.0.0.1:{port}{path}"
    args = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency", url]
    out = subprocess.run(args, capture_output=True, text=True, check=True)
    text = out.stdout

    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.MULTILINE)
        return float(match.group(1)) * _WRK_UNITS[match.group(2)] if match else 0.0

    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", text)
    if total is None:
        sys.exit(f"could not read wrk's output:\n{text}")
    unit = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[total.group(3)]
    result = Result(requests=int(total.group(1)), seconds=float(total.group(2)) * unit)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    result.errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        result.errors += sum(int(n) for n in socket_errors.groups())
    result.p50, result.p99 = latency("50"), latency("99")
    return result


# ------------------------------------------------------------------------------------------------ main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["auto", "postgres", "sqlite"], default="auto")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2-4 here)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--connections", type=int, default=8, help="concurrent client connections")
    parser.add_argument("--requests", type=int, default=2000, help="requests per row (python client)")
    parser.add_argument("--seconds", type=float, default=15.0, help="time limit per row")
    parser.add_argument("--client", choices=["auto", "python", "wrk"], default="auto")
    args = parser.parse_args()

    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    kind = args.db
    if kind == "auto":
        kind = "postgres" if postgres_answers() else "sqlite"

    def load(port: int, path: str) -> Result:
        # Warm each worker up (imports, connections, template loading) before measuring.
        load_with_threads(port, path, connections=args.connections, requests=100, seconds=10)
        if client == "wrk":
            return load_with_wrk(port, path, connections=args.connections, seconds=args.seconds)
        return load_with_threads(
            port, path, connections=args.connections, requests=args.requests, seconds=args.seconds
        )

    paths = ["/healthz", f"/s/{SCHOOL_CODE}/", "/accounts/login/"]
    rows: list[tuple[str, str, Result]] = []
    with tempfile.TemporaryDirectory(prefix="chuangyou-bench-http-") as tmp:
        workdir = Path(tmp)
        with temporary_database(kind, workdir) as (database_url, db_label):
            env = site_environment(database_url, workdir)
            python = sys.executable
            print(f"setting up: {db_label}; migrate, collectstatic, one school", flush=True)
            run_quietly([python, "-m", "chuangyou", "migrate", "--noinput", "-v", "0"], env)
            run_quietly([python, "-m", "chuangyou", "collectstatic", "--noinput", "-v", "0"], env)
            run_quietly([python, str(Path(__file__).resolve()), "_seed"], env)

            common = {"env": env, "workers": args.workers, "threads": args.threads}
            with gunicorn("bench_http_load:hello_app", log=workdir / "hello.log", **common) as port:
                baseline = load(port, "/healthz")
                rows.append(("hello (bare WSGI)", "/healthz", baseline))
            with gunicorn("chuangyou.wsgi", log=workdir / "chuangyou.log", **common) as port:
                for path in paths:
                    rows.append(("chuangyou", path, load(port, path)))

    print()
    print(
        f"HTTP load on 127.0.0.1 · gunicorn gthread {args.workers} workers × {args.threads} threads · "
        f"{args.connections} connections · client: {client} · database: {db_label} · {os.cpu_count()} cores "
        "(client and server share them)"
    )
    header = f"{'server':<18} {'path':<18} {'requests':>9} {'errors':>7} {'req/s':>9} {'p50 ms':>8} "
    print(header + f"{'p99 ms':>8} {'vs hello':>9}")
    for name, path, r in rows:
        ratio = r.rate / baseline.rate if baseline.rate else 0.0
        print(
            f"{name:<18} {path:<18} {r.requests:>9} {r.errors:>7} {r.rate:>9.0f} {r.p50 * 1000:>8.2f} "
            f"{r.p99 * 1000:>8.2f} {ratio:>9.2f}"
        )
    errors = sum(r.errors for _, _, r in rows)
    if errors:
        print(f"{errors} requests failed (non-200 or connection error)")
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["_seed"]:
        seed()
    else:
        sys.exit(main())
