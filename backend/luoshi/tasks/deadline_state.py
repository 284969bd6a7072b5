"""A task's deadline state (normal / due_soon 黄牌 / overdue 红牌 / on_time / late), from data.

The same rule is written twice, once in Python for rows already loaded and once as SQL for the
list filter, both against one ``DeadlineClock`` so they cannot disagree within a request.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, false, or_

from luoshi.deadlines.calendar import local_date, local_today, warning_limit
from luoshi.memo import Built
from luoshi.settings import get_settings
from luoshi.tasks.models import DeadlineState, Task, TaskStatus

# A deadline runs while the unit owes work; a draft has not started and a suspension pauses it.
RUNNING = (TaskStatus.assigned, TaskStatus.in_progress, TaskStatus.pending_review)


@dataclass(frozen=True)
class DeadlineClock:
    today: date
    warn_until: date

    @classmethod
    def now(cls) -> "DeadlineClock":
        """Today's clock. The warning window's end is counted through the holiday calendar once a
        day (about 80 µs, on every read that shows a deadline state), not on every request."""
        day = local_today()
        window = get_settings().warning_window_working_days
        return _CLOCKS.get((day, window), lambda: cls(day, warning_limit(day, window)))

    def state(self, status: str, deadline: date | None, on_time: bool | None) -> DeadlineState | None:
        if status == TaskStatus.completed:
            return DeadlineState.on_time if on_time is not False else DeadlineState.late
        if status == TaskStatus.cancelled:
            return None
        if status not in RUNNING or deadline is None:
            return DeadlineState.normal
        if deadline < self.today:
            return DeadlineState.overdue
        if deadline <= self.warn_until:
            return DeadlineState.due_soon
        return DeadlineState.normal

    def of(self, task: Task) -> DeadlineState | None:
        return self.state(task.status, task.deadline_date, task.completed_on_time)

    def clause(self, state: DeadlineState) -> ColumnElement[bool]:
        """The SQL form of ``state``, for filtering lists."""
        running = Task.status.in_(RUNNING)
        overdue = and_(running, Task.deadline_date < self.today)
        due_soon = and_(running, Task.deadline_date >= self.today,
                        Task.deadline_date <= self.warn_until)
        match state:
            case DeadlineState.overdue:
                return overdue
            case DeadlineState.due_soon:
                return due_soon
            case DeadlineState.normal:
                open_ = Task.status.notin_((TaskStatus.completed, TaskStatus.cancelled))
                return and_(open_, or_(Task.status.notin_(RUNNING), Task.deadline_date.is_(None),
                                       Task.deadline_date > self.warn_until))
            case DeadlineState.on_time:
                return and_(Task.status == TaskStatus.completed, Task.completed_on_time.isnot(False))
            case DeadlineState.late:
                return and_(Task.status == TaskStatus.completed, Task.completed_on_time.is_(False))
        return false()


# Worst first: the colour a leader sees on a collapsed branch.
SEVERITY = {
    DeadlineState.overdue: 4, DeadlineState.late: 3, DeadlineState.due_soon: 2,
    DeadlineState.normal: 1, DeadlineState.on_time: 0,
}


def on_time(submitted_at: datetime | None, deadline: date | None) -> bool:
    """Judged on the day the lead unit asked for completion, not the day the office approved."""
    if deadline is None or submitted_at is None:
        return True
    return local_date(submitted_at) <= deadline


_CLOCKS: Built[DeadlineClock] = Built(maxsize=16)
