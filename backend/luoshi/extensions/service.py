"""Rules for extension requests: the lead unit asks in time; the office (or the leader in charge)
decides, as ``extensions.rules`` says; an approval moves the deadline and the first deadline
stays on the task for evaluation."""

from typing import get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

import luoshi.extensions.messages  # noqa: F401 - registers the error codes
from luoshi.clock import utcnow
from luoshi.deadlines.calendar import local_today
from luoshi.deadlines.reconcile import reconcile
from luoshi.errors import AppError, Conflict, NotFound, Unprocessable
from luoshi.extensions.models import ExtensionRequest, ExtensionStatus
from luoshi.extensions.rules import DECIDE, may_decide
from luoshi.extensions.schemas import Decision, ExtensionCreate, ExtensionDecision, ExtensionRead
from luoshi.security import CurrentUser, denied
from luoshi.tasks.access import TaskContext, add_event, flush, load_task, load_task_of
from luoshi.tasks.models import Task, TaskStatus
from luoshi.tasks.transitions import Refusal, Request

EXTENDABLE = frozenset({TaskStatus.assigned, TaskStatus.in_progress})


def _field(field: str, zh: str, en: str) -> Unprocessable:
    return Unprocessable(errors=[{"field": field, "message": {"zh": zh, "en": en}}])  # type: ignore[dict-item]


def list_requests(session: Session, current: CurrentUser, task_id: int) -> list[ExtensionRead]:
    ctx = load_task(session, current, task_id)
    rows = session.execute(
        select(ExtensionRequest).where(ExtensionRequest.task_id == task_id).order_by(ExtensionRequest.id)
    ).scalars()
    return [present(ctx, current, row) for row in rows]


def request_extension(session: Session, current: CurrentUser, task_id: int, data: ExtensionCreate) -> ExtensionRead:
    ctx = load_task(session, current, task_id)
    task = ctx.task
    passed = task.deadline_date is not None and local_today() > task.deadline_date
    refusal = ctx.check(Request.request_extension, deadline_passed=passed)
    if refusal == Refusal.forbidden:
        raise denied(current, "extensions:request", "extension_request")
    if task.status not in EXTENDABLE:
        raise Conflict("extensions.task_not_open")
    if task.deadline_date is None:
        raise Conflict("extensions.no_deadline")
    if refusal == Refusal.own_state:
        raise Conflict("task.sign_first")
    if refusal == Refusal.conflict:
        raise Conflict("extensions.deadline_passed")
    if data.requested_deadline_date <= task.deadline_date:
        raise _field("requested_deadline_date", "新的时限应晚于当前时限", "the new deadline must be later")
    parent = session.get(Task, task.parent_id) if task.parent_id else None
    if parent is not None and parent.deadline_date and data.requested_deadline_date > parent.deadline_date:
        raise _field("requested_deadline_date", f"不能晚于上级事项的时限（{parent.deadline_date}）",
                     f"it cannot be later than the parent task's deadline ({parent.deadline_date})")
    pending = session.execute(select(ExtensionRequest.id).where(
        ExtensionRequest.task_id == task.id, ExtensionRequest.status == ExtensionStatus.pending)).first()
    if pending is not None:
        raise Conflict("extensions.pending_exists")
    request = ExtensionRequest(
        task_id=task.id, unit_id=current.unit_id, requested_by_id=current.id,
        current_deadline_date=task.deadline_date, requested_deadline_date=data.requested_deadline_date,
        reason=data.reason, status=ExtensionStatus.pending,
    )
    session.add(request)
    flush(session)
    add_event(session, current, task, "extension_requested", reason=data.reason,
              assignment_id=ctx.assignment.id if ctx.assignment else None,
              payload={"extension_request_id": request.id, "from": str(task.deadline_date),
                       "to": str(data.requested_deadline_date)})
    flush(session)
    return present(ctx, current, request)


def _refusal(ctx: TaskContext, current: CurrentUser, request: ExtensionRequest, decision: Decision) -> AppError | None:
    """Why the caller may not take this decision now (403, 409), or None: ``decide`` raises it and
    ``allowed_actions`` lists the decisions that have none. A pending request can always be
    rejected; approving moves the deadline, so only while the task is under way."""
    if not may_decide(ctx, current):
        return denied(current, DECIDE.value, "extension_request")
    if request.status != ExtensionStatus.pending:
        return Conflict("extensions.already_decided")
    if decision == "approve" and ctx.task.status not in EXTENDABLE:
        return Conflict("extensions.task_not_open")
    return None


def allowed_actions(ctx: TaskContext, current: CurrentUser, request: ExtensionRequest) -> list[Decision]:
    return [d for d in get_args(Decision) if _refusal(ctx, current, request, d) is None]


def present(ctx: TaskContext, current: CurrentUser, request: ExtensionRequest) -> ExtensionRead:
    read = ExtensionRead.model_validate(request)
    read.allowed_actions = allowed_actions(ctx, current, request)
    return read


def decide(session: Session, current: CurrentUser, request_id: int, data: ExtensionDecision) -> ExtensionRead:
    request = session.get(ExtensionRequest, request_id)
    if request is None:
        raise NotFound("extensions.not_found")
    ctx = load_task_of(session, current, request.task_id, "extensions.not_found")
    task = ctx.task
    refusal = _refusal(ctx, current, request, data.decision)
    if refusal is not None:
        raise refusal
    if data.decision == "reject" and not (data.reason or "").strip():
        raise _field("reason", "不批准须说明理由", "a reason is required to reject")
    approve = data.decision == "approve"
    request.status = ExtensionStatus.approved if approve else ExtensionStatus.rejected
    request.decided_by_id, request.decided_at, request.decision_reason = current.id, utcnow(), data.reason
    before = task.deadline_date
    if approve:
        if task.original_deadline_date is None:
            task.original_deadline_date = before
        task.deadline_date = request.requested_deadline_date
        task.updated_by_id = current.id
    add_event(session, current, task, "extension_approved" if approve else "extension_rejected",
              reason=data.reason,
              payload={"extension_request_id": request.id, "unit_id": request.unit_id, "from": str(before),
                       "to": str(task.deadline_date), "original_deadline_date": str(task.original_deadline_date)})
    flush(session)
    if approve:
        reconcile(session, [task.id])  # report dates move with the deadline now, not on the next scan
    return present(ctx, current, request)
