"""The task list's filters, written once: the list and the ledger export select the same tasks."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy import ColumnElement, or_

from luoshi.tasks import repository as repo
from luoshi.tasks.deadline_state import DeadlineClock
from luoshi.tasks.models import DeadlineState, SourceType, Task, TaskStatus


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

    def clauses(self, clock: DeadlineClock) -> list[ColumnElement[bool]]:
        """The SQL conditions on ``Task``, all of which must hold (deadline states against ``clock``)."""
        out: list[ColumnElement[bool]] = []
        if self.status:
            out.append(Task.status.in_(list(self.status)))
        if self.deadline_state:
            out.append(or_(*(clock.clause(state) for state in set(self.deadline_state))))
        if self.lead_unit_id is not None:
            out.append(Task.lead_unit_id == self.lead_unit_id)
        if self.unit_id is not None:
            out.append(repo.takes_part_clause(self.unit_id))
        if self.leader_id is not None:
            out.append(Task.leader_id == self.leader_id)
        if self.source_type is not None:
            out.append(Task.source_type == self.source_type)
        if self.q:
            out.append(repo.search_clause(self.q))
        if self.due_before is not None:
            out.append(Task.deadline_date <= self.due_before)
        if self.due_after is not None:
            out.append(Task.deadline_date >= self.due_after)
        if self.root_id is not None:
            out.append(Task.root_id == self.root_id)
        if self.parent_id is not None:
            out.append(Task.parent_id == self.parent_id)
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
