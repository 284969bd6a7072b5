"""One unit's part in a task: its own state machine, and the calls other domains make on it.

Reports (a cooperating unit reported its part), disputes (the lead unit says "not ours"; the
office reassigns or rejects) and the supervisor's waiver all move an assignment through
``ASSIGNMENT_TRANSITIONS``; each move writes a task event and an audit entry and bumps the
task's version, so it is serialised with the task's own transitions.
"""

from typing import Any

from sqlalchemy.orm import Session

from luoshi.audit.service import Actor
from luoshi.clock import utcnow
from luoshi.errors import Conflict, NotFound, Unprocessable
from luoshi.tasks import messages
from luoshi.tasks.events import record_event
from luoshi.tasks.models import Assignment, AssignmentState, Capacity, Task, TaskStatus
from luoshi.tasks.repository import flush_versioned
from luoshi.tasks.transitions import AssignmentAction, assignment_target

# The moment each state is entered is kept on the row.
_STAMPS = {
    AssignmentState.signed: "signed_at", AssignmentState.reported: "reported_at",
    AssignmentState.done: "done_at", AssignmentState.disputed: "disputed_at",
    AssignmentState.waived: "waived_at",
}


def move_assignment(
    session: Session, task: Task, assignment: Assignment, action: AssignmentAction,
    actor: Actor | None, *, reason: str | None = None, payload: dict[str, Any] | None = None,
    event: bool = True,
) -> Assignment:
    """Move one assignment by the table; 409 ``task.assignment_invalid_transition`` otherwise."""
    target = assignment_target(assignment.state, action)
    if target is None:
        raise Conflict("task.assignment_invalid_transition", params={
            "state": messages.ASSIGNMENT_STATE_NAMES.get(assignment.state, assignment.state),
            "action": messages.ACTION_NAMES.get(action.value, action.value)})
    before = assignment.state
    now = utcnow()
    assignment.state = target
    if target in _STAMPS:
        setattr(assignment, _STAMPS[target], now)
    if target == AssignmentState.signed and actor is not None:
        assignment.signed_by_id = actor.user_id
    if target == AssignmentState.waived:
        assignment.waived_by_id = actor.user_id if actor else None
        assignment.waive_reason = reason
    touch(task, actor)
    if event:
        flush_versioned(session)
        record_event(session, task, actor, f"assignment.{action.value}", reason=reason,
                     assignment_id=assignment.id, payload={
                         "unit_id": assignment.unit_id, "capacity": assignment.capacity,
                         "from_state": before, "to_state": target, **(payload or {})})
    return assignment


def touch(task: Task, actor: Actor | None) -> None:
    """Every change to a task or its assignments bumps the version (optimistic concurrency)."""
    task.updated_at = utcnow()
    task.updated_by_id = actor.user_id if actor else task.updated_by_id


def assignment_of(task: Task, unit_id: int) -> Assignment:
    found = next((a for a in task.assignments if a.unit_id == unit_id), None)
    if found is None:
        raise NotFound("task.assignment_not_found")
    return found


def lead_assignment(task: Task) -> Assignment | None:
    return next((a for a in task.assignments if a.capacity == Capacity.lead), None)


# --- calls for other domains (reports, disputes) ------------------------------------------

def mark_assignment_reported(session: Session, task: Task, unit_id: int, actor: Actor | None) -> Assignment:
    """A cooperating unit has reported its part to the lead unit (reports domain)."""
    return move_assignment(session, task, assignment_of(task, unit_id), AssignmentAction.report, actor)


def mark_assignment_part_returned(session: Session, task: Task, unit_id: int, actor: Actor | None,
                                 reason: str | None = None) -> Assignment:
    """The lead unit sent a cooperating unit's part back: it owes the part again (reports domain)."""
    assignment = move_assignment(session, task, assignment_of(task, unit_id), AssignmentAction.part_returned,
                                 actor, reason=reason)
    assignment.reported_at = None
    return assignment


def mark_assignment_disputed(session: Session, task: Task, unit_id: int, actor: Actor | None,
                             reason: str) -> Assignment:
    """The unit says the task is not theirs (退回交办申请); the task stays assigned."""
    if task.status != TaskStatus.assigned:
        raise Conflict("task.invalid_transition", params={
            "status": messages.STATUS_NAMES.get(task.status, task.status),
            "action": messages.ACTION_NAMES["dispute"]})
    return move_assignment(session, task, assignment_of(task, unit_id), AssignmentAction.dispute,
                           actor, reason=reason)


def reject_dispute(session: Session, task: Task, unit_id: int, actor: Actor | None, reason: str) -> Assignment:
    """The office rejects the dispute: the unit must sign after all."""
    return move_assignment(session, task, assignment_of(task, unit_id),
                           AssignmentAction.dispute_rejected, actor, reason=reason)


# Once signed for, the work belongs to the unit; a new lead starts from a new task.
REASSIGNABLE = frozenset({TaskStatus.draft, TaskStatus.assigned})


def reassign_lead_unit(session: Session, task: Task, unit_id: int, actor: Actor | None,
                       reason: str | None, *, event: bool = True) -> Assignment:
    """A new lead unit (a dispute upheld, or the office changed its mind): the sign-for clock restarts.

    The old lead's row is replaced; a cooperating row of the new lead unit is folded into it.
    The caller checks that the new unit is allowed (SPEC §3 decomposition rule, scope).
    """
    if task.status not in REASSIGNABLE:
        raise Conflict("task.invalid_transition", params={
            "status": messages.STATUS_NAMES.get(task.status, task.status),
            "action": messages.ACTION_NAMES["reassign"]})
    old = lead_assignment(task)
    if old is not None and old.unit_id == unit_id:
        raise Unprocessable(errors=[{"field": "lead_unit_id", "message": {  # type: ignore[dict-item]
            "zh": "新的牵头单位与原单位相同", "en": "that unit already leads the task"}}])
    now = utcnow()
    issued = task.status != TaskStatus.draft
    existing = next((a for a in task.assignments if a.unit_id == unit_id), None)
    for row in (old, existing):
        if row is not None:
            task.assignments.remove(row)
            session.delete(row)
    session.flush()
    new = Assignment(task_id=task.id, unit_id=unit_id, capacity=Capacity.lead,
                     state=AssignmentState.assigned, assigned_at=now if issued else None)
    session.add(new)
    task.assignments.append(new)
    previous = task.lead_unit_id
    task.lead_unit_id = unit_id
    task.signed_at = None
    touch(task, actor)
    session.flush()
    if event:
        record_event(session, task, actor, "reassign", reason=reason, assignment_id=new.id,
                     payload={"from_unit_id": previous, "to_unit_id": unit_id})
    return new


def set_cooperating_units(session: Session, task: Task, unit_ids: list[int]) -> None:
    """Replace the cooperating units; units already taking part keep their rows and states."""
    keep = set(unit_ids)
    issued = task.status != TaskStatus.draft
    for row in [a for a in task.assignments if a.capacity == Capacity.cooperating]:
        if row.unit_id not in keep:
            task.assignments.remove(row)
            session.delete(row)
    present = {a.unit_id for a in task.assignments}
    for unit_id in unit_ids:
        if unit_id not in present:
            row = Assignment(task_id=task.id, unit_id=unit_id, capacity=Capacity.cooperating,
                             state=AssignmentState.assigned, assigned_at=utcnow() if issued else None)
            session.add(row)
            task.assignments.append(row)
    session.flush()
