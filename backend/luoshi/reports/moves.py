"""Applying a report's move: the one place a report's status changes, and what each move sets
off in the task core (a cooperating part reported or returned, the task's progress)."""

from typing import Any

from sqlalchemy.orm import Session

from luoshi.audit.service import Actor as AuditActor
from luoshi.clock import utcnow
from luoshi.deadlines.service import fulfil_obligation
from luoshi.reports import repository as repo
from luoshi.reports.models import Report, ReportCapacity, ReportKind, ReportStatus
from luoshi.reports.rules import EVENTS, ReportAction
from luoshi.tasks.access import flush
from luoshi.tasks.assignments import mark_assignment_part_returned, mark_assignment_reported
from luoshi.tasks.events import record_event
from luoshi.tasks.lifecycle import set_task_progress
from luoshi.tasks.models import AssignmentState, Task


def move(
    session: Session, actor: AuditActor, task: Task, report: Report, action: ReportAction, to: ReportStatus,
    reason: str | None = None, payload: dict[str, Any] | None = None,
) -> None:
    """Set the new status, stamp who and when, and write the event; the one place status changes.

    The caller has checked the move against ``rules.TRANSITIONS`` and the caller's capacity."""
    now, user_id = utcnow(), actor.user_id
    before = report.status
    report.status = to
    report.updated_by_id = user_id or report.updated_by_id
    if action in (ReportAction.approve_unit, ReportAction.return_unit):
        report.unit_approved_by_id, report.unit_approved_at = user_id, now
    if action in (ReportAction.accept, ReportAction.return_):
        report.reviewed_by_id, report.reviewed_at = user_id, now
    if to == ReportStatus.returned:
        report.return_reason = reason
    if action == ReportAction.return_:
        report.return_count += 1
    if to == ReportStatus.submitted:
        report.submitted_by_id, report.submitted_at = user_id, now
        _on_sent(session, actor, task, report)
    if action == ReportAction.return_ and report.capacity == ReportCapacity.cooperating:
        _on_part_returned(session, task, report, actor, reason)
    record_event(session, task, actor, EVENTS[action], from_status=task.status, to_status=task.status,
                 reason=reason, payload={"report_id": report.id, "unit_id": report.unit_id,
                                         "capacity": report.capacity, "kind": report.kind, "from": before,
                                         "to": to.value, **(payload or {})})
    flush(session)


def _on_sent(session: Session, actor: AuditActor, task: Task, report: Report) -> None:
    """A cooperating unit's part reaches the lead unit: its assignment is reported. The lead
    unit's figure becomes the task's progress where nothing rolls up into it."""
    if report.capacity == ReportCapacity.cooperating:
        mark_assignment_reported(session, task, report.unit_id, actor)
    elif report.percent_done is not None and not repo.has_children(session, task.id):
        set_task_progress(session, task, report.percent_done, actor)
    if report.kind != ReportKind.completion:
        # Meets the unit's earliest open report date (回告节点) at once; the worker's pass over
        # report events finds it already met by this reference and leaves it.
        fulfil_obligation(session, task_id=task.id, unit_id=report.unit_id, at=report.submitted_at,
                          ref=f"report:{report.id}")


def _on_part_returned(session: Session, task: Task, report: Report, actor: AuditActor, reason: str | None) -> None:
    """The part goes back to the cooperating unit: it owes its part again."""
    assignment = next((a for a in task.assignments if a.unit_id == report.unit_id), None)
    if assignment is not None and assignment.state == AssignmentState.reported:
        mark_assignment_part_returned(session, task, report.unit_id, actor, reason)


def completion_report_ready(session: Session, task_id: int, lead_unit_id: int) -> bool:
    """申请办结 needs the lead unit's newest completion report sent to the office (or accepted)."""
    report = repo.latest_completion(session, task_id, lead_unit_id)
    return report is not None and report.status in (ReportStatus.submitted, ReportStatus.accepted)

