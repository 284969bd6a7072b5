"""How the domains that hang records under a task (reports, extensions, disputes, attachments)
reach it: through the task core's scope.

Every route of these domains loads its task here, so the BOLA rule (404 out of scope, before
any 403) is the task core's one rule (``luoshi.tasks.scope``) for all of them, and asks the
request table (``TaskContext.check``) what the caller may do. Only tasks the caller sees in
full count: the ancestor chain shown as context opens no reports or files. Their events go to
the task's history through the task core's writer (``add_event``).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from luoshi.errors import Conflict, NotFound
from luoshi.security import CurrentUser
from luoshi.tasks.events import record_event
from luoshi.tasks.models import Assignment, Task, TaskEvent
from luoshi.tasks.scope import TaskScope, load_visible_task, task_scope
from luoshi.tasks.transitions import MANAGERS, Party, Refusal, Request


@dataclass
class TaskContext:
    """A task the caller may see, who the caller is to it, and the caller's unit's assignment."""

    task: Task
    parties: frozenset[Party]
    assignment: Assignment | None
    scope: TaskScope

    def check(self, request: Request, deadline_passed: bool = False) -> Refusal | None:
        """The task core's request table (``transitions.REQUESTS``) for this caller and task."""
        return self.scope.check(request, self.task, deadline_passed)

    @property
    def is_lead(self) -> bool:
        return Party.lead in self.parties

    @property
    def is_cooperating(self) -> bool:
        return Party.cooperating in self.parties

    @property
    def is_participant(self) -> bool:
        return self.is_lead or self.is_cooperating

    @property
    def is_manager(self) -> bool:
        """The office (or the unit that decomposed the task): receives the lead unit's reports."""
        return bool(self.parties & MANAGERS)


def load_task(session: Session, current: CurrentUser, task_id: int) -> TaskContext:
    """The task in the caller's scope, or 404 whether it is missing or merely out of scope."""
    task = load_visible_task(session, current, task_id)
    scope = task_scope(session, current)
    parties = scope.parties(task)
    own = scope.own_assignment(task.assignments) if parties & {Party.lead, Party.cooperating} else None
    return TaskContext(task, parties, own, scope)


def load_task_of(session: Session, current: CurrentUser, task_id: int, not_found: str) -> TaskContext:
    """For a record under a task (report, file, request): out of scope answers exactly like a
    missing record, with the record's own code, so nothing tells the two apart."""
    try:
        return load_task(session, current, task_id)
    except NotFound as exc:
        raise NotFound(not_found) from exc


def assignment_of(session: Session, task_id: int, unit_id: int) -> Assignment | None:
    return session.execute(
        select(Assignment).where(Assignment.task_id == task_id, Assignment.unit_id == unit_id)
    ).scalar_one_or_none()


def add_event(
    session: Session,
    current: CurrentUser,
    task: Task,
    action: str,
    *,
    reason: str | None = None,
    assignment_id: int | None = None,
    payload: dict[str, Any] | None = None,
    from_status: str | None = None,
) -> TaskEvent:
    """An event on the task's history (and its audit entry), through the task core's writer."""
    return record_event(
        session, task, current.actor, action, from_status=from_status or task.status, to_status=task.status,
        reason=reason, assignment_id=assignment_id, payload=payload,
    )


@contextmanager
def conflict_on_stale() -> Iterator[None]:
    """A row changed by someone else since it was read (version check) is a 409, wherever the
    flush happens (ours, or one inside a task core call)."""
    try:
        yield
    except StaleDataError as exc:
        raise Conflict("task.concurrent_change") from exc


def flush(session: Session) -> None:
    with conflict_on_stale():
        session.flush()


