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
