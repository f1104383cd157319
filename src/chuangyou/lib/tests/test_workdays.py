import datetime as dt

import pytest

from chuangyou.lib.errors import Invalid
from chuangyou.lib.workdays import add_working_days, is_working_day


def test_national_day_holiday_is_skipped() -> None:
    # 9-28, 9-29, 9-30, then Oct 1–7 off, then 10-8 and 10-9.
    assert add_working_days(dt.date(2026, 9, 28), 5) == dt.date(2026, 10, 9)


def test_tiaoxiu_saturday_is_counted() -> None:
    assert is_working_day(dt.date(2026, 10, 10)) is True  # a Saturday worked in exchange
    # 9-30, 10-8, 10-9, 10-10 (Saturday, 调休), 10-12.
    assert add_working_days(dt.date(2026, 9, 30), 5) == dt.date(2026, 10, 12)


def test_start_on_a_holiday_counts_from_the_next_working_day() -> None:
    assert add_working_days(dt.date(2026, 10, 3), 1) == dt.date(2026, 10, 8)


def test_start_day_counts_when_working() -> None:
    assert add_working_days(dt.date(2026, 11, 2), 1) == dt.date(2026, 11, 2)


def test_uncovered_year_is_an_error_not_a_guess() -> None:
    with pytest.raises(Invalid) as exc:
        add_working_days(dt.date(2099, 3, 2), 5)
    assert exc.value.message == (
        "2099 年的法定节假日安排尚未收录，无法计算工作日："
        "请升级 chinese-calendar 软件包（pip install -U chinese-calendar）后再试。"
    )
