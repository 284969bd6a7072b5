"""The task list's filters, written once: the list and the ledger export select the same tasks."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy import ColumnElement, bindparam, or_

from luoshi.tasks import repository as repo
from luoshi.tasks.deadline_state import DeadlineClock
from luoshi.tasks.models import DeadlineState, SourceType, Task, TaskStatus

# The filters given as one value (or list) each, compared with the task's columns. Each is a
# parameter bound by its name, so a statement built for some values serves any others of the same
# shape (``TaskFilters.shape``, ``params``): the list keeps one statement per shape, not one per
# tree, parent or search term opened. (name, condition on the bound value, a list?)
_BOUND: tuple[tuple[str, Callable[[Any], ColumnElement[bool]], bool], ...] = (
    ("status", lambda v: Task.status.in_(v), True),
    ("lead_unit_id", lambda v: Task.lead_unit_id == v, False),
    ("unit_id", repo.takes_part_clause, False),
    ("leader_id", lambda v: Task.leader_id == v, False),
    ("source_type", lambda v: Task.source_type == v, False),
    ("q", repo.search_clause, False),
    ("due_before", lambda v: Task.deadline_date <= v, False),
    ("due_after", lambda v: Task.deadline_date >= v, False),
    ("root_id", lambda v: Task.root_id == v, False),
    ("parent_id", lambda v: Task.parent_id == v, False),
)


@dataclass(frozen=True)
class TaskFilters:
    status: tuple[TaskStatus, ...] = ()
    deadline_state: tuple[DeadlineState, ...] = ()
    lead_unit_id: int | None = None
    unit_id: int | None = None
    leader_id: int | None = None
    source_type: SourceType | None = None
    q: str | None = None
    due_before: date | None = None
    due_after: date | None = None
    root_id: int | None = None
    parent_id: int | None = None

    def params(self) -> dict[str, Any]:
        """The values of the filters given, by the names ``clauses`` binds them under."""
        values = {
            "status": list(self.status) or None, "lead_unit_id": self.lead_unit_id, "unit_id": self.unit_id,
            "leader_id": self.leader_id, "source_type": self.source_type,
            "q": repo.like_pattern(self.q) if self.q else None,
            "due_before": self.due_before, "due_after": self.due_after, "root_id": self.root_id,
            "parent_id": self.parent_id,
        }
        return {name: value for name, value in values.items() if value is not None}

    def shape(self) -> Hashable:
        """What the form of ``clauses`` depends on besides the clock: which filters are given
        and the deadline states asked for; not the bound values."""
        return tuple(sorted(self.params())), frozenset(self.deadline_state)

    def clauses(self, clock: DeadlineClock) -> list[ColumnElement[bool]]:
        """The SQL conditions on ``Task``, all of which must hold (deadline states against
        ``clock``). The values are bound with this instance's own; a statement built from
        another instance of the same ``shape`` runs with ``params()`` instead."""
        given = self.params()
        out = [condition(bindparam(name, given[name], expanding=is_list))
               for name, condition, is_list in _BOUND if name in given]
        if self.deadline_state:
            out.append(or_(*(clock.clause(state) for state in set(self.deadline_state))))
        return out


async def task_filters(
    status: Annotated[list[TaskStatus] | None, Query(description="Any of these statuses")] = None,
    deadline_state: Annotated[list[DeadlineState] | None, Query(description="Any of these deadline states now")] = None,
    lead_unit_id: Annotated[int | None, Query(description="Led by this unit")] = None,
    unit_id: Annotated[int | None, Query(description="This unit takes part (lead or cooperating)")] = None,
    leader_id: Annotated[int | None, Query(description="This leader is in charge")] = None,
    source_type: Annotated[SourceType | None, Query(description="From this kind of source")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Words in the title, requirements or 文号")] = None,
    due_before: Annotated[date | None, Query(description="Deadline on or before")] = None,
    due_after: Annotated[date | None, Query(description="Deadline on or after")] = None,
    root_id: Annotated[int | None, Query(description="Only this tree")] = None,
    parent_id: Annotated[int | None, Query(
        description="Only the direct children of this task (not their sub-tasks, not the task itself)")] = None,
) -> TaskFilters:
    """The filters as query parameters, for every route that selects tasks like the list (no I/O:
    async, so parsing them costs no trip to the thread pool)."""
    return TaskFilters(
        status=tuple(status or ()), deadline_state=tuple(deadline_state or ()),
        lead_unit_id=lead_unit_id, unit_id=unit_id, leader_id=leader_id, source_type=source_type,
        q=(q or "").strip() or None, due_before=due_before, due_after=due_after, root_id=root_id,
        parent_id=parent_id,
    )


TaskFiltersDep = Annotated[TaskFilters, Depends(task_filters)]
