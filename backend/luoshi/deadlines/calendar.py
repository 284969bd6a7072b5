"""Working-day arithmetic over the official PRC holiday and adjusted-workday (调休) calendar.

chinese-calendar carries the State Council's schedule year by year; a date outside the years
it (or the ``calendar_extra_*`` settings) covers raises ``CalendarNotCovered`` rather than
silently guessing, because a wrong deadline is worse than a clear refusal.
"""

from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar import constants

from luoshi.clock import utcnow
from luoshi.deadlines import messages  # noqa: F401
from luoshi.errors import Unprocessable
from luoshi.settings import get_settings


class DayCount(StrEnum):
    working = "working"  # 工作日
    calendar = "calendar"  # 自然日


class CalendarNotCovered(Unprocessable):
    code = "calendar.not_covered"


@lru_cache
def _library_years() -> tuple[int, int]:
    years = {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    return min(years), max(years)


def covered_years() -> tuple[int, int]:
    first, last = _library_years()
    extra = get_settings().calendar_extra_years
    while last + 1 in extra:
        last += 1
    return first, last


def _check(day: date) -> None:
    first, last = covered_years()
    if not first <= day.year <= last:
        raise CalendarNotCovered(
            params={"date": day.isoformat(), "first": first, "last": last},
            errors=[{"field": "deadline", "message": {  # type: ignore[dict-item]
                "zh": f"{day.isoformat()} 超出节假日日历范围", "en": f"{day} is not covered"}}],
        )


def is_workday(day: date) -> bool:
    _check(day)
    settings = get_settings()
    if day in settings.calendar_extra_workdays:
        return True
    if day in settings.calendar_extra_holidays:
        return False
    if day.year in settings.calendar_extra_years and day.year > _library_years()[1]:
        return day.weekday() < 5
    return bool(chinese_calendar.is_workday(day))


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after ``day`` (before it when n < 0); n = 0 is ``day`` itself."""
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = day
    while remaining:
        current += timedelta(days=step)
        if is_workday(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_workday(current):
            count += 1
    return count


def next_workday(day: date) -> date:
    """``day`` if it is a working day, otherwise the first one after it (期限顺延)."""
    current = day
    while not is_workday(current):
        current += timedelta(days=1)
    return current


def add_days(day: date, n: int, count: DayCount) -> date:
    if count == DayCount.working:
        return add_working_days(day, n)
    return day + timedelta(days=n)


def days_between(start: date, end: date, count: DayCount) -> int:
    if count == DayCount.working:
        return working_days_between(start, end)
    return (end - start).days


def shift_for_pause(deadline: date, paused: date, resumed: date, count: DayCount) -> date:
    """A deadline moved by the span a task was suspended (暂缓), counted the task's way."""
    span = days_between(paused, resumed, count)
    return add_days(deadline, span, count) if span > 0 else deadline


def local_date(at: datetime) -> date:
    """The calendar day of an instant in the office's time zone (Asia/Shanghai by default)."""
    return at.astimezone(ZoneInfo(get_settings().timezone)).date()


def local_today() -> date:
    return local_date(utcnow())


def _working_days_or_weekdays(day: date, n: int) -> date:
    """``add_working_days``, falling back to Monday–Friday outside the covered years, so a
    warning or a scan never stops on a far deadline (the deadline itself was checked when set)."""
    try:
        return add_working_days(day, n)
    except CalendarNotCovered:
        step = 1 if n >= 0 else -1
        current, remaining = day, abs(n)
        while remaining:
            current += timedelta(days=step)
            if current.weekday() < 5:
                remaining -= 1
        return current


def _window(window_working_days: int | None) -> int:
    return get_settings().warning_window_working_days if window_working_days is None else window_working_days


def warning_date(due: date, window_working_days: int | None = None) -> date:
    """The first day of the warning window (黄牌) for a due date."""
    return _working_days_or_weekdays(due, -_window(window_working_days))


def warning_limit(today: date, window_working_days: int | None = None) -> date:
    """The last due date already inside the warning window on ``today``."""
    return _working_days_or_weekdays(today, _window(window_working_days))
