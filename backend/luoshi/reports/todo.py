"""What reports, extension requests and disputes put on a user's to-do list (我的待办).

- review: reports sent to the caller (the office or decomposing unit for a lead unit's report,
  the lead unit for a cooperating unit's part);
- approve: the unit's reports waiting for its head (单位把关), extension requests the caller
  decides (who that is: ``luoshi.extensions.rules``);
- respond: disputes ("not ours") waiting for the office.

Each is a part of the one to-do statement (``luoshi.todo.registry``), most urgent first.
"""

from typing import Any

from sqlalchemy import ColumnElement, Row, Select, false, literal, select
from sqlalchemy.orm import Session

from luoshi.disputes.models import Dispute, DisputeStatus
from luoshi.extensions.models import ExtensionRequest, ExtensionStatus
from luoshi.extensions.rules import may_decide_where
from luoshi.permissions import Permission
from luoshi.reports.models import Report, ReportCapacity, ReportKind, ReportStatus
from luoshi.security import CurrentUser
from luoshi.tasks.deadline_state import DeadlineClock
from luoshi.tasks.models import DeadlineState, Task, TaskStatus
from luoshi.tasks.scope import TaskScope, task_scope
from luoshi.todo.registry import TodoPart, register
from luoshi.todo.schemas import TodoKind

OPEN = (TaskStatus.assigned, TaskStatus.in_progress, TaskStatus.pending_review)


def _rows(ref_type: str, model: Any, since: Any, *where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(literal(ref_type).label("ref_type"), model.id.label("ref_id"), Task.id.label("task_id"), Task.title,
               Task.status, model.unit_id, Task.deadline_date.label("due_date"), since.label("since"))
        .join(Task, Task.id == model.task_id)
        .where(Task.status.in_(OPEN), *where)
    )


def _managed(scope: TaskScope) -> ColumnElement[bool]:
    """As the office, or as the unit that decomposed the task to a sub-unit."""
    decided = scope.decided_here()
    return decided if decided is not None else false()


@register
def reports_todo(session: Session, current: CurrentUser) -> list[TodoPart]:
    scope = task_scope(session, current)
    clock = DeadlineClock.now()

    def state(row: Row[Any]) -> DeadlineState | None:
        return clock.state(row.status, row.due_date, None)

    def part(kind: TodoKind, query: Select[Any], since: Any) -> TodoPart:
        return TodoPart(kind, query, (Task.deadline_date.is_(None), Task.deadline_date, since), state)

    parts: list[TodoPart] = []
    to_review: list[ColumnElement[bool]] = []
    if current.can(Permission.reports_review) or scope.decomposes:
        # A completion report on a task awaiting approval is decided by approving or returning the
        # task (the "approve" group), so it is not listed a second time here.
        awaiting_task_decision = (Report.kind == ReportKind.completion) & (Task.status == TaskStatus.pending_review)
        to_review.append((Report.capacity == ReportCapacity.lead) & ~awaiting_task_decision & _managed(scope))
    if scope.handles:
        to_review.append((Report.capacity == ReportCapacity.cooperating) & (Task.lead_unit_id == scope.unit_id))
    # One part each (they cannot overlap: a report is the lead unit's or a cooperating unit's),
    # so that each reaches its tasks through its own index rather than reading every report
    # waiting for review anywhere and testing an OR of both on its task.
    for reviewed_here in to_review:
        query = _rows("report", Report, Report.submitted_at, Report.status == ReportStatus.submitted,
                      reviewed_here)
        parts.append(part(TodoKind.review, query, Report.submitted_at))
    if current.can(Permission.reports_approve_unit):
        query = _rows("report", Report, Report.updated_at, Report.status == ReportStatus.pending_unit_approval,
                      Report.unit_id == scope.unit_id)
        parts.append(part(TodoKind.approve, query, Report.updated_at))
    decides = may_decide_where(scope, current)
    if decides is not None:
        query = _rows("extension", ExtensionRequest, ExtensionRequest.created_at,
                      ExtensionRequest.status == ExtensionStatus.pending, decides)
        parts.append(part(TodoKind.approve, query, ExtensionRequest.created_at))
    if current.can(Permission.disputes_decide) and scope.manages:
        query = _rows("dispute", Dispute, Dispute.created_at, Dispute.status == DisputeStatus.pending,
                      scope.as_office())
        parts.append(part(TodoKind.respond, query, Dispute.created_at))
    return parts
