"""The report cadence: which obligations a task's feedback cycle gives each unit, and when.

Pure functions of the task's data, so reconciling a task (after issue, an extension, a
reassignment) is "plan again and insert what is missing"; the unique key
(task, unit, kind, period) makes that idempotent.
"""

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, timedelta

from luoshi.deadlines.calendar import (
    CalendarNotCovered,
    DayCount,
    add_working_days,
    is_workday,
    next_workday,
)
from luoshi.deadlines.models import ObligationKind
from luoshi.settings import get_settings
from luoshi.tasks.models import Capacity, FeedbackCycle

# Without a deadline a periodic cycle is planned this far ahead; the reconcile extends it.
OPEN_ENDED_DAYS = 366


@dataclass(frozen=True)
class Planned:
    unit_id: int
    assignment_id: int | None
    kind: str
    period_key: str
    title: str
    due_date: date
    internal: bool = False

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.unit_id, self.kind, self.period_key)


def _roll_to_workday(day: date, count: DayCount) -> date:
    """A report date on a holiday moves to the next working day (期限顺延)."""
    if count != DayCount.working:
        return day
    try:
        return next_workday(day)
    except CalendarNotCovered:
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day


def _earlier(day: date, working_days: int, count: DayCount) -> date:
    try:
        return add_working_days(day, -working_days)
    except CalendarNotCovered:
        return day - timedelta(days=working_days + 2 * (working_days // 5))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def report_periods(cycle: str, issued: date, end: date, explicit: list[str]) -> list[tuple[str, date]]:
    """(period key, nominal due date) strictly after the issue date and before ``end``."""
    settings = get_settings()
    out: list[tuple[str, date]] = []
    if cycle == FeedbackCycle.weekly:
        day = issued + timedelta(days=(settings.weekly_report_weekday - issued.weekday()) % 7 or 7)
        while day < end:
            iso = day.isocalendar()
            out.append((f"{iso.year}-W{iso.week:02d}", day))
            day += timedelta(days=7)
    elif cycle in (FeedbackCycle.monthly, FeedbackCycle.quarterly, FeedbackCycle.yearly):
        months = {FeedbackCycle.monthly: 1, FeedbackCycle.quarterly: 3, FeedbackCycle.yearly: 12}[
            FeedbackCycle(cycle)]
        day = date(issued.year, issued.month, settings.monthly_report_day)
        # Align to the end of the quarter / year the period belongs to.
        while (day.month % months) != 0 if months > 1 else False:
            day = _add_months(day, 1)
        while day <= issued:
            day = _add_months(day, months)
        while day < end:
            if months == 1:
                key = f"{day.year}-{day.month:02d}"
            elif months == 3:
                key = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
            else:
                key = f"{day.year}"
            out.append((key, day))
            day = _add_months(day, months)
    elif cycle == FeedbackCycle.dates:
        for text in explicit:
            day = date.fromisoformat(text)
            if issued < day <= end:
                out.append((day.isoformat(), day))
    return out


def plan(*, task_id: int, title: str, cycle: str | None, explicit: list[str], issued: date,
         deadline: date | None, assignments: list[tuple],  # type: ignore[type-arg]
         count: DayCount = DayCount.working) -> list[Planned]:
    """Obligations for every assignment: (assignment id, unit id, capacity, own due date[, the
    day it was assigned — a unit given the task later (reassignment) signs from that day])."""
    settings = get_settings()
    lead_gap = settings.cooperating_lead_working_days
    horizon = deadline or issued + timedelta(days=OPEN_ENDED_DAYS)
    periods = report_periods(cycle or FeedbackCycle.once, issued, horizon, explicit)
    if cycle in (None, "", FeedbackCycle.once) and deadline is None:
        # 未明确时限要求的，要在决策部署出台1个月内报告 (seed 001)
        periods = [("first", _add_months(issued, settings.default_report_months))]
    out: list[Planned] = []
    for assignment_id, unit_id, capacity, own_due, *rest in assignments:
        start = max(rest[0], issued) if rest and rest[0] else issued
        try:
            sign_due = add_working_days(start, settings.sign_for_working_days)
        except CalendarNotCovered:
            sign_due = _roll_to_workday(start + timedelta(days=1), DayCount.calendar)
        cooperating = capacity == Capacity.cooperating
        out.append(Planned(unit_id, assignment_id, ObligationKind.sign, "sign",
                           f"签收：{title}", sign_due))
        for key, nominal in periods:
            due = _roll_to_workday(nominal, count)
            if cooperating:
                due = max(_earlier(due, lead_gap, count), issued)
            out.append(Planned(unit_id, assignment_id, ObligationKind.report, key,
                               f"回告（{key}）：{title}", due, internal=cooperating))
        if deadline is not None:
            due = deadline
            if cooperating:
                due = own_due or max(_earlier(deadline, lead_gap, count), issued)
            out.append(Planned(unit_id, assignment_id, ObligationKind.complete, "final",
                               f"{'报送承担部分' if cooperating else '办结'}：{title}", due,
                               internal=cooperating))
    return out


__all__ = ["Planned", "is_workday", "plan", "report_periods"]
