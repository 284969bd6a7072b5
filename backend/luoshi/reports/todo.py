"""What reports, extension requests and disputes put on a user's to-do list (我的待办).

- review: reports sent to the caller (the office or decomposing unit for a lead unit's report,
  the lead unit for a cooperating unit's part);
- approve: the unit's reports waiting for its head (单位把关), extension requests to decide;
- respond: disputes ("not ours") waiting for the office.

Each group costs one query whatever the data (the full count comes with the rows).
"""

from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, literal, or_, select
from sqlalchemy.orm import Session

from luoshi.disputes.models import Dispute, DisputeStatus
from luoshi.extensions.models import ExtensionRequest, ExtensionStatus
from luoshi.org.models import Unit
from luoshi.permissions import Permission
from luoshi.reports.models import Report, ReportCapacity, ReportKind, ReportStatus
from luoshi.security import CurrentUser
from luoshi.settings import get_settings
from luoshi.tasks.deadline_state import DeadlineClock
from luoshi.tasks.models import Task, TaskStatus
from luoshi.tasks.scope import TaskScope, task_scope
from luoshi.todo.registry import register
from luoshi.todo.schemas import TodoGroup, TodoItem, TodoKind

OPEN = (TaskStatus.assigned, TaskStatus.in_progress, TaskStatus.pending_review)


def _group(session: Session, kind: TodoKind, query: Select[Any], since: Any, limit: int,
           clock: DeadlineClock) -> TodoGroup:
    rows = session.execute(
        query.add_columns(func.count().over().label("total"))
        .order_by(Task.deadline_date.is_(None), Task.deadline_date, since).limit(max(limit, 1))
    ).all()
    items = [TodoItem(kind=kind, ref_type=r.ref_type, ref_id=r.ref_id, task_id=r.task_id, title=r.title,
                      unit_name=r.unit_name, due_date=r.due_date,
                      deadline_state=clock.state(r.status, r.due_date, None), since=r.since)
             for r in rows] if limit else []
    return TodoGroup(kind=kind, count=rows[0].total if rows else 0, items=items)


def _rows(ref_type: str, model: Any, since: Any, *where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(literal(ref_type).label("ref_type"), model.id.label("ref_id"), Task.id.label("task_id"), Task.title,
               Task.status, Unit.short_name.label("unit_name"), Task.deadline_date.label("due_date"),
               since.label("since"))
        .join(Task, Task.id == model.task_id).join(Unit, Unit.id == model.unit_id)
        .where(Task.status.in_(OPEN), *where)
    )


def _office(scope: TaskScope) -> ColumnElement[bool]:
    """Tasks the caller answers for as the office: its jurisdiction issued them."""
    office = scope.office_issued() if scope.manages else None
    return office if office is not None else false()


def _managed(scope: TaskScope) -> ColumnElement[bool]:
    """As the office, or as the unit that decomposed the task to a sub-unit."""
    return or_(_office(scope), Task.issuer_unit_id == scope.unit_id) if scope.decomposes else _office(scope)


@register
def reports_todo(session: Session, current: CurrentUser, limit: int) -> list[TodoGroup]:
    scope = task_scope(session, current)
    clock = DeadlineClock.now()
    groups: list[TodoGroup] = []
    to_review: list[ColumnElement[bool]] = []
    if current.can(Permission.reports_review) or scope.decomposes:
        # A completion report on a task awaiting approval is decided by approving or returning the
        # task (the "approve" group), so it is not listed a second time here.
        awaiting_task_decision = (Report.kind == ReportKind.completion) & (Task.status == TaskStatus.pending_review)
        to_review.append((Report.capacity == ReportCapacity.lead) & ~awaiting_task_decision & _managed(scope))
    if scope.handles:
        to_review.append((Report.capacity == ReportCapacity.cooperating) & (Task.lead_unit_id == scope.unit_id))
    if to_review:
        query = _rows("report", Report, Report.submitted_at, Report.status == ReportStatus.submitted,
                      or_(*to_review))
        groups.append(_group(session, TodoKind.review, query, Report.submitted_at, limit, clock))
    approvals: list[TodoGroup] = []
    if current.can(Permission.reports_approve_unit):
        query = _rows("report", Report, Report.updated_at, Report.status == ReportStatus.pending_unit_approval,
                      Report.unit_id == scope.unit_id)
        approvals.append(_group(session, TodoKind.approve, query, Report.updated_at, limit, clock))
    if current.can(Permission.extensions_decide):
        # Mirrors extensions.service._may_decide: the office, or the leader in charge when so set.
        mine = _office(scope)
        if get_settings().extension_decided_by == "leader":
            mine = or_(Task.leader_id == current.id, Task.leader_id.is_(None) & mine)
        query = _rows("extension", ExtensionRequest, ExtensionRequest.created_at,
                      ExtensionRequest.status == ExtensionStatus.pending, mine)
        approvals.append(_group(session, TodoKind.approve, query, ExtensionRequest.created_at, limit, clock))
    groups += approvals
    if current.can(Permission.disputes_decide) and scope.manages:
        query = _rows("dispute", Dispute, Dispute.created_at, Dispute.status == DisputeStatus.pending,
                      _office(scope))
        groups.append(_group(session, TodoKind.respond, query, Dispute.created_at, limit, clock))
    return groups
