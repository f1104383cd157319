"""Working days on the Chinese calendar, for 公示 periods.

The data is the `chinese-calendar` package, which tracks the State Council's yearly holiday
schedule: statutory holidays are not working days, and 调休 weekend days that are worked are.
The package is authoritative for every year it covers. For a year it doesn't cover yet (the
schedule is published each winter, and the package follows some weeks later), the caller may pass
the schedule an admin entered by hand (`schedules`: year → `YearSchedule`, see `Schedules`); `lib`
knows no app, so the org app builds that mapping. A year neither covers is an error, never a guess.

Convention: a period of n working days *includes its start day* if that day is a working day
(a notice posted on Monday morning for 5 working days runs Monday to Friday). A start on a
non-working day begins counting on the next working day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Protocol

import chinese_calendar
from django.utils.translation import gettext

from chuangyou.lib.errors import Invalid

# What a notice says its working days came from when the package counted them. The notice keeps it
# as posted, in the notice's own language (like its title), so it is data, not an interface string.
PACKAGE_SOURCE = "chinese-calendar 软件包"


@dataclass(frozen=True)
class YearSchedule:
    """One year's State Council holiday schedule: 放假日期 (off) and 调休上班日期 (worked weekend days).
    `label` names where it came from, for the notices counted with it."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    label: str


class Schedules(Protocol):
    """Where entered schedules come from: a plain `{year: YearSchedule}` dict will do, or a source
    that reads them only when asked (the package covers most years, so most counts never ask)."""

    def get(self, year: int, /) -> YearSchedule | None: ...


@dataclass(frozen=True)
class Period:
    """The end of a period of working days, and the sources its days were counted from, in order."""

    ends_on: dt.date
    sources: tuple[str, ...]

    @property
    def source_label(self) -> str:
        return "；".join(self.sources)


def _message(year: int) -> str:
    return gettext(
        "%(year)s 年的法定节假日安排尚未收录，无法计算工作日："
        "请教育局管理员在教育局首页的「放假安排」页录入 %(year)s 年的国务院放假安排"
        "（本局未录入时，学校管理员可在本校的「放假安排」页录入），"
        "或升级 chinese-calendar 软件包（pip install -U chinese-calendar）后再试。"
    ) % {"year": year}


def package_covers(year: int) -> bool:
    """Whether the installed chinese-calendar knows `year` (then it is used, whatever was entered)."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _working(day: dt.date, schedules: Schedules | None) -> tuple[bool, str]:
    try:
        return bool(chinese_calendar.is_workday(day)), PACKAGE_SOURCE
    except NotImplementedError as exc:
        entered = schedules.get(day.year) if schedules is not None else None
        if entered is None:
            raise Invalid(_message(day.year)) from exc
        if day in entered.holidays:
            return False, entered.label
        return day.weekday() < 5 or day in entered.workdays, entered.label


def is_working_day(day: dt.date, *, schedules: Schedules | None = None) -> bool:
    """True on Monday–Friday that isn't a statutory holiday, and on a 调休 working weekend day."""
    return _working(day, schedules)[0]


def working_period(start: dt.date, n: int, *, schedules: Schedules | None = None) -> Period:
    """A period of `n` working days beginning on `start` (counted if a working day): its last day and
    where the calendar of each year it crosses came from."""
    if n < 1:
        raise Invalid(gettext("工作日天数至少为 1。"))
    day, counted, sources = start, 0, []
    while True:
        working, source = _working(day, schedules)
        if source not in sources:
            sources.append(source)
        if working:
            counted += 1
            if counted == n:
                return Period(day, tuple(sources))
        day += dt.timedelta(days=1)


def add_working_days(start: dt.date, n: int, *, schedules: Schedules | None = None) -> dt.date:
    """The last day of a period of `n` working days beginning on `start` (counted if a working day)."""
    return working_period(start, n, schedules=schedules).ends_on


_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_SEPARATORS = re.compile(r"[\s、，,；;]+")


def parse_dates(text: str) -> list[dt.date]:
    """Dates typed one per line or separated by 、，, or spaces, as YYYY-MM-DD or YYYY/M/D, in the
    order typed (duplicates kept: the caller says what is wrong with them)."""
    days = []
    for token in _SEPARATORS.split(text.strip()):
        if not token:
            continue
        match = _DATE.match(token)
        try:
            if match is None:
                raise ValueError(token)
            days.append(dt.date(*(int(part) for part in match.groups())))
        except ValueError as exc:
            raise Invalid(
                gettext(
                    "「%(token)s」不是日期：请写成 2027-01-01 或 2027/1/1，每行一个或用顿号、逗号、空格隔开。"
                )
                % {"token": token}
            ) from exc
    return days
