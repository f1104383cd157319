"""Roster imports: the input and output schemas of `chuangyou.api.routers.roster`.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import datetime as dt
from typing import Any, Literal

from ninja import Schema

from chuangyou.roster import selectors
from chuangyou.roster.models import RosterImport

# The choice list below copies the model's TextChoices: api/tests/test_schema_choices.py checks each against
# its model, so a choice added to a model and not here fails the suite.
RosterKindName = Literal["students", "staff"]


class RosterErrorOut(Schema):
    row: int
    column: str
    message: str


class RosterProgressOut(Schema):
    phase: str
    done: int
    total: int
    percent: int | None


class RosterImportOut(Schema):
    id: int
    kind: str
    status: str
    original_name: str
    rows: int
    created: int
    updated: int
    unchanged: int
    details: dict[str, int]
    ignored_columns: list[str]
    error_count: int
    errors: list[RosterErrorOut]
    has_error_report: bool
    message: str
    progress: RosterProgressOut | None
    created_at: dt.datetime
    finished_at: dt.datetime | None

    @staticmethod
    def resolve_created(obj: RosterImport) -> int:
        return obj.created_count

    @staticmethod
    def resolve_updated(obj: RosterImport) -> int:
        return obj.updated_count

    @staticmethod
    def resolve_unchanged(obj: RosterImport) -> int:
        return obj.unchanged_count

    @staticmethod
    def resolve_has_error_report(obj: RosterImport) -> bool:
        return bool(obj.report)

    @staticmethod
    def resolve_progress(obj: RosterImport) -> dict[str, Any] | None:
        return selectors.progress_of(obj) if obj.is_running else None
