"""Data scope (BOLA) for tasks, in one place: which tasks a caller sees and who they are to each.

- a supervisor sees the tasks whose lead unit or issuing unit lies in the office's
  jurisdiction (the subtree of the office's parent unit), and a chief leader (主要领导) too;
- a leader sees the tasks they are in charge of (分管) and everything below them;
- unit staff and heads see the issued tasks their unit takes part in (lead or cooperating) and
  the tasks their unit decomposed to others (drafts included);
  the ancestor chain of a visible task is shown as read-only context on its detail.

Anything else answers 404. Other domains (reports, attachments, events) load tasks through
``load_visible_task`` and ask ``TaskScope.parties`` who the caller is.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, false, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from luoshi.db import sqlite_unindexed
from luoshi.errors import NotFound
from luoshi.memo import Built
from luoshi.org.models import Unit, UnitKind
from luoshi.org.repository import subtree_ids_select
from luoshi.permissions import Permission, Role
from luoshi.security import CallerUnit, CurrentUser
from luoshi.tasks import messages  # noqa: F401
from luoshi.tasks.models import Assignment, Capacity, Task, TaskStatus
from luoshi.tasks.transitions import Party, Refusal, Request, check_request


def jurisdiction_path(unit: Unit | CallerUnit) -> str:
    """A supervision office's jurisdiction is its parent's subtree; any other unit's is its own."""
    if unit.kind == UnitKind.office and unit.parent_id is not None:
        return unit.path[: unit.path.rstrip("/").rfind("/") + 1]
    return unit.path


@dataclass(frozen=True)
class TaskScope:
    user_id: int
    unit_id: int
    unit_path: str
    reads: bool
    manages: bool  # supervisors: manage what their office's jurisdiction issued
    handles: bool  # unit staff and heads: sign, report, submit
    decomposes: bool
    leads_all: bool  # a chief leader sees the whole jurisdiction
    leader: bool
    # The jurisdiction of supervisors and chief leaders as a unit path prefix; None for everyone
    # else. SQL uses a sub-select on it rather than inlining hundreds of unit ids.
    jurisdiction_root_path: str | None = None
    # The caller's permissions, for the requests of ``transitions.REQUESTS``.
    permissions: frozenset[Permission] = frozenset()
    # Reads the jurisdiction's unit ids, once, the first time Python needs them (most reads
    # never do: the SQL scope works on the path).
    load_jurisdiction: Callable[[str], frozenset[int]] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def key(self) -> tuple[object, ...]:
        """Everything that decides what the caller sees and may do (every compared field, so a
        field added later is part of it): statements built from the scope are kept under it
        (``luoshi.memo``)."""
        return tuple(getattr(self, f.name) for f in fields(self) if f.compare)

    @cached_property
    def fingerprint(self) -> str:
        """``key`` as text that reads the same in every worker process, for what is hashed and
        compared across them (the tree's ETag): a set's printed order follows the process's
        string hashing, so sets are written sorted."""
        return repr(tuple(sorted(v) if isinstance(v, frozenset) else v for v in self.key))

    @cached_property
    def jurisdiction_ids(self) -> frozenset[int] | None:
        """Units of the jurisdiction, for supervisors and chief leaders; None for everyone else."""
        if self.jurisdiction_root_path is None or self.load_jurisdiction is None:
            return None
        return self.load_jurisdiction(self.jurisdiction_root_path)

    def office_issued(self) -> ColumnElement[bool] | None:
        """Issued by a unit of the office's jurisdiction (a sub-select on the unit path), or None.

        SQLite may not reach tasks through their issuer here (``db.sqlite_unindexed``): one
        issuer holds nearly every task, so with the jurisdiction's list of issuers as an index
        key SQLite scanned all 100,000 tasks for the 5,000 awaiting approval (22 ms on the bench
        dataset), where by status it reads those 5,000 (11 ms). The other queries that ask this
        start from a short queue (disputes, extension requests, coordination requests waiting)
        and reach each task by its id.
        """
        if self.jurisdiction_root_path is None:
            return None
        return sqlite_unindexed(Task.issuer_unit_id).in_(subtree_ids_select(self.jurisdiction_root_path))

    def as_office(self) -> ColumnElement[bool]:
        """Tasks the caller answers for as the office (``Party.supervisor``): a supervisor's
        jurisdiction issued them. None at all for any other caller."""
        office = self.office_issued() if self.manages else None
        return false() if office is None else office

    def decided_here(self) -> ColumnElement[bool] | None:
        """Tasks whose reports and completion the caller decides: issued by the office's
        jurisdiction (a supervisor) or by the caller's own unit (a unit that decomposed them);
        None when neither.

        The own unit's term is left out when the jurisdiction already holds that unit. Beside
        the jurisdiction's sub-select it would only add an OR, and an OR keeps PostgreSQL from
        reaching the tasks by key: the to-do then read every open task to find a few hundred.
        """
        office = self.office_issued() if self.manages else None
        own = None
        if self.decomposes and not (office is not None and self.in_jurisdiction(self.unit_path)):
            # As a set of ids found through the issuer's index: SQLite, which reckons a unit
            # issues as many tasks as the office, otherwise scans every task for a unit's few.
            issued = aliased(Task)
            own = Task.id.in_(select(issued.id).where(issued.issuer_unit_id == self.unit_id))
        terms = [term for term in (office, own) if term is not None]
        return or_(*terms) if terms else None

    def clause(self) -> ColumnElement[bool]:
        """The SQL condition on ``Task`` for "the caller may see this task in full"."""
        if not self.reads:
            return false()
        parts: list[ColumnElement[bool]] = []
        if self.jurisdiction_root_path is not None:
            units = subtree_ids_select(self.jurisdiction_root_path)
            parts.append(or_(Task.lead_unit_id.in_(units), Task.issuer_unit_id.in_(units)))
        # The others are sets of ids, each found through an index (hashed once per query), not
        # a sub-query run for every row: what a leader is in charge of, what a unit takes part
        # in (once issued) or decomposed to others.
        if self.leader and not self.leads_all:
            above, below = aliased(Task), aliased(Task)
            parts.append(Task.id.in_(
                select(below.id).join(above, and_(above.root_id == below.root_id,
                                                  below.path.startswith(above.path)))
                .where(above.leader_id == self.user_id)
            ))
        if self.handles or self.decomposes:
            takes_part = select(Assignment.task_id).where(Assignment.unit_id == self.unit_id)
            parts.append(and_(Task.status != TaskStatus.draft, Task.id.in_(takes_part)))
            parts.append(Task.issuer_unit_id == self.unit_id)
        return or_(*parts) if parts else false()

    def parties(self, task: Task) -> frozenset[Party]:
        """Who the caller is to a visible task (its assignments must be loaded)."""
        own = self.own_assignment(task.assignments)
        # The issuing unit comes loaded with the task: its path says whether it lies in the
        # jurisdiction without reading the jurisdiction's unit ids.
        return self.parties_of(task.issuer_unit_id, own.capacity if own else None,
                               self.in_jurisdiction(task.issuer_unit.path))

    def in_jurisdiction(self, unit_path: str) -> bool:
        """Whether the unit at ``unit_path`` lies in the office's jurisdiction (False for callers
        without one)."""
        return self.jurisdiction_root_path is not None and unit_path.startswith(self.jurisdiction_root_path)

    def parties_of(self, issuer_unit_id: int, own_capacity: str | None,
                   office_issued: bool | None = None) -> frozenset[Party]:
        """The same from plain values: the issuing unit, the capacity of the caller's unit and,
        when the query already said so (``office_issued()`` as a column), whether the office's
        jurisdiction issued the task."""
        out: set[Party] = set()
        if office_issued is None:
            office_issued = self.jurisdiction_ids is not None and issuer_unit_id in self.jurisdiction_ids
        if self.manages and office_issued:
            out.add(Party.supervisor)
        if self.decomposes and issuer_unit_id == self.unit_id:
            out.add(Party.issuing_unit)
        if self.handles and own_capacity is not None:
            out.add(Party.lead if own_capacity == Capacity.lead else Party.cooperating)
        return frozenset(out)

    def own_assignment(self, assignments: Iterable[Any]) -> Any | None:
        """The caller's unit's row among a task's ``assignments`` (entities or records), if any."""
        return next((a for a in assignments if a.unit_id == self.unit_id), None)

    def check(self, request: Request, task: Task, deadline_passed: bool = False) -> Refusal | None:
        """May the caller ask this of the task now (``transitions.REQUESTS``)? None when so."""
        own = self.own_assignment(task.assignments) if self.handles else None
        return check_request(request, task.status, self.parties(task), self.permissions,
                             own.state if own else None, deadline_passed)


def task_scope(session: Session, current: CurrentUser) -> TaskScope:
    """The caller's scope; cached on the request's user so a request builds it once."""
    if current.task_scope is not None:
        return current.task_scope
    unit = current.user.unit
    manages = current.can(Permission.tasks_manage)
    leads_all = current.has_role(Role.leader) and current.user.is_chief
    root = jurisdiction_path(unit) if manages or leads_all else None

    def load_jurisdiction(path: str) -> frozenset[int]:
        return frozenset(session.execute(select(Unit.id).where(Unit.path.startswith(path, autoescape=True))).scalars())

    scope = TaskScope(
        user_id=current.id, unit_id=unit.id, unit_path=unit.path,
        reads=current.can(Permission.tasks_read), manages=manages,
        handles=current.can(Permission.tasks_handle),
        decomposes=current.can(Permission.tasks_decompose),
        leads_all=leads_all, leader=current.has_role(Role.leader),
        jurisdiction_root_path=root, permissions=current.permissions, load_jurisdiction=load_jurisdiction,
    )
    current.task_scope = scope
    return scope


# Statements built once per caller scope (``luoshi.memo``), the task id bound when run.
_VISIBLE_TASK: Built[Select[tuple[Task]]] = Built()


def load_visible_task(session: Session, current: CurrentUser, task_id: int) -> Task:
    """The task with its assignments, or 404 when it does not exist or is out of the caller's scope."""
    scope = task_scope(session, current)
    # Assignments come in a second query: joined into this one, SQLite's planner stops using
    # the primary key under the scope's OR and scans (half a second on 100,000 tasks).
    statement = _VISIBLE_TASK.get(scope.key, lambda: select(Task).where(
        Task.id == bindparam("task_id"), scope.clause()).options(selectinload(Task.assignments)))
    task = session.execute(statement, {"task_id": task_id}).scalar_one_or_none()
    if task is None:
        raise NotFound("task.not_found")
    return task
