"""Supervision's part of the to-do (待答复): formal notices and instructions a unit must answer,
coordination requests waiting on the office or on the leader they were passed to."""

from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import Session

from luoshi.deadlines.states import ScanClock
from luoshi.org.models import Unit
from luoshi.permissions import Permission
from luoshi.security import CurrentUser
from luoshi.supervision.models import CoordinationRequest, CoordinationStatus, Instruction, SupervisionAction
from luoshi.tasks.models import Task
from luoshi.tasks.scope import task_scope
from luoshi.todo.registry import register
from luoshi.todo.schemas import TodoGroup, TodoItem, TodoKind


def _fetch(session: Session, query: Select[Any], order: Any, limit: int) -> tuple[int, list[Any]]:
    rows = session.execute(query.add_columns(func.count().over().label("total"))
                           .order_by(order).limit(max(limit, 1))).all()
    return (rows[0].total if rows else 0), (rows if limit else [])


@register
def supervision_todo(session: Session, current: CurrentUser, limit: int) -> list[TodoGroup]:
    clock = ScanClock.for_day()
    count, items = 0, []
    queries: list[tuple[Select[Any], Any]] = []
    if current.can(Permission.tasks_handle):
        queries.append((
            select(literal("supervision_action").label("ref_type"), SupervisionAction.id.label("ref_id"),
                   Task.id.label("task_id"), Task.title, Unit.short_name.label("unit_name"),
                   SupervisionAction.response_due_date.label("due_date"),
                   SupervisionAction.created_at.label("since"))
            .join(Task, Task.id == SupervisionAction.task_id).join(Unit, Unit.id == SupervisionAction.unit_id)
            .where(SupervisionAction.unit_id == current.unit_id, SupervisionAction.responded_at.is_(None),
                   SupervisionAction.response_due_date.isnot(None)),
            SupervisionAction.response_due_date))
        queries.append((
            select(literal("instruction").label("ref_type"), Instruction.id.label("ref_id"),
                   Task.id.label("task_id"), Task.title, Unit.short_name.label("unit_name"),
                   Instruction.answer_due_date.label("due_date"), Instruction.created_at.label("since"))
            .join(Task, Task.id == Instruction.task_id).join(Unit, Unit.id == Instruction.unit_id)
            .where(Instruction.unit_id == current.unit_id, Instruction.answered_at.is_(None)),
            Instruction.answer_due_date))
    waiting = None
    if current.can(Permission.supervision_act):
        waiting = CoordinationRequest.status == CoordinationStatus.submitted
        waiting = waiting & task_scope(session, current).clause()
    if current.can(Permission.instructions_issue):
        mine = ((CoordinationRequest.status == CoordinationStatus.referred)
                & (CoordinationRequest.leader_id == current.id))
        waiting = mine if waiting is None else waiting | mine
    if waiting is not None:
        queries.append((
            select(literal("coordination").label("ref_type"), CoordinationRequest.id.label("ref_id"),
                   Task.id.label("task_id"), Task.title, Unit.short_name.label("unit_name"),
                   literal(None).label("due_date"), CoordinationRequest.created_at.label("since"))
            .join(Task, Task.id == CoordinationRequest.task_id).join(Unit, Unit.id == CoordinationRequest.unit_id)
            .where(waiting),
            CoordinationRequest.id))
    for query, order in queries:
        total, rows = _fetch(session, query, order, limit)
        count += total
        items += [TodoItem(kind=TodoKind.respond, ref_type=r.ref_type, ref_id=r.ref_id, task_id=r.task_id,
                           title=r.title, unit_name=r.unit_name, due_date=r.due_date,
                           deadline_state=clock.state(r.due_date) if r.due_date else None, since=r.since)
                  for r in rows]
    return [TodoGroup(kind=TodoKind.respond, count=count, items=items[:limit])] if queries else []
