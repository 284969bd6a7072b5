"""Working-day arithmetic across the real 2026 calendar (Spring Festival, National Day, 调休)."""

from datetime import date

import pytest

from luoshi.deadlines.calendar import (
    CalendarNotCovered,
    DayCount,
    add_working_days,
    is_workday,
    next_workday,
    shift_for_pause,
    warning_date,
    working_days_between,
)


def test_adjusted_workdays_and_holidays_2026() -> None:
    assert is_workday(date(2026, 2, 14))  # Saturday worked before Spring Festival
    assert is_workday(date(2026, 2, 28))  # Saturday worked after it
    assert is_workday(date(2026, 9, 20))  # Sunday worked before National Day
    assert is_workday(date(2026, 10, 10))  # Saturday worked after it
    assert not is_workday(date(2026, 2, 16))
    assert not is_workday(date(2026, 2, 23))  # Monday, still the holiday
    assert not is_workday(date(2026, 10, 7))
    assert not is_workday(date(2026, 10, 3))


def test_sign_for_within_one_working_day_over_spring_festival() -> None:
    # Issued Friday 13 Feb: the next working day is the adjusted Saturday.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    # Issued on that Saturday: the holiday runs to Monday 23rd, so Tuesday 24th.
    assert add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)


def test_working_days_across_national_day() -> None:
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert working_days_between(date(2026, 10, 10), date(2026, 9, 30)) == -3
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert next_workday(date(2026, 10, 1)) == date(2026, 10, 8)


def test_warning_window_counts_working_days() -> None:
    assert warning_date(date(2026, 10, 9)) == date(2026, 9, 29)
    assert warning_date(date(2026, 2, 25), 3) == date(2026, 2, 13)


def test_pause_shifts_by_working_days_or_calendar_days() -> None:
    # Suspended 12 Feb, resumed 25 Feb: working days 13, 14, 24, 25 = 4.
    assert shift_for_pause(date(2026, 3, 2), date(2026, 2, 12), date(2026, 2, 25),
                           DayCount.working) == date(2026, 3, 6)
    assert shift_for_pause(date(2026, 3, 2), date(2026, 2, 12), date(2026, 2, 25),
                           DayCount.calendar) == date(2026, 3, 15)


def test_dates_outside_the_calendar_are_refused_clearly() -> None:
    with pytest.raises(CalendarNotCovered) as err:
        add_working_days(date(2026, 12, 30), 5)
    assert err.value.params["date"].startswith("2027-")
    assert err.value.status == 422
    # The warning window alone falls back to Monday–Friday so a scan never stops.
    assert warning_date(date(2027, 1, 15)) == date(2027, 1, 12)
