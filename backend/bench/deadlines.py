"""Deadline scan benchmark (issue 4): 1,000,000 obligations on PostgreSQL.

Measures, each with its commit:
- a routine tick when nothing has reached a boundary (target ≤ 50 ms),
- a full rescan of every open obligation when nothing changed (target ≤ 2 s),
- 100,000 obligations turning red at once with their events and notifications (target ≤ 3 s).

Usage: python -m bench.deadlines   (from backend/; ``make bench`` can call ``bench_scan``)
"""

import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from bench.dataset import _add_units, _insert
from luoshi.db import make_engine
from luoshi.deadlines.calendar import warning_date
from luoshi.deadlines.scan import tick
from luoshi.demo.load import load_org
from luoshi.migrate import upgrade
from luoshi.tasks.models import Assignment, Task
from luoshi.users.models import User, UserRole

PG_ADMIN = os.environ.get("LUOSHI_BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
DB_NAME = "luoshi_bench_deadlines"
TASKS = 50_000  # two assignments each, ten obligations per assignment
START = date(2026, 11, 16)  # Monday: the dataset is settled as of this day
RED_DAY = date(2026, 11, 20)  # 100,000 obligations fall due on this Friday
TARGETS_MS = {"routine_tick": 50, "full_rescan": 2000, "newly_overdue_100k": 3000}


def _database() -> str:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + DB_NAME


def generate(engine: Engine) -> dict[str, int]:
    """Units with a liaison and a head each, tasks, assignments and a million obligations."""
    now = datetime.now(UTC)
    with Session(engine) as session, session.begin():
        load_org(session)
    with engine.begin() as conn:
        units = [u[0] for u in _add_units(conn, 500)]
        pw = conn.execute(select(User.password_hash).limit(1)).scalar_one()
        next_user = conn.execute(select(func.max(User.id))).scalar_one() + 1
        users, roles = [], []
        for i, unit in enumerate(units):
            for k, role in enumerate(("unit_staff", "unit_head")):
                uid = next_user + 2 * i + k
                users.append(dict(id=uid, username=f"b{unit}_{role}", display_name=f"联络员{uid}",
                                  password_hash=pw, unit_id=unit, is_chief=False, is_active=True,
                                  failed_login_count=0, password_changed_at=now, created_at=now,
                                  updated_at=now))
                roles.append(dict(user_id=uid, role=role))
        _insert(conn, User.__table__, users)
        _insert(conn, UserRole.__table__, roles)
        office = conn.execute(text("SELECT id FROM units WHERE code = 'WH-DCS'")).scalar_one()
        leader = conn.execute(text("SELECT id FROM users WHERE username = 'vicemayor'")).scalar_one()
        tasks, assignments = [], []
        for t in range(1, TASKS + 1):
            lead, coop = units[t % len(units)], units[(t * 7 + 3) % len(units)]
            deadline = START + timedelta(days=20 + t % 200)
            tasks.append(dict(id=t, root_id=t, path=f"/{t}/", depth=0, sort_order=t, title=f"基准任务{t}",
                              content="", source_type="other", priority="normal", tags=[], leader_id=leader,
                              lead_unit_id=lead, issuer_unit_id=office, deadline_date=deadline,
                              original_deadline_date=deadline, feedback_cycle="monthly", feedback_dates=[],
                              weight=1.0, progress=30, status="in_progress", return_count=0, version=1,
                              created_at=now, updated_at=now, issued_at=now - timedelta(days=150)))
            for unit, capacity in ((lead, "lead"), (coop, "cooperating")):
                assignments.append(dict(task_id=t, unit_id=unit, capacity=capacity, state="signed",
                                        created_at=now, updated_at=now))
        _insert(conn, Task.__table__, tasks)
        _insert(conn, Assignment.__table__, assignments)
        # Ten per assignment, set-based: nine monthly reports (the past ones met) and the final date.
        # Period 5 of every assignment falls due on RED_DAY: 100,000 rows turn red together.
        conn.execute(text("""
            INSERT INTO obligations (task_id, assignment_id, unit_id, kind, period_key, title, internal,
                day_count, due_date, warn_date, state, prev_state, ladder_step, prev_ladder_step,
                next_check_date, fulfilled_at, fulfilled_ref, closed_at, created_at)
            SELECT a.task_id, a.id, a.unit_id,
                   CASE WHEN p.n = 9 THEN 'complete' ELSE 'report' END,
                   CASE WHEN p.n = 9 THEN 'final' ELSE 'm' || p.n END,
                   '回告', a.capacity = 'cooperating', 'working', d.due, d.due - 5,
                   CASE WHEN d.due < :start THEN 'on_time' ELSE 'normal' END,
                   CASE WHEN d.due < :start THEN 'on_time' ELSE 'normal' END, 0, 0,
                   CASE WHEN d.due < :start THEN NULL ELSE CAST(:start AS date) END,
                   CASE WHEN d.due < :start THEN d.due + time '09:00' END,
                   CASE WHEN d.due < :start THEN 'report:0' END,
                   CASE WHEN d.due < :start THEN d.due + time '09:00' END, now()
            FROM task_assignments a
            CROSS JOIN generate_series(0, 9) AS p(n)
            JOIN tasks t ON t.id = a.task_id
            CROSS JOIN LATERAL (SELECT CASE
                WHEN p.n = 5 THEN CAST(:red AS date)
                WHEN p.n = 9 THEN t.deadline_date
                ELSE CAST(:red AS date) + 30 * (p.n - 5) + (a.id % 11) END AS due) d
        """), {"start": START, "red": RED_DAY})
        # Warning dates as the app computes them (working days over the real calendar).
        dues = conn.execute(text("SELECT DISTINCT due_date FROM obligations")).scalars().all()
        pairs = ", ".join(f"(DATE '{d.isoformat()}', DATE '{warning_date(d).isoformat()}')" for d in dues)
        conn.execute(text(f"UPDATE obligations o SET warn_date = m.warn FROM (VALUES {pairs}) AS m(due, warn) "
                          "WHERE o.due_date = m.due"))
        conn.execute(text("ANALYZE"))
        counts = conn.execute(text(
            "SELECT count(*), count(*) FILTER (WHERE closed_at IS NULL) FROM obligations")).one()
    return {"units": len(units), "tasks": TASKS, "obligations": counts[0], "open_obligations": counts[1]}


def _timed(factory: Callable[[], Session], today: date, full: bool = False) -> tuple[float, dict]:
    started = time.perf_counter()
    with factory() as session, session.begin():
        result = tick(session, full=full, today=today)
    return (time.perf_counter() - started) * 1000, result


def _a_day_passes(engine: Engine) -> None:
    """Days apart in real life, so autovacuum has long tidied yesterday's changes."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("obligations", "deadline_events", "notifications"):
            conn.execute(text(f"VACUUM ANALYZE {table}"))


def bench_scan(engine: Engine) -> dict:
    """Run the measurements on a generated database; returns figures in milliseconds."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    out: dict = {}
    ms, r = _timed(factory, START, full=True)
    out["initial_derivation"] = {"ms": round(ms), **r}
    _a_day_passes(engine)
    ms, r = _timed(factory, START, full=True)
    out["full_rescan"] = {"ms": round(ms), **r}
    samples = []
    for _ in range(20):
        ms, r = _timed(factory, START)
        samples.append(ms)
    samples.sort()
    out["routine_tick"] = {"ms": round(samples[len(samples) // 2], 2), "max_ms": round(samples[-1], 2), **r}
    ms, r = _timed(factory, RED_DAY - timedelta(days=3))  # the 100,000 turn yellow first
    out["newly_due_soon_100k"] = {"ms": round(ms), **r}
    _a_day_passes(engine)
    ms, r = _timed(factory, RED_DAY + timedelta(days=1))
    out["newly_overdue_100k"] = {"ms": round(ms), **r}
    ms, r = _timed(factory, RED_DAY + timedelta(days=1))
    out["after_that_routine_tick"] = {"ms": round(ms, 2), **r}
    out["verdicts"] = {k: ("ok" if out[k]["ms"] <= v else "SLOW") for k, v in TARGETS_MS.items()}
    return out


def main() -> None:
    url = _database()
    upgrade(url)
    engine = make_engine(url)
    started = time.perf_counter()
    data = generate(engine)
    data["generate_s"] = round(time.perf_counter() - started, 1)
    result = {"dataset": data, **bench_scan(engine), "load_average": os.getloadavg(), "cpus": os.cpu_count()}
    engine.dispose()
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
