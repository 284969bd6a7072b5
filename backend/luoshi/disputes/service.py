"""Rules for disputes (退回交办申请): the lead unit says "not ours" before signing; the office
reassigns the task to another lead unit (whose sign-for clock starts now) or rejects the dispute
(and the unit must sign)."""

from typing import get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

import luoshi.disputes.messages  # noqa: F401 - registers the error codes
from luoshi.clock import utcnow
from luoshi.deadlines.reconcile import reconcile
from luoshi.disputes.models import Dispute, DisputeStatus
from luoshi.disputes.schemas import Decision, DisputeCreate, DisputeDecision, DisputeRead
from luoshi.errors import AppError, Conflict, NotFound, Unprocessable
from luoshi.org.models import Unit
from luoshi.permissions import Permission
from luoshi.security import CurrentUser, denied
from luoshi.tasks.access import (
    TaskContext,
    assignment_of,
    conflict_on_stale,
    flush,
    load_task,
    load_task_of,
)
from luoshi.tasks.assignments import lead_assignment, move_assignment, reassign_lead_unit
from luoshi.tasks.events import record_event
from luoshi.tasks.models import Task, TaskStatus
from luoshi.tasks.scope import task_scope
from luoshi.tasks.transitions import AssignmentAction, Party, Refusal, Request, assignment_target


def _field(field: str, zh: str, en: str) -> Unprocessable:
    return Unprocessable(errors=[{"field": field, "message": {"zh": zh, "en": en}}])  # type: ignore[dict-item]


def list_disputes(session: Session, current: CurrentUser, task_id: int) -> list[DisputeRead]:
    ctx = load_task(session, current, task_id)
    rows = session.execute(select(Dispute).where(Dispute.task_id == task_id).order_by(Dispute.id)).scalars()
    return [present(ctx, current, row) for row in rows]


def raise_dispute(session: Session, current: CurrentUser, task_id: int, data: DisputeCreate) -> DisputeRead:
    ctx = load_task(session, current, task_id)
    refusal = ctx.check(Request.dispute)
    if refusal == Refusal.forbidden:
        raise denied(current, "disputes:raise", "dispute")
    assignment = ctx.assignment
    assert assignment is not None
    if refusal is not None:
        raise Conflict("disputes.not_assigned")
    if data.suggested_unit_id is not None and session.get(Unit, data.suggested_unit_id) is None:
        raise _field("suggested_unit_id", "单位不存在", "no such unit")
    dispute = Dispute(task_id=task_id, unit_id=current.unit_id, raised_by_id=current.id, reason=data.reason,
                      suggested_unit_id=data.suggested_unit_id, status=DisputeStatus.pending)
    session.add(dispute)
    flush(session)
    move_assignment(session, ctx.task, assignment, AssignmentAction.dispute, current.actor, reason=data.reason,
                    payload={"dispute_id": dispute.id, "suggested_unit_id": data.suggested_unit_id})
    flush(session)
    return present(ctx, current, dispute)


def _check_new_lead(session: Session, current: CurrentUser, task: Task, unit_id: int) -> Unit:
    """The new lead unit exists, is another unit, lies in the office's jurisdiction and, for a
    decomposed task, is one the parent may hand work to (its lead, a cooperating unit, or below
    its lead unit)."""
    unit = session.get(Unit, unit_id)
    jurisdiction = task_scope(session, current).jurisdiction_ids
    if unit is None or not unit.is_active or (jurisdiction is not None and unit.id not in jurisdiction):
        raise _field("new_lead_unit_id", "单位不存在或不在本督查机构管辖范围内", "no such unit in your jurisdiction")
    if unit.id == task.lead_unit_id:
        raise _field("new_lead_unit_id", "新的牵头单位不能是原牵头单位", "choose a unit other than the current lead")
    parent = session.get(Task, task.parent_id) if task.parent_id else None
    if parent is not None and parent.lead_unit_id is not None:
        parent_lead = session.get(Unit, parent.lead_unit_id)
        takes_part = assignment_of(session, parent.id, unit.id) is not None
        below = parent_lead is not None and unit.path.startswith(parent_lead.path)
        if not (takes_part or below):
            raise _field("new_lead_unit_id", "分解事项的牵头单位须为上级事项的承办单位或其下级单位",
                         "a sub-task's lead unit must take part in the parent task or lie under its lead unit")
    return unit


def _refusal(ctx: TaskContext, current: CurrentUser, dispute: Dispute, decision: Decision) -> AppError | None:
    """Why the caller may not take this decision now (403, 409), or None: ``decide`` raises it and
    ``allowed_actions`` lists the decisions that have none. Rejecting sends the lead unit back to
    signing, so its row must still be the disputed one; reassigning needs a task not yet signed for."""
    if not (current.can(Permission.disputes_decide) and Party.supervisor in ctx.parties):
        return denied(current, Permission.disputes_decide.value, "dispute")
    if dispute.status != DisputeStatus.pending:
        return Conflict("disputes.already_decided")
    if decision == "reject":
        lead = lead_assignment(ctx.task)
        if lead is None or lead.unit_id != dispute.unit_id or \
                assignment_target(lead.state, AssignmentAction.dispute_rejected) is None:
            return Conflict("disputes.already_decided")
    elif ctx.task.status != TaskStatus.assigned:
        return Conflict("disputes.not_assigned")
    return None


def allowed_actions(ctx: TaskContext, current: CurrentUser, dispute: Dispute) -> list[Decision]:
    return [d for d in get_args(Decision) if _refusal(ctx, current, dispute, d) is None]


def present(ctx: TaskContext, current: CurrentUser, dispute: Dispute) -> DisputeRead:
    read = DisputeRead.model_validate(dispute)
    read.allowed_actions = allowed_actions(ctx, current, dispute)
    return read


def decide(session: Session, current: CurrentUser, dispute_id: int, data: DisputeDecision) -> DisputeRead:
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound("disputes.not_found")
    ctx = load_task_of(session, current, dispute.task_id, "disputes.not_found")
    refusal = _refusal(ctx, current, dispute, data.decision)
    if refusal is not None:
        raise refusal
    actor, payload = current.actor, {"dispute_id": dispute.id}
    if data.decision == "reject":
        if not (data.reason or "").strip():
            raise _field("reason", "不予退回须说明理由", "a reason is required to reject")
        lead = lead_assignment(ctx.task)
        assert lead is not None  # _refusal checked it is the disputing unit's row
        move_assignment(session, ctx.task, lead, AssignmentAction.dispute_rejected, actor, reason=data.reason,
                        payload=payload)
        dispute.status = DisputeStatus.rejected
    else:
        if data.new_lead_unit_id is None:
            raise _field("new_lead_unit_id", "改派须指定新的牵头单位", "the new lead unit is required")
        new_unit = _check_new_lead(session, current, ctx.task, data.new_lead_unit_id)
        previous = ctx.task.lead_unit_id
        with conflict_on_stale():
            row = reassign_lead_unit(session, ctx.task, new_unit.id, actor, data.reason, event=False)
        record_event(session, ctx.task, actor, "reassign", reason=data.reason, assignment_id=row.id,
                     payload={"from_unit_id": previous, "to_unit_id": new_unit.id, **payload})
        dispute.status, dispute.new_lead_unit_id = DisputeStatus.reassigned, new_unit.id
    dispute.decided_by_id, dispute.decided_at, dispute.decision_reason = current.id, utcnow(), data.reason
    flush(session)
    if dispute.status == DisputeStatus.reassigned:
        reconcile(session, [ctx.task.id])  # the new lead unit's sign-for clock starts now
    return present(ctx, current, dispute)
