"""Reading tasks: the scoped list, the detail with every unit's row, the tree and the history."""

from typing import Any

from sqlalchemy.orm import Session

from luoshi.pagination import decode_cursor, encode_cursor
from luoshi.security import CurrentUser
from luoshi.tasks import repository as repo
from luoshi.tasks.deadline_state import RUNNING, DeadlineClock, local_date
from luoshi.tasks.filters import TaskFilters
from luoshi.tasks.models import Assignment, AssignmentState, Capacity, DeadlineState, Task
from luoshi.tasks.scope import TaskScope, task_scope
from luoshi.tasks.transitions import MANAGERS, AssignmentAction, allowed_actions, assignment_target
from luoshi.tasks.tree import behind_schedule


def _unit(unit: Any) -> dict[str, Any] | None:
    return None if unit is None else {"id": unit.id, "name": unit.name, "short_name": unit.short_name}


def summary(task: Task, scope: TaskScope, clock: DeadlineClock, names: dict[int, str]) -> dict[str, Any]:
    own = scope.own_assignment(task)
    late = task.deadline_date is not None and task.deadline_date < clock.today
    return {
        "id": task.id, "parent_id": task.parent_id, "root_id": task.root_id, "depth": task.depth,
        "title": task.title, "status": task.status, "deadline": task.deadline_date,
        "deadline_state": clock.of(task), "progress": task.progress,
        "lead_unit": _unit(task.lead_unit), "leader_id": task.leader_id,
        "leader_name": names.get(task.leader_id) if task.leader_id else None,
        "source_type": task.source_type, "source_ref": task.source_ref, "priority": task.priority,
        "allowed_actions": allowed_actions(task.status, scope.parties(task), scope.permissions,
                                           own.state if own else None, late),
        "version": task.version, "updated_at": task.updated_at,
    }


def _assignment_state(a: Assignment, task: Task, clock: DeadlineClock) -> DeadlineState | None:
    """A unit's own clock: a cooperating unit answers by its due date, the lead by the task's."""
    due = a.due_date if a.capacity == Capacity.cooperating and a.due_date else task.deadline_date
    match a.state:
        case AssignmentState.waived:
            return None
        case AssignmentState.reported:
            late = due is not None and a.reported_at is not None and local_date(a.reported_at) > due
            return DeadlineState.late if late else DeadlineState.on_time
        case AssignmentState.done:
            return DeadlineState.late if task.completed_on_time is False else DeadlineState.on_time
    return clock.state(task.status, due, None)


def detail(session: Session, current: CurrentUser, task: Task) -> dict[str, Any]:
    scope = task_scope(session, current)
    clock = DeadlineClock.now()
    chain = repo.ancestors(session, task)
    names = repo.user_names(session, {task.leader_id} - {None})  # type: ignore[arg-type]
    assignments = sorted(task.assignments, key=lambda a: (a.capacity != Capacity.lead, a.id))
    out = summary(task, scope, clock, names)
    manager = bool(scope.parties(task) & MANAGERS)
    out.update(
        path=task.path, content=task.content, source_date=task.source_date, category=task.category,
        tags=task.tags, issuer_unit=_unit(task.issuer_unit),
        cooperating_unit_ids=[a.unit_id for a in assignments if a.capacity == Capacity.cooperating],
        original_deadline=task.original_deadline_date, feedback_cycle=task.feedback_cycle,
        deadline_day_count=task.deadline_day_count,
        feedback_dates=task.feedback_dates, weight=task.weight, return_count=task.return_count,
        behind_schedule=behind_schedule(task.status, task.progress, task.issued_at,
                                        task.deadline_date, clock.today),
        assignments=[{**{c: getattr(a, c) for c in _ASSIGNMENT_FIELDS}, "unit": _unit(a.unit),
                      "deadline_state": _assignment_state(a, task, clock),
                      "allowed_actions": _assignment_actions(a, task, manager)} for a in assignments],
        milestones=repo.milestones(session, task.id),
        ancestors=[{"id": t.id, "title": t.title, "deadline": t.deadline_date,
                    "lead_unit": _unit(t.lead_unit)} for t in chain],
        children_count=repo.children_count(session, task.id),
        created_by_id=task.created_by_id, updated_by_id=task.updated_by_id,
        created_at=task.created_at, issued_at=task.issued_at, signed_at=task.signed_at,
        submitted_at=task.submitted_at, completed_at=task.completed_at,
        completed_on_time=task.completed_on_time, suspended_at=task.suspended_at,
        cancelled_at=task.cancelled_at,
    )
    return out


def _assignment_actions(a: Assignment, task: Task, manager: bool) -> list[str]:
    """The office may waive a cooperating unit's report while the task is under way."""
    waivable = (manager and a.capacity == Capacity.cooperating and task.status in RUNNING
                and assignment_target(a.state, AssignmentAction.waive) is not None)
    return ["waive"] if waivable else []


_ASSIGNMENT_FIELDS = (
    "id", "capacity", "state", "due_date", "assigned_at", "signed_at", "signed_by_id",
    "reported_at", "done_at", "disputed_at", "waived_at", "waive_reason",
)


def list_tasks(
    session: Session, current: CurrentUser, filters: TaskFilters, *, cursor: str | None, limit: int,
) -> dict[str, Any]:
    scope = task_scope(session, current)
    clock = DeadlineClock.now()
    after = decode_cursor(cursor, 1)
    rows = repo.page(session, scope.clause(), filters.clauses(clock),
                     before_id=int(after[0]) if after else None, limit=limit + 1)
    page = rows[:limit]
    names = repo.user_names(session, {t.leader_id for t in page if t.leader_id})
    return {
        "items": [summary(t, scope, clock, names) for t in page],
        "next_cursor": encode_cursor([page[-1].id]) if len(rows) > limit else None,
    }


def events(session: Session, task: Task) -> list[dict[str, Any]]:
    out = []
    for event, name in repo.events(session, task.id):
        out.append({
            "id": event.id, "at": event.at, "actor_id": event.actor_id, "actor_name": name,
            "on_behalf_of_id": event.on_behalf_of_id, "action": event.action,
            "from_status": event.from_status, "to_status": event.to_status,
            "assignment_id": event.assignment_id, "reason": event.reason, "payload": event.payload,
        })
    return out
