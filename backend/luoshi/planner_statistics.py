"""SQLite's planner statistics, taken again once a day by the scheduled jobs (``luoshi.jobs``).

SQLite plans by the statistics ANALYZE leaves in ``sqlite_stat1`` and never gathers them by
itself; without them it guesses. On the bench dataset its guesses read a unit's to-do
statement three times slower (8.4 ms against 2.7). A connection reads the statistics when it
opens, so SQLite's pooled connections are replaced after ``db.SQLITE_RECYCLE_SECONDS`` to see
the day's. PostgreSQL's autovacuum analyses its tables itself: nothing to do there.
"""

from sqlalchemy import text
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.deadlines.models import ScanCursor
from luoshi.deadlines.states import local_today

CURSOR = "sqlite_statistics"


def refresh(session: Session) -> dict[str, int]:
    """ANALYZE, once a day, on SQLite. The job's transaction holds SQLite's write lock, so of
    several workers the first of the day analyses and the others find its cursor."""
    if session.get_bind().dialect.name != "sqlite":
        return {}
    today = local_today().toordinal()
    cursor = session.get(ScanCursor, CURSOR)
    if cursor is not None and cursor.position >= today:
        return {}
    session.execute(text("ANALYZE"))
    if cursor is None:
        session.add(ScanCursor(name=CURSOR, position=today, updated_at=utcnow()))
    else:
        cursor.position, cursor.updated_at = today, utcnow()
    session.flush()
    return {"analysed": 1}
