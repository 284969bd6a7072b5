"""SQLite's planner statistics: taken once a day, and seen by pooled connections once they are
replaced (``luoshi.planner_statistics``, ``db.SQLITE_RECYCLE_SECONDS``)."""

import sqlite3
import time
from datetime import UTC, datetime

from sqlalchemy import text

from luoshi import db as dbmod
from luoshi.deadlines.models import ScanCursor
from luoshi.jobs import JOBS
from luoshi.planner_statistics import CURSOR, refresh


def _analysed_tables(session) -> set[str]:  # type: ignore[no-untyped-def]
    return set(session.execute(text("SELECT tbl FROM sqlite_stat1")).scalars())


def test_the_statistics_are_taken_once_a_day_on_sqlite_only(org, clock) -> None:
    assert JOBS["db.statistics"] is refresh
    clock.set(datetime(2026, 11, 24, 1, tzinfo=UTC))
    if org.get_bind().dialect.name != "sqlite":  # PostgreSQL's autovacuum analyses by itself
        assert refresh(org) == {}
        assert org.get(ScanCursor, CURSOR) is None
        return
    assert refresh(org) == {"analysed": 1}
    assert {"units", "users"} <= _analysed_tables(org)
    org.execute(text("DELETE FROM sqlite_stat1"))
    assert refresh(org) == {}  # the same day: nothing
    assert _analysed_tables(org) == set()
    clock.advance(days=1)
    assert refresh(org) == {"analysed": 1}
    assert {"units", "users"} <= _analysed_tables(org)
    assert org.get(ScanCursor, CURSOR).position == datetime(2026, 11, 25).toordinal()


def _index_used(conn) -> str:  # type: ignore[no-untyped-def]
    plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1 AND b = 1").all()
    return " ".join(row[3] for row in plan)


def _favour(path: str, index: str) -> None:
    """Statistics, written by another connection, that make ``index`` the selective one."""
    other = sqlite3.connect(path)
    for name in ("ix_a", "ix_b"):
        other.execute("UPDATE sqlite_stat1 SET stat = ? WHERE idx = ?",
                      ("1000 1" if name == index else "1000 1000", name))
    other.commit()
    other.close()


def test_pooled_sqlite_connections_plan_by_statistics_taken_since_they_opened(tmp_path, monkeypatch) -> None:
    path = tmp_path / "plans.db"
    setup = sqlite3.connect(path)
    setup.executescript("CREATE TABLE t (a INTEGER, b INTEGER); CREATE INDEX ix_a ON t (a);"
                        "CREATE INDEX ix_b ON t (b); INSERT INTO t VALUES (1, 1), (2, 2); ANALYZE;")
    setup.close()
    _favour(str(path), "ix_b")
    monkeypatch.setattr(dbmod, "SQLITE_RECYCLE_SECONDS", 1)
    engine = dbmod.make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert "ix_b" in _index_used(conn)
        _favour(str(path), "ix_a")
        with engine.connect() as conn:  # the same connection, as it opened: the old statistics
            assert "ix_b" in _index_used(conn)
        time.sleep(1.2)
        with engine.connect() as conn:  # replaced: the statistics as they are now
            assert "ix_a" in _index_used(conn)
    finally:
        engine.dispose()
