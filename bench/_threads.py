"""The thread harness the write benchmarks share: N threads, each with its own connection, take jobs from
one queue after a common start, and each call is timed. Not a benchmark itself (`make bench` runs
bench_*.py only)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


def run_threads(
    count: int, jobs: list[int], work: Callable[[int], None], *, fail_on_error: bool = True
) -> tuple[float, list[float]]:
    """Run `work(job)` for every job from `count` threads; returns wall seconds and per-call latencies.
    With `fail_on_error`, a call that raises spoils the measurement: the run raises once all threads end.
    Without it, a failing thread stops (its traceback printed) and the others finish the queue."""
    from django.db import connection

    lock = threading.Lock()
    queue = list(reversed(jobs))
    latencies: list[float] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(count + 1)

    def take_jobs() -> None:
        mine: list[float] = []
        try:
            connection.ensure_connection()
            barrier.wait()
            while True:
                with lock:
                    if not queue:
                        break
                    job = queue.pop()
                started = time.perf_counter()
                work(job)
                mine.append(time.perf_counter() - started)
        except BaseException as exc:
            if not fail_on_error:
                raise
            errors.append(exc)
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=take_jobs) for _ in range(count)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} thread(s) failed: {errors[0]!r}") from errors[0]
    return time.perf_counter() - started, latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
