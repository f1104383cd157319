"""The demo's calendar: its story is written for one week of November 2026, and it is loaded on the
week of the day `load-demo` runs, so on any day there is an open vote, a running 公示, sign-ups still
open and practice due this week.

Every date in the demo is written as it stands in the story (`day(2026, 11, 16)`, `at(2026, 11, 16,
10)`) and moved by whole weeks at load time, so a date keeps its weekday and the working-day rules
(公示 of five working days, practice due on Fridays) read the same. Under the tests' pinned clock
(2026-11-21) nothing moves.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.utils import timezone

_When = TypeVar("_When", dt.date, dt.datetime)

# The story's Wednesday. Whatever weekday the demo is loaded on, the story's "today" falls on one of
# the seven days from here, and every open window of the story covers those seven days.
STORY_WEEK = dt.date(2026, 11, 18)
STORY_YEAR = 2026  # the campaign year of the story (the 2026–2027 school year)

_shift = dt.timedelta(0)


def begin(today: dt.date) -> None:
    """Place the story on the week of `today`."""
    global _shift
    _shift = dt.timedelta(weeks=(today - STORY_WEEK).days // 7)


def shift() -> dt.timedelta:
    return _shift


def day(year: int, month: int, day_: int) -> dt.date:
    """A day of the story, moved to the week the demo is loaded in."""
    return dt.date(year, month, day_) + _shift


def at(year: int, month: int, day_: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    """A moment of the story on the school's clock (Asia/Shanghai), moved like `day`."""
    return timezone.make_aware(dt.datetime(year, month, day_, hour, minute) + _shift)


def campaign_year() -> int:
    """The campaign year the story's year has become (2026 until the story moves a year on)."""
    return day(STORY_YEAR, 9, 1).year


def moved(value: _When) -> _When:
    """A date or moment written in a table of the story (at import, unmoved), moved like `day`."""
    return value + _shift


def story_at(year: int, month: int, day_: int, hour: int = 8, minute: int = 0) -> dt.datetime:
    """A moment as the story writes it, for the tables built at import; use sites apply `moved`."""
    return timezone.make_aware(dt.datetime(year, month, day_, hour, minute))


def moment(on: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A time on a day that is already moved (read back from a row), on the school's clock."""
    return timezone.make_aware(dt.datetime.combine(on, dt.time(hour, minute)))


def month_start(year: int, month: int) -> dt.date:
    """The first day of the month that the story's month has moved into (monthly things, such as the
    book award, stay whole months)."""
    return day(year, month, 1).replace(day=1)
