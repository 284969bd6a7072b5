"""Leader instructions (批示): on a task or a report, they oblige the lead unit to act and
answer by a date."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.deadlines.models import ObligationKind
from luoshi.deadlines.service import add_obligation, fulfil_obligation
from luoshi.errors import AppError, Conflict
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.service import send
from luoshi.permissions import Permission, Role
from luoshi.security import CurrentUser, denied
from luoshi.supervision.common import (
    answer_due,
    asked,
    not_found,
    require_open,
    require_under_way,
    unit_people,
    visible,
)
from luoshi.supervision.models import Instruction
from luoshi.supervision.schemas import InstructionRead
from luoshi.tasks.events import record_event
from luoshi.tasks.models import Task
from luoshi.tasks.scope import task_scope
from luoshi.tasks.transitions import Party, Refusal, Request


def _answer_refusal(row: Instruction, parties: frozenset[Party], current: CurrentUser) -> AppError | None:
    """Why the caller may not answer the instruction now (403, 409), or None: the lead unit
    answers once."""
    if Party.lead not in parties:
        return denied(current, Permission.tasks_handle.value, "instruction")
    if row.answered_at is not None:
        return Conflict("supervision.already_answered")
    return None


def present(row: Instruction, parties: frozenset[Party], current: CurrentUser) -> InstructionRead:
    read = InstructionRead.model_validate(row)
    read.allowed_actions = ["answer"] if _answer_refusal(row, parties, current) is None else []
    return read


def issue(session: Session, current: CurrentUser, task: Task, content: str, due_date: date | None,
          *, report_id: int | None = None, coordination_id: int | None = None) -> Instruction:
    """Written by a leader who may see the task; the caller has checked the permission."""
    require_open(task)
    due = answer_due(due_date, "answer_due_date")
    actor = current.actor
    lead_unit = task.lead_unit_id
    assert lead_unit is not None  # an issued task has one
    row = Instruction(task_id=task.id, report_id=report_id, coordination_id=coordination_id,
                      leader_id=current.id, on_behalf_of_id=actor.on_behalf_of_id, unit_id=lead_unit,
                      content=content, answer_due_date=due, created_at=utcnow())
    session.add(row)
    session.flush()
    o = add_obligation(session, task_id=task.id, unit_id=lead_unit, kind=ObligationKind.instruction,
                       period_key=f"instruction:{row.id}", title=f"批示落实：{task.title}", due_date=due,
                       source_type="instruction", source_id=row.id)
    row.obligation_id = o.id
    send(session, unit_people(session, [lead_unit], Role.unit_staff, Role.unit_head),
         kind=NotificationKind.instruction, title=f"【领导批示】{task.title}",
         body=f"{content}\n请于 {due.isoformat()} 前回告落实情况。", task_id=task.id, urgent=True,
         data={"instruction_id": row.id})
    record_event(session, task, actor, "instruction",
                 payload={"instruction_id": row.id, "answer_due_date": due.isoformat(),
                          "report_id": report_id, "coordination_id": coordination_id})
    session.flush()
    return row


def create(session: Session, current: CurrentUser, task_id: int, content: str, due_date: date | None,
           report_id: int | None) -> InstructionRead:
    task, refusal = asked(session, current, task_id, Request.instruct)
    if refusal == Refusal.forbidden:
        raise denied(current, Permission.instructions_issue.value, "task")
    require_under_way(refusal)
    row = issue(session, current, task, content, due_date, report_id=report_id)
    return present(row, task_scope(session, current).parties(task), current)


def list_for_task(session: Session, current: CurrentUser, task_id: int) -> list[InstructionRead]:
    task, parties = visible(session, current, task_id)
    rows = session.execute(select(Instruction).where(Instruction.task_id == task.id).order_by(Instruction.id))
    return [present(row, parties, current) for row in rows.scalars()]


def answer(session: Session, current: CurrentUser, instruction_id: int, text: str) -> InstructionRead:
    row = session.get(Instruction, instruction_id)
    if row is None:
        raise not_found("instruction.not_found")
    task, parties = visible(session, current, row.task_id)
    refusal = _answer_refusal(row, parties, current)
    if refusal is not None:
        raise refusal
    actor = current.actor
    row.answer, row.answered_at, row.answered_by_id = text, utcnow(), actor.user_id
    fulfil_obligation(session, task_id=task.id, unit_id=row.unit_id, kind=ObligationKind.instruction,
                      period_key=f"instruction:{row.id}", ref=f"instruction:{row.id}", at=row.answered_at)
    send(session, [row.leader_id], kind=NotificationKind.instruction, title=f"【批示落实回告】{task.title}",
         body=text[:500], task_id=task.id, data={"instruction_id": row.id})
    record_event(session, task, actor, "instruction_answered", payload={"instruction_id": row.id})
    session.flush()
    return present(row, parties, current)
