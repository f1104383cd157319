"""A test-time guard over the rule "every write goes through a service, and the service audits it".

`WriteGuard` watches the SQL a connection runs (`connection.execute_wrapper`) while a request is being
answered (between Django's `request_started` and `request_finished` signals, which the test client sends
too) or a background task runs (django_tasks' `task_started` and `task_finished`; in tests the tasks run
at once, in the test's thread). For each INSERT, UPDATE or DELETE it notes the table, the outermost
`chuangyou.<app>.services` function on the call stack, and whether a selector is on it. When the request
(or task) ends it reports:

- a write made outside any service (a view, a router, middleware or a template wrote rows itself);
- a write made while a selector runs (a read must never write, not even through a service);
- a service call that wrote rows and appended no `audit_auditentry` row in the same call.

Writes the rule leaves out are named in `UNAUDITED`, the one list of exceptions: a key is either a table
(any write to it is free) or the dotted name of a function (any write made while it runs is free).
Every test but the browser tests runs under it (the `audited_writes` fixture in chuangyou/conftest.py).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import connection
from django.dispatch import Signal
from django_tasks.signals import task_finished, task_started

AUDIT_TABLE = "audit_auditentry"

# The one list of writes that need no audit entry, each with why.
UNAUDITED: dict[str, str] = {
    # Tables
    "audit_auditentry": "the audit log itself",
    "audit_auditblock": "the audit log's sealed blocks",
    "audit_audithead": "the audit log's chain heads",
    "django_session": "sessions: signing in and out, the language, flash messages",
    "limits_counter": "rate-limit counters (chuangyou.limits)",
    "django_tasks_database_dbtaskresult": "the task queue",
    "roster_rosterimport": (
        "a roster upload's own row is the record of who uploaded and confirmed what, and its status is the "
        "import's progress; the import audits every person it creates or changes (roster/services.py)"
    ),
    # Functions
    "chuangyou.evaluations.services.voting.cast_ballot": (
        "a ballot, and its voter's mark on the roll: an entry would tie the voter to the ballot (issue 10)"
    ),
    "chuangyou.practice.services.save_answer": (
        "practice autosave, on every change; the audited submit records the answers as handed in"
    ),
    "django.contrib.auth.models.update_last_login": "the last sign-in time Django keeps on the account",
    "chuangyou.accounts.services.user_for_token": "a token's last-used time, stamped on use",
    "chuangyou.notifications.services.deliver_due": (
        "delivery bookkeeping (attempts, next try, sent, failed and why): the outbox row is its own record; "
        "the messages were audited with the write that queued them"
    ),
    "chuangyou.notifications.services.mark_read": (
        "a person marks their own message read: a reading, not a change"
    ),
    "chuangyou.notifications.services.mark_all_read": "the same, for all their unread messages at once",
}

_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)", re.IGNORECASE)
_SERVICES = re.compile(r"^chuangyou\.\w+\.services(?:\.\w+)*$")
_SELECTORS = re.compile(r"^chuangyou\.\w+\.selectors(?:\.\w+)*$")
_FUNCTIONS = frozenset(key for key in UNAUDITED if "." in key)


@dataclass
class _Call:
    """One outermost service call within a request: the tables it wrote, and whether it audited."""

    name: str
    frame: FrameType  # held, so its id is not reused within the request
    tables: set[str] = field(default_factory=set)
    audited: bool = False


@dataclass
class _Request:
    label: str
    calls: dict[int, _Call] = field(default_factory=dict)
    outside: set[str] = field(default_factory=set)  # "table by function" written outside a service
    by_selector: set[str] = field(default_factory=set)


def _stack() -> tuple[str | None, FrameType | None, str | None, bool]:
    """The outermost service function (name and frame), the innermost application frame outside the
    services (who wrote, when no service did), and whether an exempted function is running."""
    frame: FrameType | None = sys._getframe(2)
    service: tuple[str | None, FrameType | None] = (None, None)
    writer: str | None = None
    selector: str | None = None
    exempt = False
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("django_tasks."):
            break  # a task run at once in tests: the frames beyond are whoever enqueued it, not the writer
        name = f"{module}.{frame.f_code.co_name}"
        if name in _FUNCTIONS:
            exempt = True
        if _SERVICES.match(module):
            service = (name, frame)
        elif _SELECTORS.match(module) and selector is None:
            selector = name
        elif writer is None and module.startswith("chuangyou.") and module != __name__:
            writer = name
        frame = frame.f_back
    if exempt:
        return None, None, None, True
    return service[0], service[1], selector or writer, False


class WriteGuard:
    """Call it as an execute wrapper; read `problems` after the requests."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.requests: list[str] = []  # labels of the requests seen, for the guard's own tests
        self._open: list[_Request] = []  # a task run inside a request is judged on its own

    # Requests -------------------------------------------------------------------------------------
    def _started(self, sender: Any, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
        environ = environ or {}
        self._open_unit(f"{environ.get('REQUEST_METHOD', '?')} {environ.get('PATH_INFO', '?')}")

    def _task_started(self, sender: Any, task_result: Any = None, **kwargs: Any) -> None:
        self._open_unit(f"task {getattr(getattr(task_result, 'task', None), 'module_path', '?')}")

    def _open_unit(self, label: str) -> None:
        self._open.append(_Request(label))
        self.requests.append(label)

    def _finished(self, sender: Any, **kwargs: Any) -> None:
        if self._open:
            self.problems.extend(self._judge(self._open.pop()))

    @contextmanager
    def request(self, label: str) -> Iterator[None]:
        """Treat the block as one request (the guard's own tests, or code outside the test client)."""
        self._started(None, {"REQUEST_METHOD": label.split()[0], "PATH_INFO": label.split()[-1]})
        try:
            yield
        finally:
            self._finished(None)

    @staticmethod
    def _judge(request: _Request) -> list[str]:
        found = [f"{request.label}: {what} written outside a service" for what in sorted(request.outside)]
        found += [
            f"{request.label}: {what} written while a selector reads" for what in sorted(request.by_selector)
        ]
        for call in request.calls.values():
            if call.tables and not call.audited:
                tables = ", ".join(sorted(call.tables))
                found.append(f"{request.label}: {call.name} wrote {tables} without an audit entry")
        return found

    # SQL ------------------------------------------------------------------------------------------
    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        result = execute(sql, params, many, context)
        if self._open:
            match = _WRITE.match(sql)
            # An UPDATE or DELETE that changed no row (a claim that lost its race) wrote nothing. (An INSERT's
            # count is not known yet when it returns rows, so an INSERT always counts.)
            changed = sql.lstrip()[:1].upper() == "I" or getattr(context.get("cursor"), "rowcount", -1) != 0
            if match and changed:
                self._note(self._open[-1], match.group(1).lower())
        return result

    def _note(self, request: _Request, table: str) -> None:
        service, frame, writer, exempt = _stack()
        if exempt:
            return
        if service is not None and frame is not None:
            call = request.calls.setdefault(id(frame), _Call(service, frame))
            if table == AUDIT_TABLE:
                call.audited = True
            elif table not in UNAUDITED:
                call.tables.add(table)
                if writer is not None and writer.split(".")[2:3] == ["selectors"]:
                    request.by_selector.add(f"{table} by {writer} (through {service})")
        elif table not in UNAUDITED:
            target = request.by_selector if writer and ".selectors." in writer else request.outside
            target.add(f"{table} by {writer or 'code outside chuangyou'}")

    # Installing -----------------------------------------------------------------------------------
    @contextmanager
    def installed(self) -> Iterator[WriteGuard]:
        signals: list[tuple[Signal, Callable[..., Any]]] = [
            (request_started, self._started),
            (request_finished, self._finished),
            (task_started, self._task_started),
            (task_finished, self._finished),
        ]
        for signal, receiver in signals:
            signal.connect(receiver)
        try:
            with connection.execute_wrapper(self):
                yield self
        finally:
            for signal, receiver in signals:
                signal.disconnect(receiver)
