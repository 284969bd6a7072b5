from datetime import date, timedelta
from typing import Annotated

import chinese_calendar
from fastapi import Query, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.db import SessionDep
from luoshi.deadlines import (
    hooks,  # noqa: F401 - registers the task-transition reactions
    service,
)
from luoshi.deadlines.calendar import CalendarNotCovered, _check, is_workday
from luoshi.deadlines.models import Obligation
from luoshi.deadlines.schemas import CalendarDay, ObligationPage, ObligationRead, Slip, SlipColor
from luoshi.deadlines.slips import render_html, slips
from luoshi.deadlines.states import ScanClock, local_today
from luoshi.errors import Unprocessable
from luoshi.org.models import Unit
from luoshi.pagination import decode_cursor, encode_cursor
from luoshi.permissions import Permission
from luoshi.routing import Router
from luoshi.security import CredentialsDep, CurrentUser, in_one_trip, require
from luoshi.tasks.models import DeadlineState, Task
from luoshi.tasks.scope import load_visible_task, task_scope

router = Router(prefix="/api/v1", tags=["deadlines"])


def _present(rows: list[Obligation], names: dict[int, str]) -> list[dict]:
    clock = ScanClock.for_day()
    return [{
        "id": o.id, "task_id": o.task_id, "unit_id": o.unit_id, "unit_name": names.get(o.unit_id, ""),
        "kind": o.kind, "period_key": o.period_key, "title": o.title, "internal": o.internal,
        "day_count": o.day_count, "due_date": o.due_date, "deadline_state": service.current_state(o, clock),
        "ladder_step": o.ladder_step, "paused": o.paused_at is not None, "fulfilled_at": o.fulfilled_at,
        "fulfilled_ref": o.fulfilled_ref, "closed": o.closed_at is not None,
    } for o in rows]


def _unit_names(session: Session, rows: list[Obligation]) -> dict[int, str]:
    ids = {o.unit_id for o in rows}
    return dict(session.execute(select(Unit.id, Unit.short_name).where(Unit.id.in_(ids))).all()) if ids else {}


@router.get("/tasks/{task_id}/obligations", operation_id="tasks-obligations",
            response_model=list[ObligationRead])
async def task_obligations(task_id: int, session: SessionDep, credentials: CredentialsDep) -> Response:
    """Every unit's report obligations (回告节点) on the task, with their deadline states."""
    return await in_one_trip(session, credentials, _task_obligations, task_id)


def _task_obligations(session: Session, current: CurrentUser, task_id: int) -> list[dict]:
    rows = service.task_obligations(session, load_visible_task(session, current, task_id).id)
    return _present(rows, _unit_names(session, rows))


@router.get("/obligations", operation_id="obligations-list", response_model=ObligationPage)
def list_obligations(
    session: SessionDep,
    current: CurrentUser = require(Permission.tasks_read),
    open_only: Annotated[bool, Query(alias="open", description="Only obligations not yet met")] = True,
    deadline_state: Annotated[DeadlineState | None, Query(description="Only in this state today")] = None,
    unit_id: Annotated[int | None, Query(description="Only this unit's")] = None,
    due_before: Annotated[date | None, Query(description="Due on or before")] = None,
    cursor: Annotated[str | None, Query(description="From `next_cursor` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """Obligations on the tasks the caller may see; a unit's staff see their own unit's."""
    scope = task_scope(session, current)
    query = select(Obligation).join(Task, Task.id == Obligation.task_id).where(scope.clause())
    if scope.handles and scope.jurisdiction_root_path is None and not scope.leader:
        query = query.where(Obligation.unit_id == scope.unit_id)
    if open_only:
        query = query.where(Obligation.closed_at.is_(None))
    if unit_id is not None:
        query = query.where(Obligation.unit_id == unit_id)
    if due_before is not None:
        query = query.where(Obligation.due_date <= due_before)
    if deadline_state is not None:
        clock = ScanClock.for_day()
        if deadline_state in (DeadlineState.on_time, DeadlineState.late):
            query = query.where(Obligation.fulfilled_at.isnot(None), Obligation.state == deadline_state.value)
        else:
            query = query.where(Obligation.closed_at.is_(None), Obligation.paused_at.is_(None),
                                clock.state_sql(Obligation.due_date) == deadline_state.value)
    after = decode_cursor(cursor, 2)
    if after:
        last_due, last_id = date.fromisoformat(after[0]), int(after[1])
        query = query.where((Obligation.due_date > last_due)
                            | ((Obligation.due_date == last_due) & (Obligation.id > last_id)))
    rows = list(session.execute(query.order_by(Obligation.due_date, Obligation.id).limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor([rows[-1].due_date.isoformat(), rows[-1].id]) if more else None
    return {"items": _present(rows, _unit_names(session, rows)), "next_cursor": next_cursor}


@router.get("/slips", operation_id="slips-list", response_model=list[Slip])
def list_slips(
    session: SessionDep,
    current: CurrentUser = require(Permission.tasks_read),
    color: Annotated[SlipColor | None, Query(description="blue 临期, yellow 滞后, red 逾期")] = None,
):
    """三色督查单 for the open tasks in the caller's scope, red first."""
    return slips(session, task_scope(session, current), color)


@router.get("/slips/print", operation_id="slips-print", response_class=HTMLResponse)
def print_slips(
    session: SessionDep,
    current: CurrentUser = require(Permission.tasks_read),
    color: Annotated[SlipColor | None, Query(description="blue 临期, yellow 滞后, red 逾期")] = None,
):
    """The same slips as a printable page, one per sheet."""
    items = slips(session, task_scope(session, current), color)
    return HTMLResponse(render_html(items, current.user.unit.name, local_today()))


@router.get("/calendar", operation_id="calendar-days", response_model=list[CalendarDay])
def calendar_days(
    start: Annotated[date, Query(description="First day")],
    end: Annotated[date, Query(description="Last day (at most 366 days after start)")],
    _: CurrentUser = require(Permission.tasks_read),
):
    """Working days and holidays (调休 included) between two dates."""
    if end < start or (end - start).days > 366:
        raise Unprocessable(errors=[{"field": "end", "message": {  # type: ignore[dict-item]
            "zh": "结束日期须在开始日期之后一年内", "en": "end must be within a year after start"}}])
    _check(start)
    _check(end)
    out = []
    day = start
    while day <= end:
        try:
            name = chinese_calendar.get_holiday_detail(day)[1]
        except NotImplementedError:  # a year added through settings
            name = None
        out.append({"date": day, "is_workday": is_workday(day), "holiday": name})
        day += timedelta(days=1)
    return out


__all__ = ["CalendarNotCovered", "router"]
