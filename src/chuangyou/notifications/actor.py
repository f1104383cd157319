"""What this app needs of org.rules.Actor, named as a protocol: the app sits below org (as the audit log
does), so that every domain app may call it."""

from __future__ import annotations

from typing import Any, Protocol


class Row(Protocol):
    @property
    def pk(self) -> Any: ...


class Actor(Protocol):
    @property
    def user(self) -> Row | None: ...


class SchoolActor(Actor, Protocol):
    """An actor whose roles are checked (org.rules.Actor), and who is named in the audit log."""

    @property
    def system(self) -> bool: ...

    @property
    def label(self) -> str: ...

    def holds(self, role: str, *, school_id: int | None = None) -> bool: ...


# org.models.Role.SCHOOL_ADMIN, by value (org is a layer above); test_channel_settings checks they agree.
SCHOOL_ADMIN = "school_admin"
