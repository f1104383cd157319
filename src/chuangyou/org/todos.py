"""工作台: what each person must do now, gathered from the apps that know.

The home page lives in org, below the apps that hold the work (evaluations, nominations, practice,
volunteering, campaigns), so it cannot import them. Instead each app registers a provider in its
AppConfig.ready(); a provider answers, for one person and one school, the things that person should do
there, each with one link to do it and its deadline. Providers read only (selectors): the home page
never writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from chuangyou.org.models import School
from chuangyou.org.rules import Actor


@dataclass(frozen=True)
class Todo:
    kind: str  # which provider, for tests and styling: "ballot", "objection", ...
    title: str  # what to do, in words: 为「2026年教师民主测评」投票
    url: str  # the one click that does it
    due: dt.datetime | None = None  # its deadline, if it has one
    note: str = ""  # a second line: whose, how many

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < timezone.now()


Provider = Callable[[Actor, School], Iterable[Todo]]
_PROVIDERS: list[Provider] = []


def provides(provider: Provider) -> Provider:
    """Register a provider (each app's todos module, imported from its AppConfig.ready)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def end_of(day: dt.date) -> dt.datetime:
    """A date deadline as the end of that day, so dated and timed deadlines sort together."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def todos_for(actor: Actor, school: School) -> list[Todo]:
    """Everything the person should do at this school, soonest deadline first, undated last."""
    found = [todo for provider in _PROVIDERS for todo in provider(actor, school)]
    latest = timezone.make_aware(dt.datetime.max - dt.timedelta(days=2))
    return sorted(found, key=lambda t: (t.due or latest, t.title))
