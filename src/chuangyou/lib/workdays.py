"""Working days on the Chinese calendar, for 公示 periods.

The data is the `chinese-calendar` package, which tracks the State Council's yearly holiday
schedule: statutory holidays are not working days, and 调休 weekend days that are worked are.
A year the package doesn't cover yet is an error, never a guess: the schedule is published each
winter, and upgrading the package brings it in.

Convention: a period of n working days *includes its start day* if that day is a working day
(a notice posted on Monday morning for 5 working days runs Monday to Friday). A start on a
non-working day begins counting on the next working day.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from django.utils.translation import gettext

from chuangyou.lib.errors import Invalid


def _message(year: int) -> str:
    return gettext(
        "%(year)s 年的法定节假日安排尚未收录，无法计算工作日："
        "请升级 chinese-calendar 软件包（pip install -U chinese-calendar）后再试。"
    ) % {"year": year}


def is_working_day(day: dt.date) -> bool:
    """True on Monday–Friday that isn't a statutory holiday, and on a 调休 working weekend day."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError as exc:
        raise Invalid(_message(day.year)) from exc


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The last day of a period of `n` working days beginning on `start` (counted if a working day)."""
    if n < 1:
        raise Invalid(gettext("工作日天数至少为 1。"))
    day, counted = start, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == n:
                return day
        day += dt.timedelta(days=1)
