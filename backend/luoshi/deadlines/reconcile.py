"""Keep each task's obligations in step with the task: issue, sign-for, extension, suspension,
reassignment, completion and cancellation.

The task core writes an immutable event for every change; this reads the events it has not
seen (a cursor over ``task_events.id``) and re-plans just those tasks, in a handful of queries
for the whole batch. The scan then does the rest from the dates. Tasks whose deadline moved
without an event (an extension decided elsewhere) are found by the full rescan.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.deadlines.cadence import Planned, plan
from luoshi.deadlines.calendar import DayCount, shift_for_pause, warning_date
from luoshi.deadlines.models import Obligation, ObligationKind, ScanCursor
from luoshi.deadlines.scan import _dialect_insert
from luoshi.deadlines.states import local_date
from luoshi.settings import get_settings
from luoshi.tasks.models import Assignment, Capacity, Task, TaskEvent, TaskStatus

CURSOR = "task_events"
# An event id may become visible after a higher one when transactions commit out of order;
# reading only events this old leaves them time to land.
SETTLE = timedelta(seconds=5)
PLANNED_KINDS = (ObligationKind.sign, ObligationKind.report, ObligationKind.complete)


def task_day_count(task: Task) -> DayCount:
    return DayCount(task.deadline_day_count or get_settings().default_day_count)


def consume_task_events(session: Session, limit: int = 5000) -> dict[str, int]:
    """Re-plan the tasks that changed since the last run; nothing is written when none did."""
    cursor = session.get(ScanCursor, CURSOR)
    position = cursor.position if cursor else 0
    settled = utcnow() - SETTLE
    newest = session.execute(
        select(func.max(TaskEvent.id)).where(TaskEvent.id > position, TaskEvent.at <= settled)
    ).scalar()
    if newest is None:
        return {"tasks": 0}
    # Serialise consumers; a second worker waits here and then finds the cursor moved on.
    locked = session.execute(
        select(ScanCursor).where(ScanCursor.name == CURSOR).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if locked is None:
        session.execute(_dialect_insert(session, ScanCursor).values(name=CURSOR, position=0)
                        .on_conflict_do_nothing())
        locked = session.execute(select(ScanCursor).where(ScanCursor.name == CURSOR).with_for_update()
                                 .execution_options(populate_existing=True)).scalar_one()
    rows = session.execute(
        select(TaskEvent.id, TaskEvent.task_id, TaskEvent.action, TaskEvent.at, TaskEvent.payload)
        .where(TaskEvent.id > locked.position, TaskEvent.at <= settled)
        .order_by(TaskEvent.id).limit(limit)
    ).all()
    if not rows:
        return {"tasks": 0}
    resumed_at: dict[int, datetime] = {}
    for row in rows:
        if row.action == "resume":
            resumed_at[row.task_id] = row.at
    changed = reconcile(session, {r.task_id for r in rows}, resumed_at)
    changed["reports"] = _reports_submitted(session, rows)
    locked.position = rows[-1].id
    locked.updated_at = utcnow()
    return {"tasks": len({r.task_id for r in rows}), **changed}


def _reports_submitted(session: Session, rows) -> int:  # type: ignore[no-untyped-def]
    """A progress report sent (by either capacity) meets the unit's earliest open report date."""
    from luoshi.deadlines.service import fulfil_obligation

    met = 0
    for row in rows:
        payload = row.payload or {}
        if row.action != "report_submitted" or payload.get("kind") == "completion":
            continue
        if payload.get("unit_id") is None or payload.get("report_id") is None:
            continue
        ref = f"report:{payload['report_id']}"
        done = session.execute(select(Obligation.id).where(
            Obligation.task_id == row.task_id, Obligation.fulfilled_ref == ref)).first()
        if done is None and fulfil_obligation(session, task_id=row.task_id, unit_id=int(payload["unit_id"]),
                                              at=row.at, ref=ref) is not None:
            met += 1
    return met


def _load(session: Session, ids: list[int]) -> dict[int, list[Obligation]]:
    existing: dict[int, list[Obligation]] = defaultdict(list)
    for o in session.execute(select(Obligation).where(Obligation.task_id.in_(ids))).scalars():
        existing[o.task_id].append(o)
    return existing


def reconcile(session: Session, task_ids: Iterable[int],
              resumed_at: dict[int, datetime] | None = None) -> dict[str, int]:
    """Plan each task again, insert what is missing, then settle every obligation (met,
    closed, reopened) against the task as it is now; a handful of queries for the batch."""
    ids = sorted(set(task_ids))
    if not ids:
        return {}
    resumed_at = resumed_at or {}
    tasks = {t.id: t for t in session.execute(select(Task).where(Task.id.in_(ids))).scalars()}
    by_task: dict[int, list[Assignment]] = defaultdict(list)
    for a in session.execute(select(Assignment).where(Assignment.task_id.in_(ids))).scalars():
        by_task[a.task_id].append(a)
    existing = _load(session, ids)
    now = utcnow()
    today = local_date(now)
    counts = {"created": 0, "moved": 0, "closed": 0, "fulfilled": 0, "paused": 0, "resumed": 0}
    new_rows: list[dict] = []
    plans: dict[int, dict[tuple[int, str, str], Planned] | None] = {}
    for task_id in ids:
        task = tasks.get(task_id)
        if task is None or task.status == TaskStatus.draft or task.issued_at is None:
            continue
        plans[task_id] = _plan_task(task, by_task[task_id], existing[task_id], now, today,
                                    resumed_at.get(task_id), new_rows, counts)
    if new_rows:
        session.execute(_dialect_insert(session, Obligation).values(new_rows).on_conflict_do_nothing(
            index_elements=["task_id", "unit_id", "kind", "period_key"]))
        counts["created"] = len(new_rows)
        session.flush()
        existing = _load(session, ids)  # the new rows too, so they are settled in this pass
    for task_id, wanted in plans.items():
        if wanted is not None:
            _settle_task(tasks[task_id], by_task[task_id], existing[task_id], wanted, now, counts)
    session.flush()
    return counts


def _close(o: Obligation, now: datetime) -> None:
    o.closed_at = now
    o.next_check_date = None


def _fulfil(o: Obligation, at: datetime, ref: str) -> None:
    o.fulfilled_at = at
    o.fulfilled_ref = ref
    o.state = "on_time" if local_date(at) <= o.due_date else "late"
    o.prev_state = o.state
    _close(o, at)


def _set_due(o: Obligation, due) -> None:  # type: ignore[no-untyped-def]
    """A new due date restarts the colours and the ladder; the scan derives them again."""
    o.due_date = due
    o.warn_date = warning_date(due)
    o.state = o.prev_state = "normal"
    o.ladder_step = o.prev_ladder_step = 0
    # The next tick derives colours and ladder for the new date.
    o.next_check_date = local_date(utcnow()) if o.paused_at is None else None


def _plan_task(task: Task, assignments: list[Assignment], obligations: list[Obligation], now: datetime,
               today: date, resumed: datetime | None, new_rows: list[dict],
               counts: dict[str, int]) -> dict[tuple[int, str, str], Planned] | None:
    """Pause, resume and plan; returns what the task should owe (None: it owes nothing now)."""
    count = task_day_count(task)
    open_ = [o for o in obligations if o.closed_at is None]
    if task.status == TaskStatus.cancelled:
        for o in open_:
            _close(o, now)
            counts["closed"] += 1
        return None
    # Suspension pauses the clock; the first reconcile after resumption moves every open due
    # date by the span, counted the task's way, and the task's deadline with them.
    if task.status == TaskStatus.suspended:
        for o in open_:
            if o.paused_at is None:
                o.paused_at = task.suspended_at or now
                o.next_check_date = None
                counts["paused"] += 1
        return None
    paused = [o for o in open_ if o.paused_at is not None]
    if paused:
        resumed_day = local_date(resumed or now)
        paused_day = local_date(paused[0].paused_at)  # type: ignore[arg-type]
        final = next((o for o in paused if o.kind == ObligationKind.complete
                      and o.unit_id == task.lead_unit_id), None)
        if final is not None and task.deadline_date == final.due_date:
            # The task core did not move the deadline on resume: move it here, once.
            task.deadline_date = shift_for_pause(final.due_date, paused_day, resumed_day, count)
        for o in paused:
            o.paused_at = None
            _set_due(o, shift_for_pause(o.due_date, paused_day, resumed_day, count))
            counts["resumed"] += 1
    issued = local_date(task.issued_at)  # type: ignore[arg-type]
    planned = plan(
        task_id=task.id, title=task.title, cycle=task.feedback_cycle,
        explicit=list(task.feedback_dates or []), issued=issued, deadline=task.deadline_date,
        assignments=[(a.id, a.unit_id, a.capacity, a.due_date, local_date(a.assigned_at) if a.assigned_at else None)
                     for a in assignments], count=count,
    )
    wanted: dict[tuple[int, str, str], Planned] = {p.key: p for p in planned}
    have = {(o.unit_id, o.kind, o.period_key): o for o in obligations}
    for key, p in wanted.items():
        o = have.get(key)
        if o is None:
            warn = warning_date(p.due_date)
            new_rows.append({
                "task_id": task.id, "assignment_id": p.assignment_id, "unit_id": p.unit_id,
                "kind": p.kind.value if hasattr(p.kind, "value") else p.kind,
                "period_key": p.period_key, "title": p.title[:200], "internal": p.internal,
                "day_count": count.value, "due_date": p.due_date, "warn_date": warn,
                "state": "normal", "prev_state": "normal", "ladder_step": 0, "prev_ladder_step": 0,
                "next_check_date": today, "created_at": now,  # the next tick derives the colours
            })
        elif o.closed_at is None and o.kind == ObligationKind.complete and o.due_date != p.due_date:
            _set_due(o, p.due_date)  # an extension (延期) or a new internal date
            counts["moved"] += 1
    return wanted


def _settle_task(task: Task, assignments: list[Assignment], obligations: list[Obligation],
                 wanted: dict[tuple[int, str, str], Planned], now: datetime, counts: dict[str, int]) -> None:
    """Met, closed or owed again, from the task and its assignments as they are now."""
    open_ = [o for o in obligations if o.closed_at is None]
    # A completion request returned (退回重办) or a task reopened owes its deadline again.
    if task.status in (TaskStatus.assigned, TaskStatus.in_progress):
        for o in obligations:
            if o.kind == ObligationKind.complete and o.fulfilled_ref == f"task:{task.id}":
                o.closed_at = o.fulfilled_at = o.fulfilled_ref = None
                _set_due(o, task.deadline_date or o.due_date)
                open_.append(o)
                counts["reopened"] = counts.get("reopened", 0) + 1
    by_assignment = {a.id: a for a in assignments}
    assigned_units = {a.unit_id for a in assignments}
    for o in open_:
        if o.kind not in PLANNED_KINDS:
            continue
        if o.unit_id not in assigned_units or (o.unit_id, o.kind, o.period_key) not in wanted:
            _close(o, now)  # reassigned away, or a period beyond a shortened deadline
            counts["closed"] += 1
            continue
        a = by_assignment.get(o.assignment_id) if o.assignment_id else None
        a = a or next((x for x in assignments if x.unit_id == o.unit_id), None)
        if a is None:
            continue
        if o.kind == ObligationKind.sign and a.signed_at is not None:
            _fulfil(o, a.signed_at, f"assignment:{a.id}")
            counts["fulfilled"] += 1
        elif o.kind == ObligationKind.complete:
            if a.capacity == Capacity.lead and task.status in (TaskStatus.pending_review, TaskStatus.completed):
                _fulfil(o, task.submitted_at or task.completed_at or now, f"task:{task.id}")
                counts["fulfilled"] += 1
            elif a.capacity == Capacity.cooperating and (a.reported_at or a.done_at):
                _fulfil(o, a.reported_at or a.done_at, f"assignment:{a.id}")  # type: ignore[arg-type]
                counts["fulfilled"] += 1
            elif a.waived_at is not None:
                _close(o, now)
                counts["closed"] += 1
    if task.status == TaskStatus.completed:
        for o in open_:
            if o.closed_at is None and o.kind in PLANNED_KINDS:
                _close(o, now)
                counts["closed"] += 1


def find_drifted_tasks(session: Session) -> list[int]:
    """Tasks the event cursor may have missed: the lead deadline and its obligation disagree
    (moved without an event), or an issued, running task has no obligation at all (written by
    a transaction that committed long after its events were stamped)."""
    moved = select(Task.id).join(Obligation, and_(
        Obligation.task_id == Task.id, Obligation.unit_id == Task.lead_unit_id,
        Obligation.kind == ObligationKind.complete, Obligation.closed_at.is_(None),
        Obligation.paused_at.is_(None))).where(Obligation.due_date != Task.deadline_date)
    unplanned = select(Task.id).where(
        Task.issued_at.isnot(None),
        Task.status.in_((TaskStatus.assigned, TaskStatus.in_progress, TaskStatus.pending_review)),
        ~select(Obligation.id).where(Obligation.task_id == Task.id).exists())
    return sorted(set(session.execute(moved).scalars()) | set(session.execute(unplanned).scalars()))


__all__ = ["consume_task_events", "find_drifted_tasks", "reconcile"]
