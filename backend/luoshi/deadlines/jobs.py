"""The deadline jobs, in the order a worker runs them each tick."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.deadlines import scan
from luoshi.deadlines.models import ScanCursor
from luoshi.deadlines.reconcile import consume_task_events, find_drifted_tasks, reconcile
from luoshi.deadlines.scan import _dialect_insert
from luoshi.deadlines.states import local_today

DAILY = "deadlines_daily"


def sync_tasks(session: Session) -> dict[str, int]:
    """Obligations for newly issued tasks; signatures, extensions, suspensions since last time."""
    return consume_task_events(session)


def daily_rescan(session: Session) -> dict[str, int]:
    """Once a day: re-derive every open obligation and re-plan tasks whose deadline drifted."""
    today = local_today().toordinal()
    cursor = session.get(ScanCursor, DAILY)
    if cursor is not None and cursor.position >= today:
        return {}
    session.execute(_dialect_insert(session, ScanCursor).values(name=DAILY, position=0)
                    .on_conflict_do_nothing())
    cursor = session.execute(select(ScanCursor).where(ScanCursor.name == DAILY).with_for_update()
                             .execution_options(populate_existing=True)).scalar_one()
    if cursor.position >= today:
        return {}
    drifted = find_drifted_tasks(session)
    counts = reconcile(session, drifted)
    result = scan.tick(session, full=True)
    cursor.position = today
    cursor.updated_at = utcnow()
    return {"drifted": len(drifted), **{f"reconcile_{k}": v for k, v in counts.items()}, **result}


def deadline_tick(session: Session) -> dict[str, int]:
    """Rows whose next boundary has come: colours, ladder, events and notifications."""
    return scan.tick(session)


DEADLINE_JOBS = {
    "deadlines.sync": sync_tasks,
    "deadlines.daily": daily_rescan,
    "deadlines.scan": deadline_tick,
}
