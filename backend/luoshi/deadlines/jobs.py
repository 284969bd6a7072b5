"""The deadline jobs, in the order a worker runs them each tick."""

from sqlalchemy import Date, case, literal, select, update
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.deadlines import scan
from luoshi.deadlines.calendar import warning_date
from luoshi.deadlines.models import Obligation, ScanCursor
from luoshi.deadlines.reconcile import consume_task_events, find_drifted_tasks, reconcile
from luoshi.deadlines.scan import _dialect_insert
from luoshi.deadlines.states import local_today
from luoshi.settings import get_settings

DAILY = "deadlines_daily"
WINDOW = "deadlines_warning_window"


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
    rewarned = _rewarn_if_window_changed(session)
    result = scan.tick(session, full=True)
    cursor.position = today
    cursor.updated_at = utcnow()
    session.flush()
    return {"drifted": len(drifted), "rewarned": rewarned,
            **{f"reconcile_{k}": v for k, v in counts.items()}, **result}


def _rewarn_if_window_changed(session: Session) -> int:
    """The warning window is a setting: when it changes, every open obligation's warning date
    is derived again (one UPDATE over the distinct due dates), before the full rescan."""
    window = get_settings().warning_window_working_days
    cursor = session.get(ScanCursor, WINDOW)
    if cursor is None:  # the first run: every warning date was made with today's window
        session.add(ScanCursor(name=WINDOW, position=window, updated_at=utcnow()))
        return 0
    if cursor.position == window:
        return 0
    dues = list(session.execute(select(Obligation.due_date).where(Obligation.closed_at.is_(None)).distinct())
                .scalars())
    changed = 0
    for i in range(0, len(dues), 500):
        chunk = dues[i:i + 500]
        mapping = case(*((Obligation.due_date == d, literal(warning_date(d, window), Date())) for d in chunk))
        changed += session.execute(
            update(Obligation).where(Obligation.closed_at.is_(None), Obligation.due_date.in_(chunk),
                                     Obligation.warn_date != mapping)
            .values(warn_date=mapping, next_check_date=local_today())
            .execution_options(synchronize_session=False)).rowcount or 0
    cursor.position, cursor.updated_at = window, utcnow()
    return changed


def deadline_tick(session: Session) -> dict[str, int]:
    """Rows whose next boundary has come: colours, ladder, events and notifications."""
    return scan.tick(session)


DEADLINE_JOBS = {
    "deadlines.sync": sync_tasks,
    "deadlines.daily": daily_rescan,
    "deadlines.scan": deadline_tick,
}
