"""A city-sized dataset, written with bulk inserts (ids chosen here, so paths need no lookups).

500 units; 100,000 tasks: one key work of 10,000 nodes plus 900 programmes of 100 nodes;
a lead and a cooperating assignment per task; 300,000 report obligations.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, func, insert, select, text

from luoshi.deadlines.models import Obligation
from luoshi.org.models import Unit
from luoshi.tasks.models import Assignment, Task
from luoshi.users.models import User

BATCH = 5000
TODAY = date(2026, 11, 23)


@dataclass
class Dataset:
    big_root_id: int
    sample_task_ids: list[int]
    tasks: int
    units: int
    obligations: int


def _chunks(rows: list[dict], size: int = BATCH):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _insert(conn, table, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    for chunk in _chunks(rows):
        conn.execute(insert(table), chunk)


def _add_units(conn, target: int) -> list[tuple[int, str, int]]:  # type: ignore[no-untyped-def]
    """Top the demo organisation up to ``target`` units: streets and communities per district."""
    existing = conn.execute(select(Unit.id, Unit.path, Unit.depth, Unit.kind)).all()
    next_id = max(u.id for u in existing) + 1
    districts = [u for u in existing if u.kind == "district"]
    rows: list[dict] = []
    need = target - len(existing)
    i = 0
    while len(rows) < need:
        district = districts[i % len(districts)]
        street_id = next_id
        next_id += 1
        street_path = f"{district.path}{street_id}/"
        rows.append(dict(id=street_id, name=f"测试街道{street_id}", short_name=f"街道{street_id}",
                         code=f"B-S{street_id}", kind="street", parent_id=district.id,
                         path=street_path, depth=district.depth + 1, sort_order=street_id, is_active=True))
        for _ in range(min(9, need - len(rows))):
            rows.append(dict(id=next_id, name=f"测试社区{next_id}", short_name=f"社区{next_id}",
                             code=f"B-C{next_id}", kind="community", parent_id=street_id,
                             path=f"{street_path}{next_id}/", depth=district.depth + 2,
                             sort_order=next_id, is_active=True))
            next_id += 1
        i += 1
    now = datetime.now(UTC)
    for r in rows:
        r.update(created_at=now, updated_at=now)
    _insert(conn, Unit.__table__, rows)
    return [(u.id, u.path, u.depth) for u in existing] + [(r["id"], r["path"], r["depth"]) for r in rows]


def generate(engine: Engine, *, total_tasks: int = 100_000, big_tree: int = 10_000,
             obligations: int = 300_000, units: int = 500, seed: int = 7) -> Dataset:
    rnd = random.Random(seed)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        all_units = _add_units(conn, units)
        unit_ids = [u[0] for u in all_units]
        departments = [u[0] for u in all_units if u[2] == 1]
        office_unit = conn.execute(select(Unit.id).where(Unit.code == "WH-DCS")).scalar_one()
        leader_id = conn.execute(select(User.id).where(User.username == "vicemayor")).scalar_one()
        creator_id = conn.execute(select(User.id).where(User.username == "supervisor")).scalar_one()
        next_id = (conn.execute(select(func.max(Task.id))).scalar() or 0) + 1

        tasks: list[dict] = []
        assignments: list[dict] = []

        def add(parent: dict | None, root_id: int | None, lead: int) -> dict:
            nonlocal next_id
            tid = next_id
            next_id += 1
            deadline = TODAY + timedelta(days=rnd.randint(-30, 200))
            status = rnd.choices(["in_progress", "assigned", "completed", "pending_review"],
                                 weights=[70, 10, 15, 5])[0]
            row = dict(
                id=tid, parent_id=parent["id"] if parent else None, root_id=root_id or tid,
                path=f"{parent['path'] if parent else '/'}{tid}/",
                depth=parent["depth"] + 1 if parent else 0, sort_order=tid,
                title=f"重点工作任务 {tid}：推进营商环境优化第{tid % 97}项措施",
                content="按照市政府工作部署，细化分解任务，明确责任单位和完成时限。",
                source_type="government_work_report", source_ref="武政〔2026〕1号",
                priority="normal", tags=[], leader_id=leader_id, lead_unit_id=lead,
                issuer_unit_id=office_unit, deadline_date=deadline, original_deadline_date=deadline,
                feedback_cycle="monthly", feedback_dates=[], weight=1.0,
                progress=rnd.randint(0, 100) if status != "completed" else 100, status=status,
                return_count=0, version=1, created_by_id=creator_id, updated_by_id=creator_id,
                created_at=now, updated_at=now, issued_at=now - timedelta(days=30),
                completed_at=now if status == "completed" else None,
                completed_on_time=True if status == "completed" else None,
            )
            tasks.append(row)
            coop = rnd.choice(unit_ids)
            while coop == lead:
                coop = rnd.choice(unit_ids)
            signed = status != "assigned"
            for unit, capacity in ((lead, "lead"), (coop, "cooperating")):
                assignments.append(dict(
                    task_id=tid, unit_id=unit, capacity=capacity,
                    state="signed" if signed else "assigned", assigned_at=row["issued_at"],
                    signed_at=row["issued_at"] if signed else None, created_at=now, updated_at=now,
                ))
            return row

        # The big key work: 1 + 20 + 400 + the rest spread over the third level.
        fgw = conn.execute(select(Unit.id).where(Unit.code == "WH-FGW")).scalar_one()
        root = add(None, None, fgw)
        level1 = [add(root, root["id"], rnd.choice(departments)) for _ in range(20)]
        level2 = [add(p, root["id"], rnd.choice(unit_ids)) for p in level1 for _ in range(20)]
        while len(tasks) < big_tree:
            add(rnd.choice(level2), root["id"], rnd.choice(unit_ids))
        # Other programmes of 100 nodes each.
        while len(tasks) < total_tasks:
            prog = add(None, None, rnd.choice(departments))
            kids = [add(prog, prog["id"], rnd.choice(unit_ids)) for _ in range(9)]
            for _ in range(90):
                if len(tasks) >= total_tasks:
                    break
                add(rnd.choice(kids), prog["id"], rnd.choice(unit_ids))
        _insert(conn, Task.__table__, tasks)
        _insert(conn, Assignment.__table__, assignments)

        assignment_rows = conn.execute(
            select(Assignment.id, Assignment.task_id, Assignment.unit_id, Assignment.capacity)
        ).all()
        obligation_rows: list[dict] = []
        months = 0
        while len(obligation_rows) < obligations:
            for a in assignment_rows:
                if len(obligation_rows) >= obligations:
                    break
                due = TODAY + timedelta(days=30 * months - rnd.randint(0, 90))
                obligation_rows.append(dict(
                    task_id=a.task_id, assignment_id=a.id, unit_id=a.unit_id, kind="report",
                    period_key=f"m{months}", title="月度进展回告", internal=a.capacity == "cooperating",
                    day_count="working", due_date=due, warn_date=due - timedelta(days=3),
                    state="normal", prev_state="normal", ladder_step=0, prev_ladder_step=0,
                    created_at=now,
                ))
            months += 1
        _insert(conn, Obligation.__table__, obligation_rows)
        if engine.dialect.name == "postgresql":
            for table in ("units", "tasks", "task_assignments"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
            conn.execute(text("ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
    sample = [t["id"] for t in rnd.sample(tasks, 200)]
    return Dataset(big_root_id=root["id"], sample_task_ids=sample, tasks=len(tasks),
                   units=len(all_units), obligations=len(obligation_rows))
