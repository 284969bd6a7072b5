"""A city-sized dataset, written with bulk inserts (ids chosen here, so paths need no lookups).

500 units; 100,000 tasks: one key work of 10,000 nodes plus 900 programmes of 100 nodes;
a lead and a cooperating assignment per task; 300,000 report obligations. The loop has run for
three months: most report dates already passed were met by a report, the last week's reports
wait for review, and some tasks carry an extension request, a dispute or a coordination
request, decided or waiting, so every to-do queue has something in it (``_loop_records``).
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, text

from luoshi.deadlines.models import Obligation
from luoshi.disputes.models import Dispute
from luoshi.extensions.models import ExtensionRequest
from luoshi.org.models import Unit
from luoshi.reports.models import Report
from luoshi.supervision.models import CoordinationRequest
from luoshi.tasks.models import Assignment, Task
from luoshi.users.models import User

BATCH = 5000
TODAY = date(2026, 11, 23)


@dataclass
class Dataset:
    big_root_id: int
    sample_task_ids: list[int]
    big_tree: int
    tasks: int
    units: int
    obligations: int
    reports: int = 0
    extension_requests: int = 0
    disputes: int = 0
    coordination_requests: int = 0


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
        users = _user_of_unit(conn, creator_id)
        requests = _requests(rnd, tasks, assignments, users, now)
        _insert(conn, Task.__table__, tasks)
        _insert(conn, Assignment.__table__, assignments)

        assignment_rows = conn.execute(
            select(Assignment.id, Assignment.task_id, Assignment.unit_id, Assignment.capacity)
        ).all()
        obligation_rows: list[dict] = []
        next_obligation = (conn.execute(select(func.max(Obligation.id))).scalar() or 0) + 1
        months = 0
        while len(obligation_rows) < obligations:
            for a in assignment_rows:
                if len(obligation_rows) >= obligations:
                    break
                due = TODAY + timedelta(days=30 * months - rnd.randint(0, 90))
                obligation_rows.append(dict(
                    id=next_obligation + len(obligation_rows),
                    task_id=a.task_id, assignment_id=a.id, unit_id=a.unit_id, kind="report",
                    period_key=f"m{months}", title="月度进展回告", internal=a.capacity == "cooperating",
                    day_count="working", due_date=due, warn_date=due - timedelta(days=3),
                    state="normal", prev_state="normal", ladder_step=0, prev_ladder_step=0,
                    fulfilled_at=None, fulfilled_ref=None, closed_at=None, created_at=now,
                ))
            months += 1
        reports = _reports(conn, rnd, tasks, obligation_rows, users, creator_id)
        _insert(conn, Obligation.__table__, obligation_rows)
        _insert(conn, Report.__table__, reports)
        for model, rows in requests.items():
            _insert(conn, model.__table__, rows)
        if engine.dialect.name == "postgresql":
            for table in ("units", "tasks", "task_assignments", "obligations", "reports",
                          "extension_requests", "disputes", "coordination_requests"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))
        else:
            conn.execute(text("ANALYZE"))
    if engine.dialect.name == "postgresql":
        # Vacuumed and analysed, as a database that has run for months is: its pages marked all
        # visible, so index-only scans read no table rows. Left to autovacuum, the fresh tables
        # were vacuumed while the first endpoint was measured (its p99 went to 1.8 s).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    sample = [t["id"] for t in rnd.sample(tasks, 200)]
    return Dataset(big_root_id=root["id"], sample_task_ids=sample, big_tree=big_tree, tasks=len(tasks),
                   units=len(all_units), obligations=len(obligation_rows), reports=len(reports),
                   extension_requests=len(requests[ExtensionRequest]), disputes=len(requests[Dispute]),
                   coordination_requests=len(requests[CoordinationRequest]))


OPEN = ("assigned", "in_progress", "pending_review")


def _user_of_unit(conn, fallback: int) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """Who writes for each unit: its first account where it has one, else ``fallback``."""
    users: dict[int, int] = defaultdict(lambda: fallback)
    for user_id, unit_id in conn.execute(select(User.id, User.unit_id).order_by(User.id.desc())):
        users[unit_id] = user_id
    return users


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), UTC) - timedelta(hours=8)  # Beijing office hours


def _reports(conn, rnd: random.Random, tasks: list[dict], obligations: list[dict],  # type: ignore[no-untyped-def]
             users: dict[int, int], office_user: int) -> list[dict]:
    """A report for nine in ten report dates already passed, each meeting its obligation.

    The office and lead units review within a week, so the last week's reports on open tasks
    mostly wait for review; a few recent ones were returned or wait for the unit head. A date
    nobody met is overdue while its task is open and closed with the task when it is done.
    """
    by_id = {t["id"]: t for t in tasks}
    next_id = (conn.execute(select(func.max(Report.id))).scalar() or 0) + 1
    reports: list[dict] = []
    for o in obligations:
        task = by_id[o["task_id"]]
        is_open = task["status"] in OPEN
        if o["due_date"] >= TODAY:
            if not is_open:
                o.update(closed_at=task["completed_at"])
            elif o["due_date"] <= TODAY + timedelta(days=3):
                o.update(state="due_soon", prev_state="due_soon")
            continue
        if task["status"] == "assigned" or rnd.random() < 0.1:
            if is_open:
                o.update(state="overdue", prev_state="overdue")
            else:
                o.update(closed_at=task["completed_at"])
            continue
        late = rnd.random() < 0.15
        sent = min(TODAY, o["due_date"] + timedelta(days=rnd.randint(1, 10) if late else -rnd.randint(0, 5)))
        recent = is_open and (TODAY - sent).days <= 7
        status = rnd.choices(["submitted", "accepted", "returned", "pending_unit_approval"],
                             weights=[60, 30, 5, 5])[0] if recent else "accepted"
        report_id = next_id + len(reports)
        author = users[o["unit_id"]]
        reports.append(dict(
            id=report_id, task_id=o["task_id"], unit_id=o["unit_id"],
            capacity="cooperating" if o["internal"] else "lead", kind="progress", status=status,
            progress_text="按计划推进，本月完成阶段性目标。", percent_done=rnd.randint(10, 90),
            problems="", next_steps="继续推进下阶段工作。", support_needed="", highlights_good="",
            highlights_bad="", source_report_ids=[],
            return_reason="请补充量化指标。" if status == "returned" else None,
            return_count=1 if status == "returned" else 0,
            created_by_id=author, updated_by_id=author,
            submitted_by_id=author if status != "pending_unit_approval" else None,
            submitted_at=_at(sent) if status != "pending_unit_approval" else None,
            unit_approved_by_id=None, unit_approved_at=None,
            reviewed_by_id=office_user if status in ("accepted", "returned") else None,
            reviewed_at=_at(sent, 16) if status in ("accepted", "returned") else None,
            created_at=_at(sent, 9), updated_at=_at(sent, 16), version=1,
        ))
        if status == "pending_unit_approval":
            o.update(state="overdue", prev_state="overdue")
        else:
            met = "on_time" if sent <= o["due_date"] else "late"
            o.update(fulfilled_at=_at(sent), fulfilled_ref=f"report:{report_id}", closed_at=_at(sent),
                     state=met, prev_state=met)
    return reports


def _requests(rnd: random.Random, tasks: list[dict], assignments: list[dict], users: dict[int, int],
              now: datetime) -> dict[Any, list[dict]]:
    """Extension requests on open tasks (one in a hundred waits for a decision, two were
    decided), disputes on tasks not yet signed for (three in a hundred wait), coordination
    requests on tasks under way (three in a thousand wait, five were answered). An approved
    extension moved the task's deadline; its original one is kept."""
    extensions: list[dict] = []
    disputes: list[dict] = []
    coordination: list[dict] = []
    by_task: dict[int, list[dict]] = defaultdict(list)
    for a in assignments:
        by_task[a["task_id"]].append(a)
    for task in tasks:
        lead = task["lead_unit_id"]
        roll = rnd.random()
        if task["status"] in ("in_progress", "pending_review") and roll < 0.03:
            status = "pending" if roll < 0.01 else rnd.choice(["approved", "approved", "rejected"])
            asked = task["deadline_date"] if status != "approved" else task["deadline_date"] - timedelta(days=30)
            if status == "approved":
                task["original_deadline_date"] = asked
            extensions.append(dict(
                id=len(extensions) + 1, task_id=task["id"], unit_id=lead, requested_by_id=users[lead],
                current_deadline_date=asked, requested_deadline_date=asked + timedelta(days=30),
                reason="受项目审批进度影响，申请延期。", status=status,
                decided_by_id=None if status == "pending" else users[task["issuer_unit_id"]],
                decided_at=None if status == "pending" else now - timedelta(days=rnd.randint(1, 20)),
                decision_reason=None if status == "pending" else "同意。",
                created_at=now - timedelta(days=rnd.randint(1, 25)),
            ))
        elif task["status"] == "assigned" and roll < 0.05:
            status = "pending" if roll < 0.03 else "rejected"
            objecting = rnd.choice(by_task[task["id"]])
            if status == "pending":
                objecting["state"] = "disputed"
            disputes.append(dict(
                id=len(disputes) + 1, task_id=task["id"], unit_id=objecting["unit_id"],
                raised_by_id=users[objecting["unit_id"]], reason="该事项不属于本单位职责范围。",
                suggested_unit_id=None, status=status, new_lead_unit_id=None,
                decided_by_id=None if status == "pending" else users[task["issuer_unit_id"]],
                decided_at=None if status == "pending" else now - timedelta(days=rnd.randint(1, 10)),
                decision_reason=None if status == "pending" else "职责明确，请签收办理。",
                created_at=now - timedelta(days=rnd.randint(1, 20)),
            ))
        elif task["status"] == "in_progress" and roll < 0.038:  # the three in a hundred above excluded
            status = "submitted" if roll < 0.033 else "answered"
            coop = [a["unit_id"] for a in by_task[task["id"]] if a["capacity"] == "cooperating"]
            coordination.append(dict(
                id=len(coordination) + 1, task_id=task["id"], unit_id=lead, subject="跨部门协调事项",
                content="需协调用地指标。", consultation="已与配合单位会商，未达成一致。", consulted_unit_ids=coop,
                status=status, created_by_id=users[lead], on_behalf_of_id=None,
                created_at=now - timedelta(days=rnd.randint(1, 20)),
                opinion=None if status == "submitted" else "由牵头单位统筹推进。",
                opinion_by_id=None if status == "submitted" else users[task["issuer_unit_id"]],
                opinion_at=None if status == "submitted" else now - timedelta(days=1),
                leader_id=None, leader_decision=None, decided_at=None,
            ))
    return {ExtensionRequest: extensions, Dispute: disputes, CoordinationRequest: coordination}
