"""Reading tasks: the scoped list, the detail with every unit's row, the tree and the history."""

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from luoshi.db import read_records
from luoshi.errors import NotFound
from luoshi.memo import Built
from luoshi.pagination import decode_cursor, encode_cursor
from luoshi.security import CurrentUser
from luoshi.tasks import repository as repo
from luoshi.tasks.deadline_state import RUNNING, DeadlineClock, local_date
from luoshi.tasks.filters import TaskFilters
from luoshi.tasks.models import AssignmentState, Capacity, DeadlineState, Task, ancestor_ids
from luoshi.tasks.scope import TaskScope, task_scope
from luoshi.tasks.service import editable_fields
from luoshi.tasks.transitions import MANAGERS, AssignmentAction, Party, allowed_actions, assignment_target
from luoshi.tasks.tree import behind_schedule


def summary(t: Any, *, lead_unit: dict[str, Any] | None, leader_name: str | None,
            parties: frozenset[Party], own_state: str | None, scope: TaskScope,
            clock: DeadlineClock) -> dict[str, Any]:
    """A task as a list and a detail show it; ``t`` is a record carrying the columns it reads."""
    late = t.deadline_date is not None and t.deadline_date < clock.today
    return {
        "id": t.id, "parent_id": t.parent_id, "root_id": t.root_id, "depth": t.depth,
        "title": t.title, "status": t.status, "deadline": t.deadline_date,
        "deadline_state": clock.state(t.status, t.deadline_date, t.completed_on_time), "progress": t.progress,
        "lead_unit": lead_unit, "leader_id": t.leader_id, "leader_name": leader_name,
        "source_type": t.source_type, "source_ref": t.source_ref, "priority": t.priority,
        "allowed_actions": allowed_actions(t.status, parties, scope.permissions, own_state, late),
        "version": t.version, "updated_at": t.updated_at,
    }


def _lead_unit(row: Any) -> dict[str, Any] | None:
    """The lead unit of a record that carries ``lead_unit_id``, ``lead_unit_name`` and ``…_short_name``."""
    return None if row.lead_unit_id is None else {
        "id": row.lead_unit_id, "name": row.lead_unit_name, "short_name": row.lead_unit_short_name}


def _row_summary(row: Any, scope: TaskScope, clock: DeadlineClock) -> dict[str, Any]:
    return summary(row, lead_unit=_lead_unit(row), leader_name=row.leader_name,
                   parties=scope.parties_of(row.issuer_unit_id, row.own_capacity, bool(row.office_issued)),
                   own_state=row.own_state,
                   scope=scope, clock=clock)


def _assignment_state(a: Any, task: Any, clock: DeadlineClock) -> DeadlineState | None:
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


_DETAILS: Built[Select[Any]] = Built()


def detail(session: Session, current: CurrentUser, task_id: int) -> dict[str, Any]:
    """One task in full as the caller sees it, or 404 when it is out of their scope.

    Read as plain rows (``repo.detail_select`` and the assignments, ancestors and milestones by
    id), not entities: building them cost more than the SQL. Writes answer with this too, after
    their changes are flushed.
    """
    scope = task_scope(session, current)
    clock = DeadlineClock.now()
    statement = _DETAILS.get(scope.key, lambda: repo.detail_select(scope.clause()))
    found = read_records(session, statement, {"task_id": task_id})
    if not found:
        raise NotFound("task.not_found")
    task = found[0]
    rows = repo.assignment_rows(session, task_id)
    assignments = sorted(rows, key=lambda a: (a.capacity != Capacity.lead, a.id))
    own = scope.own_assignment(rows)
    parties = scope.parties_of(task.issuer_unit_id, own.capacity if own else None,
                               scope.in_jurisdiction(task.issuer_unit_path))
    out = summary(task, lead_unit=_lead_unit(task), leader_name=task.leader_name,
                  parties=parties, own_state=own.state if own else None, scope=scope, clock=clock)
    manager = bool(parties & MANAGERS)
    out.update(
        path=task.path, content=task.content, source_date=task.source_date, category=task.category,
        tags=task.tags, issuer_unit={"id": task.issuer_unit_id, "name": task.issuer_unit_name,
                                     "short_name": task.issuer_unit_short_name},
        cooperating_unit_ids=[a.unit_id for a in assignments if a.capacity == Capacity.cooperating],
        original_deadline=task.original_deadline_date, feedback_cycle=task.feedback_cycle,
        deadline_day_count=task.deadline_day_count,
        feedback_dates=task.feedback_dates, weight=task.weight, return_count=task.return_count,
        behind_schedule=behind_schedule(task.status, task.progress, task.issued_at,
                                        task.deadline_date, clock.today),
        assignments=[{**{c: getattr(a, c) for c in _ASSIGNMENT_FIELDS},
                      "unit": {"id": a.unit_id, "name": a.unit_name, "short_name": a.unit_short_name},
                      "deadline_state": _assignment_state(a, task, clock),
                      "allowed_actions": _assignment_actions(a, task, manager)} for a in assignments],
        milestones=repo.milestones(session, task_id),
        ancestors=[{"id": t.id, "title": t.title, "deadline": t.deadline_date,
                    "lead_unit": _lead_unit(t)} for t in repo.ancestors(session, ancestor_ids(task.path))],
        children_count=task.children_count,
        created_by_id=task.created_by_id, updated_by_id=task.updated_by_id,
        created_at=task.created_at, issued_at=task.issued_at, signed_at=task.signed_at,
        submitted_at=task.submitted_at, completed_at=task.completed_at,
        completed_on_time=task.completed_on_time, suspended_at=task.suspended_at,
        cancelled_at=task.cancelled_at,
    )
    out["editable_fields"] = editable_fields(task.status, manager, "edit" in out["allowed_actions"],
                                             out["children_count"] > 0)
    return out


def _assignment_actions(a: Any, task: Any, manager: bool) -> list[str]:
    """The office may waive a cooperating unit's report while the task is under way."""
    waivable = (manager and a.capacity == Capacity.cooperating and task.status in RUNNING
                and assignment_target(a.state, AssignmentAction.waive) is not None)
    return ["waive"] if waivable else []


_ASSIGNMENT_FIELDS = (
    "id", "capacity", "state", "due_date", "assigned_at", "signed_at", "signed_by_id",
    "reported_at", "done_at", "disputed_at", "waived_at", "waive_reason",
)


_PAGES: Built[Select[Any]] = Built()


def list_tasks(
    session: Session, current: CurrentUser, filters: TaskFilters, *, cursor: str | None, limit: int,
) -> dict[str, Any]:
    scope = task_scope(session, current)
    clock = DeadlineClock.now()
    after = decode_cursor(cursor, 1)
    # The page's statement is built once per caller, shape of filters and day (``luoshi.memo``);
    # the filters' values are bound.
    statement = _PAGES.get((scope.key, filters.shape(), clock, after is not None, limit), lambda: repo.summary_page(
        scope.clause(), filters.clauses(clock), scope.unit_id, scope.office_issued(),
        paged=after is not None, limit=limit + 1))
    params = filters.params() | ({"before_id": int(after[0])} if after else {})
    rows = read_records(session, statement, params)
    page = rows[:limit]
    return {
        "items": [_row_summary(row, scope, clock) for row in page],
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
