"""The task domain's part of the to-do: sign for, work on / report a part, approve completion."""

from typing import Any

from sqlalchemy import ColumnElement, Row, Select, func, literal, select
from sqlalchemy.orm import Session

from luoshi.security import CurrentUser
from luoshi.tasks.deadline_state import RUNNING, DeadlineClock
from luoshi.tasks.models import Assignment, AssignmentState, Capacity, DeadlineState, Task, TaskStatus
from luoshi.tasks.scope import task_scope
from luoshi.todo.registry import TodoPart, register
from luoshi.todo.schemas import TodoKind

URGENCY = (Task.deadline_date.is_(None), Task.deadline_date, Task.id)


def _assignment_query(unit_id: int, state: str, statuses: tuple[str, ...],
                      capacity: str | None = None) -> Select[Any]:
    query = (
        select(literal("assignment").label("ref_type"), Assignment.id.label("ref_id"),
               Task.id.label("task_id"), Task.title, Task.status, Assignment.unit_id,
               func.coalesce(Assignment.due_date, Task.deadline_date).label("due_date"),
               Assignment.assigned_at.label("since"))
        .join(Task, Task.id == Assignment.task_id)
        .where(Assignment.unit_id == unit_id, Assignment.state == state, Task.status.in_(statuses))
    )
    return query if capacity is None else query.where(Assignment.capacity == capacity)


def _task_query(*where: ColumnElement[bool], since: Any) -> Select[Any]:
    return (
        select(literal("task").label("ref_type"), Task.id.label("ref_id"), Task.id.label("task_id"),
               Task.title, Task.status, Task.lead_unit_id.label("unit_id"),
               Task.deadline_date.label("due_date"), since.label("since"))
        .where(*where)
    )


@register
def task_todo(session: Session, current: CurrentUser) -> list[TodoPart]:
    scope = task_scope(session, current)
    clock = DeadlineClock.now()

    def state(row: Row[Any]) -> DeadlineState | None:
        return clock.state(row.status, row.due_date, None)

    def part(kind: TodoKind, query: Select[Any]) -> TodoPart:
        return TodoPart(kind, query, URGENCY, state)

    parts: list[TodoPart] = []
    if scope.handles:
        parts.append(part(TodoKind.sign, _assignment_query(scope.unit_id, AssignmentState.assigned, RUNNING)))
        # The lead unit works the task until it submits; a cooperating unit owes its part.
        parts.append(part(TodoKind.report, _task_query(
            Task.lead_unit_id == scope.unit_id, Task.status == TaskStatus.in_progress, since=Task.signed_at)))
        parts.append(part(TodoKind.report, _assignment_query(
            scope.unit_id, AssignmentState.signed, (TaskStatus.assigned, TaskStatus.in_progress),
            Capacity.cooperating)))
    if (decided := scope.decided_here()) is not None:
        parts.append(part(TodoKind.approve, _task_query(
            Task.status == TaskStatus.pending_review, decided, since=Task.submitted_at)))
    return parts
