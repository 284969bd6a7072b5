"""Supervision's part of the to-do (待答复): formal notices and instructions a unit must answer,
coordination requests waiting on the office or on the leader they were passed to."""

from typing import Any

from sqlalchemy import Date, Row, String, cast, literal, null, select
from sqlalchemy.orm import Session

from luoshi.deadlines.states import ScanClock
from luoshi.permissions import Permission
from luoshi.security import CurrentUser
from luoshi.supervision.models import CoordinationRequest, CoordinationStatus, Instruction, SupervisionAction
from luoshi.tasks.models import DeadlineState, Task
from luoshi.tasks.scope import task_scope
from luoshi.todo.registry import TodoPart, register
from luoshi.todo.schemas import TodoKind

# An answer's state follows its own due date, not the task's status.
NO_STATUS = cast(null(), String)


@register
def supervision_todo(session: Session, current: CurrentUser) -> list[TodoPart]:
    clock = ScanClock.for_day()

    def state(row: Row[Any]) -> DeadlineState | None:
        return clock.state(row.due_date) if row.due_date else None

    parts: list[TodoPart] = []
    if current.can(Permission.tasks_handle):
        parts.append(TodoPart(TodoKind.respond, (
            select(literal("supervision_action").label("ref_type"), SupervisionAction.id.label("ref_id"),
                   Task.id.label("task_id"), Task.title, NO_STATUS.label("status"),
                   SupervisionAction.unit_id, SupervisionAction.response_due_date.label("due_date"),
                   SupervisionAction.created_at.label("since"))
            .join(Task, Task.id == SupervisionAction.task_id)
            .where(SupervisionAction.unit_id == current.unit_id, SupervisionAction.responded_at.is_(None),
                   SupervisionAction.response_due_date.isnot(None))
        ), (SupervisionAction.response_due_date,), state))
        parts.append(TodoPart(TodoKind.respond, (
            select(literal("instruction").label("ref_type"), Instruction.id.label("ref_id"),
                   Task.id.label("task_id"), Task.title, NO_STATUS.label("status"),
                   Instruction.unit_id, Instruction.answer_due_date.label("due_date"),
                   Instruction.created_at.label("since"))
            .join(Task, Task.id == Instruction.task_id)
            .where(Instruction.unit_id == current.unit_id, Instruction.answered_at.is_(None))
        ), (Instruction.answer_due_date,), state))
    waiting = None
    scope = task_scope(session, current)
    if current.can(Permission.supervision_act) and scope.manages:
        # The office whose jurisdiction issued the task answers (``coordination._opinion_refusal``);
        # a district office that sees a city task its district leads does not.
        waiting = (CoordinationRequest.status == CoordinationStatus.submitted) & scope.as_office()
    if current.can(Permission.instructions_issue):
        mine = ((CoordinationRequest.status == CoordinationStatus.referred)
                & (CoordinationRequest.leader_id == current.id))
        waiting = mine if waiting is None else waiting | mine
    if waiting is not None:
        parts.append(TodoPart(TodoKind.respond, (
            select(literal("coordination").label("ref_type"), CoordinationRequest.id.label("ref_id"),
                   Task.id.label("task_id"), Task.title, NO_STATUS.label("status"),
                   CoordinationRequest.unit_id, cast(null(), Date).label("due_date"),
                   CoordinationRequest.created_at.label("since"))
            .join(Task, Task.id == CoordinationRequest.task_id).where(waiting)
        ), (CoordinationRequest.id,), state))
    return parts
