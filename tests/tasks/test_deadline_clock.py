"""DeadlineClock.now(): the warning window's end is counted once a day, and follows the day
and the window's setting."""

from datetime import UTC, date, datetime

from luoshi.settings import get_settings
from luoshi.tasks.deadline_state import DeadlineClock


def test_the_clock_follows_the_day_and_the_warning_window(clock) -> None:
    clock.set(datetime(2026, 9, 30, 2, 0, tzinfo=UTC))  # Wednesday 30 Sep, 10:00 in Beijing
    first = DeadlineClock.now()
    # Three working days on: the National Day holiday (1-7 Oct) is skipped, and Saturday 10 Oct
    # is a make-up working day (调休).
    assert (first.today, first.warn_until) == (date(2026, 9, 30), date(2026, 10, 10))
    assert DeadlineClock.now() is first  # counted once for the day

    clock.set(datetime(2026, 10, 12, 2, 0, tzinfo=UTC))  # Monday 12 Oct
    later = DeadlineClock.now()
    assert (later.today, later.warn_until) == (date(2026, 10, 12), date(2026, 10, 15))

    settings = get_settings()
    before = settings.warning_window_working_days
    settings.warning_window_working_days = 5
    try:
        assert DeadlineClock.now().warn_until == date(2026, 10, 19)
    finally:
        settings.warning_window_working_days = before
    assert DeadlineClock.now().warn_until == date(2026, 10, 15)
