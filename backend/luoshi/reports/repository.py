"""SQL for reports."""

from collections.abc import Sequence

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from luoshi.reports.models import UNSENT, Report, ReportCapacity, ReportStatus
from luoshi.tasks.models import Task

SENT = (ReportStatus.submitted, ReportStatus.accepted)


def get(session: Session, report_id: int) -> Report | None:
    return session.get(Report, report_id)


def page(
    session: Session, task_id: int, visible: ColumnElement[bool], *, before_id: int | None, limit: int,
) -> Sequence[Report]:
    query = select(Report).where(Report.task_id == task_id, visible).order_by(Report.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(Report.id < before_id)
    return session.execute(query).scalars().all()


def visible_condition(unit_id: int | None, sees_sent: bool) -> ColumnElement[bool]:
    """Own unit's reports in any state; others' only once sent, and only for those who receive them."""
    own = Report.unit_id == unit_id if unit_id is not None else false()
    sent = Report.status.not_in([s.value for s in UNSENT]) if sees_sent else false()
    return or_(own, sent)


def open_report(session: Session, task_id: int, unit_id: int) -> Report | None:
    return session.execute(
        select(Report).where(
            Report.task_id == task_id, Report.unit_id == unit_id,
            Report.status.in_([s.value for s in UNSENT]),
        ).limit(1)
    ).scalar_one_or_none()


def latest_sent_parts(session: Session, task_id: int) -> dict[int, Report]:
    """Each cooperating unit's newest report to the lead unit, by unit id (one query)."""
    rows = session.execute(
        select(Report).where(
            Report.task_id == task_id, Report.capacity == ReportCapacity.cooperating,
            Report.status.in_([s.value for s in SENT]),
        ).order_by(Report.id)
    ).scalars().all()
    return {r.unit_id: r for r in rows}


def latest_completion(session: Session, task_id: int, unit_id: int) -> Report | None:
    return session.execute(
        select(Report).where(
            Report.task_id == task_id, Report.unit_id == unit_id, Report.capacity == ReportCapacity.lead,
            Report.kind == "completion",
        ).order_by(Report.id.desc()).limit(1)
    ).scalar_one_or_none()


def has_children(session: Session, task_id: int) -> bool:
    return session.execute(select(Task.id).where(Task.parent_id == task_id).limit(1)).first() is not None
