"""Dashboard figures as grouped SQL over the caller's visible tasks (no rows fetched to count)."""

from typing import Any

from sqlalchemy import ColumnElement, case, extract, func, select
from sqlalchemy.orm import Session

from luoshi.org.models import Unit
from luoshi.tasks.deadline_state import DeadlineClock
from luoshi.tasks.models import CLOSED_STATUSES, DeadlineState, Task, TaskStatus


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def by_status(session: Session, visible: ColumnElement[bool]) -> list[tuple[str, int]]:
    rows = session.execute(select(Task.status, func.count()).where(visible).group_by(Task.status))
    return [(status, count) for status, count in rows]


def by_deadline_state(session: Session, visible: ColumnElement[bool], clock: DeadlineClock) -> dict[str, int]:
    states = list(DeadlineState)
    row = session.execute(select(*[_count_if(clock.clause(s)) for s in states]).where(visible)).one()
    return {s.value: int(n) for s, n in zip(states, row, strict=True)}


def units(session: Session, visible: ColumnElement[bool], clock: DeadlineClock, limit: int,
          late_only: bool = False) -> list[Any]:
    """Lead units by load, worst first; ``late_only`` keeps those with an overdue or due-soon task."""
    # Issued and not closed: a draft is nobody's load yet.
    open_ = Task.status.notin_((*CLOSED_STATUSES, TaskStatus.draft))
    overdue = _count_if(clock.clause(DeadlineState.overdue))
    due_soon = _count_if(clock.clause(DeadlineState.due_soon))
    query = (
        select(Task.lead_unit_id, Unit.short_name, func.count().label("open"),
               due_soon.label("due_soon"), overdue.label("overdue"))
        .join(Unit, Unit.id == Task.lead_unit_id)
        .where(visible, open_)
        .group_by(Task.lead_unit_id, Unit.short_name)
        .order_by(overdue.desc(), due_soon.desc(), func.count().desc(), Task.lead_unit_id)
        .limit(limit)
    )
    if late_only:
        query = query.having(overdue + due_soon > 0)
    return list(session.execute(query))


def months(session: Session, visible: ColumnElement[bool], limit: int) -> list[Any]:
    year, month = extract("year", Task.deadline_date), extract("month", Task.deadline_date)
    completed = _count_if(Task.status == TaskStatus.completed)
    open_ = _count_if(Task.status.notin_(tuple(CLOSED_STATUSES)))
    return list(session.execute(
        select(year.label("y"), month.label("m"), completed.label("completed"), open_.label("open"))
        .where(visible, Task.deadline_date.isnot(None), Task.status != TaskStatus.cancelled)
        .group_by(year, month).order_by(year, month).limit(limit)
    ))


def key_works(session: Session, visible: ColumnElement[bool], limit: int) -> list[Any]:
    return list(session.execute(
        select(Task.id, Task.title, Unit.short_name.label("lead_unit_name"), Task.status,
               Task.deadline_date, Task.progress, Task.completed_on_time)
        .outerjoin(Unit, Unit.id == Task.lead_unit_id)
        .where(visible, Task.parent_id.is_(None), Task.status != TaskStatus.cancelled)
        .order_by(Task.deadline_date.is_(None), Task.deadline_date, Task.id)
        .limit(limit)
    ))
