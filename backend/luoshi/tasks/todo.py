"""The task domain's part of the to-do: sign for, work on / report a part, approve completion."""

from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, or_, select
from sqlalchemy.orm import Session

from luoshi.org.models import Unit
from luoshi.security import CurrentUser
from luoshi.tasks.deadline_state import RUNNING, DeadlineClock
from luoshi.tasks.models import Assignment, AssignmentState, Capacity, Task, TaskStatus
from luoshi.tasks.scope import task_scope
from luoshi.todo.registry import register
from luoshi.todo.schemas import TodoGroup, TodoItem, TodoKind


def _rows(session: Session, query: Select[Any], limit: int) -> tuple[int, list[Any]]:
    """At most ``limit`` rows, most urgent first, and the full count in the same query."""
    rows = session.execute(
        query.add_columns(func.count().over().label("total"))
        .order_by(Task.deadline_date.is_(None), Task.deadline_date, Task.id).limit(max(limit, 1))
    ).all()
    return (rows[0].total if rows else 0), (rows if limit else [])


def _group(kind: TodoKind, count: int, rows: list[Any], clock: DeadlineClock) -> TodoGroup:
    return TodoGroup(kind=kind, count=count, items=[
        TodoItem(kind=kind, ref_type=r.ref_type, ref_id=r.ref_id, task_id=r.task_id, title=r.title,
                 unit_name=r.unit_name, due_date=r.due_date,
                 deadline_state=clock.state(r.status, r.due_date, None), since=r.since)
        for r in rows
    ])


def _assignment_query(unit_id: int, state: str, statuses: tuple[str, ...],
                      capacity: str | None = None) -> Select[Any]:
    query = (
        select(literal("assignment").label("ref_type"), Assignment.id.label("ref_id"),
               Task.id.label("task_id"), Task.title, Task.status, Unit.short_name.label("unit_name"),
               func.coalesce(Assignment.due_date, Task.deadline_date).label("due_date"),
               Assignment.assigned_at.label("since"))
        .join(Task, Task.id == Assignment.task_id).join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.unit_id == unit_id, Assignment.state == state, Task.status.in_(statuses))
    )
    return query if capacity is None else query.where(Assignment.capacity == capacity)


def _task_query(*where: ColumnElement[bool], since: Any) -> Select[Any]:
    return (
        select(literal("task").label("ref_type"), Task.id.label("ref_id"), Task.id.label("task_id"),
               Task.title, Task.status, Unit.short_name.label("unit_name"),
               Task.deadline_date.label("due_date"), since.label("since"))
        .outerjoin(Unit, Unit.id == Task.lead_unit_id).where(*where)
    )


@register
def task_todo(session: Session, current: CurrentUser, limit: int) -> list[TodoGroup]:
    scope = task_scope(session, current)
    clock = DeadlineClock.now()
    groups: list[TodoGroup] = []
    if scope.handles:
        count, rows = _rows(session, _assignment_query(scope.unit_id, AssignmentState.assigned, RUNNING), limit)
        groups.append(_group(TodoKind.sign, count, rows, clock))
        # The lead unit works the task until it submits; a cooperating unit owes its part.
        lead_count, lead_rows = _rows(session, _task_query(
            Task.lead_unit_id == scope.unit_id, Task.status == TaskStatus.in_progress,
            since=Task.signed_at), limit)
        coop_count, coop_rows = _rows(session, _assignment_query(
            scope.unit_id, AssignmentState.signed, (TaskStatus.assigned, TaskStatus.in_progress),
            Capacity.cooperating), limit)
        groups.append(_group(TodoKind.report, lead_count + coop_count, lead_rows + coop_rows, clock))
    issuers: list[ColumnElement[bool]] = []
    office = scope.office_issued() if scope.manages else None
    if office is not None:
        issuers.append(office)
    if scope.decomposes:
        issuers.append(Task.issuer_unit_id == scope.unit_id)
    if issuers:
        count, rows = _rows(session, _task_query(
            Task.status == TaskStatus.pending_review, or_(*issuers), since=Task.submitted_at), limit)
        groups.append(_group(TodoKind.approve, count, rows, clock))
    return groups
