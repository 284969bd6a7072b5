"""Moving a task through the closed loop (SPEC §4), driven by ``transitions.TRANSITIONS``.

Order of checks: out of scope → 404; the caller can never take this action (no role or
capacity for it in any status) → 403; the status does not allow it for the caller → 409; the
task changed since the caller looked → 412; a missing reason or field → 422; a rule of the loop
(open sub-tasks, cooperating units not reported) → 409. Nothing is written before all pass.

Other domains add rules and reactions without touching this file: ``GUARDS[action]`` run before
a move (e.g. "a completion report is required" for submit), ``AFTER[action]`` after it, in the
same transaction (e.g. notifications, report obligations).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from luoshi.audit.service import Actor, record
from luoshi.clock import utcnow
from luoshi.deadlines.calendar import DayCount, local_date, local_today, shift_for_pause
from luoshi.errors import Conflict, Forbidden, NotFound, Unprocessable
from luoshi.security import CurrentUser, denied
from luoshi.settings import get_settings
from luoshi.tasks import messages
from luoshi.tasks import repository as repo
from luoshi.tasks.assignments import lead_assignment, move_assignment, touch
from luoshi.tasks.deadline_state import on_time
from luoshi.tasks.events import record_cascade, record_event
from luoshi.tasks.models import CLOSED_STATUSES, AssignmentState, Capacity, Task, TaskStatus
from luoshi.tasks.schemas import TransitionRequest, WaiveRequest
from luoshi.tasks.scope import TaskScope, load_visible_task, task_scope
from luoshi.tasks.service import check_version, field_error, parse_if_match
from luoshi.tasks.transitions import (
    ACTION_PARTIES,
    MANAGERS,
    PREVIOUS,
    Action,
    AssignmentAction,
    Party,
    Transition,
    find,
)
from luoshi.tasks.tree import roll_up_progress


@dataclass
class Move:
    """One transition being applied: what the appliers and hooks need to know."""

    session: Session
    task: Task
    row: Transition
    actor: Actor
    scope: TaskScope
    parties: frozenset[Party]
    reason: str | None
    payload: dict[str, Any]


Hook = Callable[[Move], None]
GUARDS: dict[Action, list[Hook]] = {a: [] for a in Action}
AFTER: dict[Action, list[Hook]] = {a: [] for a in Action}


def _status_name(status: str) -> str:
    return messages.STATUS_NAMES.get(status, status)


def _refuse(current: CurrentUser, action: Action) -> Forbidden:
    err = denied(current, f"task:{action.value}", "task")
    err.code = "task.transition_denied"
    err.params = {"action": messages.ACTION_NAMES.get(action.value, action.value)}
    return err


def transition(session: Session, current: CurrentUser, task_id: int, data: TransitionRequest,
               if_match: str | None) -> Task:
    task = load_visible_task(session, current, task_id)
    scope = task_scope(session, current)
    action = data.action
    repo.lock_chain(session, task)
    parties = scope.parties(task)
    if not ACTION_PARTIES[action] & parties:
        raise _refuse(current, action)
    row = find(task.status, action, parties)
    if row is None:
        raise Conflict("task.invalid_transition", params={
            "status": _status_name(task.status), "action": messages.ACTION_NAMES[action.value]})
    check_version(task, data.version if data.version is not None else parse_if_match(if_match))
    reason = (data.reason or "").strip() or None
    if row.reason_required and reason is None:
        raise field_error("reason", "该操作须填写理由", "a reason is required", code="task.reason_required")
    move = Move(session, task, row, current.actor, scope, parties, reason, {})
    for guard in [*_BUILT_IN_GUARDS.get(action, []), *GUARDS[action]]:
        guard(move)
    before = task.status
    APPLY[action](move)
    target = task.status if row.target is None else row.target
    if target == PREVIOUS:
        target = task.status_before_suspend or TaskStatus.assigned
    task.status = target
    touch(task, current.actor)
    repo.flush_versioned(session)
    record_event(session, task, current.actor, action.value, from_status=before,
                 to_status=None if row.target is None else target, reason=reason, payload=move.payload)
    session.flush()
    if action in _ROLLS_UP:
        roll_up_progress(session, task)
    for hook in AFTER[action]:
        hook(move)
    return task


# --- guards ---------------------------------------------------------------------------------

def _children_closed(move: Move) -> None:
    count = repo.open_children_count(move.session, move.task.id)
    if count:
        raise Conflict("task.children_open", params={"count": count})


def _cooperating_reported(move: Move) -> None:
    waiting = [a.unit.short_name for a in move.task.assignments
               if a.capacity == Capacity.cooperating
               and a.state not in (AssignmentState.reported, AssignmentState.done, AssignmentState.waived)]
    if waiting:
        raise Conflict("task.cooperating_not_reported", params={"units": "、".join(waiting)},
                       extra={"units": waiting})


def _issuable(move: Move) -> None:
    task = move.task
    missing = [("title", task.title), ("lead_unit_id", task.lead_unit_id), ("deadline", task.deadline_date)]
    errors = [{"field": name, "message": {"zh": "交办前须填写", "en": "required to issue"}}
              for name, value in missing if not value]
    if errors:
        raise Unprocessable("task.issue_incomplete", errors=errors)  # type: ignore[arg-type]
    if task.deadline_date is not None and task.deadline_date < local_today():
        raise field_error("deadline", "办理时限已过，请先修改时限", "the deadline has passed; move it first")
    if task.parent_id is not None:
        parent = repo.get(move.session, task.parent_id)
        if parent is not None and parent.status == TaskStatus.draft:
            raise Conflict("task.parent_not_issued")
        if parent is not None and parent.status in CLOSED_STATUSES:
            raise Conflict("task.parent_closed")


def _parent_open(move: Move) -> None:
    if move.task.parent_id is None:
        return
    parent = repo.get(move.session, move.task.parent_id)
    if parent is not None and parent.status in CLOSED_STATUSES:
        raise Conflict("task.parent_closed")


def _own_assignment_pending(move: Move) -> None:
    own = move.scope.own_assignment(move.task.assignments)
    if own is None or own.state != AssignmentState.assigned:
        state = own.state if own else "-"
        raise Conflict("task.assignment_not_pending", params={
            "state": messages.ASSIGNMENT_STATE_NAMES.get(state, state)})


_BUILT_IN_GUARDS: dict[Action, list[Hook]] = {
    Action.issue: [_issuable],
    Action.sign: [_own_assignment_pending],
    Action.submit: [_children_closed, _cooperating_reported],
    Action.approve: [_children_closed],
    Action.reopen: [_parent_open],
}

_ROLLS_UP = {Action.approve, Action.cancel, Action.reopen}


# --- appliers: what each move changes besides the status -----------------------------------

def _issue(move: Move) -> None:
    task, now = move.task, utcnow()
    task.issued_at = now
    task.original_deadline_date = task.original_deadline_date or task.deadline_date
    for a in task.assignments:
        a.assigned_at = now


def _sign(move: Move) -> None:
    own = move.scope.own_assignment(move.task.assignments)
    assert own is not None  # the guard checked it
    move_assignment(move.session, move.task, own, AssignmentAction.sign, move.actor, event=False)
    move.payload["unit_id"] = own.unit_id
    move.payload["capacity"] = own.capacity
    if own.capacity == Capacity.lead:
        move.task.signed_at = own.signed_at


def _submit(move: Move) -> None:
    move.task.submitted_at = utcnow()


def _approve(move: Move) -> None:
    task, now = move.task, utcnow()
    task.completed_at = now
    task.completed_on_time = on_time(task.submitted_at, task.deadline_date)
    task.progress = 100
    for a in task.assignments:
        if a.state in (AssignmentState.assigned, AssignmentState.signed, AssignmentState.reported):
            move_assignment(move.session, task, a, AssignmentAction.complete, move.actor, event=False)
    move.payload["on_time"] = task.completed_on_time


def _return(move: Move) -> None:
    task = move.task
    task.return_count += 1
    task.submitted_at = None
    lead = lead_assignment(task)
    # Counted against the lead unit in evaluation (退回重办).
    move.payload["unit_id"] = lead.unit_id if lead else task.lead_unit_id


def _suspend(move: Move) -> None:
    move.task.status_before_suspend = move.task.status
    move.task.suspended_at = utcnow()


def _resume(move: Move) -> None:
    task = move.task
    if task.deadline_date is not None and task.suspended_at is not None:
        count = DayCount(task.deadline_day_count or get_settings().default_day_count)
        moved = shift_for_pause(task.deadline_date, local_date(task.suspended_at), local_today(), count)
        move.payload.update(deadline_from=task.deadline_date.isoformat(), deadline_to=moved.isoformat())
        task.deadline_date = moved
    task.suspended_at = None


def _cancel(move: Move) -> None:
    task, now = move.task, utcnow()
    task.cancelled_at = now
    below = repo.open_descendants(move.session, task)
    before = [t.status for t in below]
    for child in below:
        child.status = TaskStatus.cancelled
        child.cancelled_at = now
        touch(child, move.actor)
    if below:
        move.session.flush()
        record_cascade(move.session, list(below), move.actor, "cancel", before, TaskStatus.cancelled,
                       move.reason, {"cascaded_from": task.id})
        move.payload["cascaded"] = [t.id for t in below]


def _reopen(move: Move) -> None:
    task = move.task
    task.completed_at = None
    task.completed_on_time = None
    task.submitted_at = None
    for a in task.assignments:
        if a.state == AssignmentState.done:
            move_assignment(move.session, task, a, AssignmentAction.reopen, move.actor, event=False)


APPLY: dict[Action, Hook] = {
    Action.issue: _issue, Action.sign: _sign, Action.submit: _submit, Action.approve: _approve,
    Action.return_: _return, Action.suspend: _suspend, Action.resume: _resume,
    Action.cancel: _cancel, Action.reopen: _reopen,
}


# --- per-assignment action of the office ------------------------------------------------------

def waive(session: Session, current: CurrentUser, task_id: int, assignment_id: int,
          data: WaiveRequest, if_match: str | None) -> Task:
    """The office excuses a cooperating unit from reporting its part (with a reason)."""
    task = load_visible_task(session, current, task_id)
    scope = task_scope(session, current)
    assignment = next((a for a in task.assignments if a.id == assignment_id), None)
    if assignment is None:
        raise NotFound("task.assignment_not_found")
    repo.lock_chain(session, task)
    if not scope.parties(task) & MANAGERS:
        raise denied(current, "task:waive", "task")
    if task.status in CLOSED_STATUSES or task.status == TaskStatus.draft:
        raise Conflict("task.invalid_transition", params={
            "status": _status_name(task.status), "action": messages.ACTION_NAMES["waive"]})
    if assignment.capacity != Capacity.cooperating:
        raise Conflict("task.assignment_invalid_transition", params={
            "state": messages.ASSIGNMENT_STATE_NAMES.get(assignment.state, assignment.state),
            "action": messages.ACTION_NAMES["waive"]})
    check_version(task, data.version if data.version is not None else parse_if_match(if_match))
    move_assignment(session, task, assignment, AssignmentAction.waive, current.actor, reason=data.reason)
    repo.flush_versioned(session)
    return task


def set_task_progress(session: Session, task: Task, progress: int, actor: Actor | None) -> None:
    """A report's percent done lands on a task without sub-tasks and rolls up (reports domain)."""
    if task.progress == progress:
        return
    before = task.progress
    task.progress = progress
    touch(task, actor)
    session.flush()
    roll_up_progress(session, task)
    record(session, "task.progress", actor, target_type="task", target_id=task.id,
           detail={"from": before, "to": progress})
