import datetime as dt

import pytest

from chuangyou.lib.errors import Invalid
from chuangyou.lib.workdays import (
    PACKAGE_SOURCE,
    YearSchedule,
    add_working_days,
    is_working_day,
    package_covers,
    parse_dates,
    working_period,
)


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
        "请教育局管理员在教育局首页的「放假安排」页录入 2099 年的国务院放假安排"
        "（本局未录入时，学校管理员可在本校的「放假安排」页录入），"
        "或升级 chinese-calendar 软件包（pip install -U chinese-calendar）后再试。"
    )


NEW_YEAR_2027 = YearSchedule(
    year=2027,
    holidays=frozenset({dt.date(2027, 1, 1), dt.date(2027, 1, 2), dt.date(2027, 1, 3)}),
    workdays=frozenset({dt.date(2027, 1, 9)}),  # a Saturday, worked in exchange
    label="教育局录入的 2027 年放假安排（国办发明电〔2026〕1号）",
)


def test_the_package_covers_2026_not_2027() -> None:
    # The premise of the entered schedules: when the package learns 2027, these tests are moved on a year.
    assert package_covers(2026) is True
    assert package_covers(2027) is False


def test_an_entered_schedule_covers_a_year_the_package_does_not() -> None:
    # 12-28..12-31 are four working days; 2027-01-01..03 are off; Monday 01-04 is the fifth.
    period = working_period(dt.date(2026, 12, 28), 5, schedules={2027: NEW_YEAR_2027})
    assert period.ends_on == dt.date(2027, 1, 4)
    assert period.sources == (PACKAGE_SOURCE, NEW_YEAR_2027.label)
    assert period.source_label == f"chinese-calendar 软件包；{NEW_YEAR_2027.label}"


def test_entered_tiaoxiu_saturday_counts_and_holiday_does_not() -> None:
    schedules = {2027: NEW_YEAR_2027}
    assert is_working_day(dt.date(2027, 1, 9), schedules=schedules) is True
    assert is_working_day(dt.date(2027, 1, 10), schedules=schedules) is False  # an ordinary Sunday
    assert is_working_day(dt.date(2027, 1, 1), schedules=schedules) is False


def test_the_package_wins_over_an_entered_schedule() -> None:
    wrong = YearSchedule(
        year=2026, holidays=frozenset({dt.date(2026, 11, 2)}), workdays=frozenset(), label="x"
    )
    period = working_period(dt.date(2026, 11, 2), 1, schedules={2026: wrong})
    assert period == working_period(dt.date(2026, 11, 2), 1)
    assert period.sources == (PACKAGE_SOURCE,)


def test_a_schedule_for_another_year_does_not_help() -> None:
    with pytest.raises(Invalid) as exc:
        add_working_days(dt.date(2027, 12, 28), 5, schedules={2027: NEW_YEAR_2027})
    assert exc.value.message.startswith("2028 年的法定节假日安排尚未收录")


def test_dates_are_read_one_per_line_or_separated() -> None:
    text = "2027-01-01\n2027/1/2、2027-01-03，2027/2/10, 2027-02-11  2027-2-12\n\n"
    assert parse_dates(text) == [
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 2),
        dt.date(2027, 1, 3),
        dt.date(2027, 2, 10),
        dt.date(2027, 2, 11),
        dt.date(2027, 2, 12),
    ]
    assert parse_dates("  ") == []


@pytest.mark.parametrize("garbled", ["2027-13-01", "1月1日", "2027.01.01", "2027-02-30"])
def test_garbled_dates_are_refused_by_name(garbled: str) -> None:
    with pytest.raises(Invalid) as exc:
        parse_dates(f"2027-01-01 {garbled}")
    assert exc.value.message == (
        f"「{garbled}」不是日期：请写成 2027-01-01 或 2027/1/1，每行一个或用顿号、逗号、空格隔开。"
    )
