"""The deadline scan: move obligations to today's state and write what changed, once.

A tick claims the rows whose next boundary has come (``next_check_date <= today``) with one
UPDATE that keeps the old state beside the new and stamps the tick's id; events and
notifications are then INSERT ... SELECT from exactly those rows. Two workers cannot claim the
same row: on PostgreSQL the claim locks with SKIP LOCKED and re-checks the boundary of a row
another worker has just moved on, and the events' unique key turns any repeat into nothing.
A day the scan did not run is caught up by the next tick (the boundary is "<= today").
"""

import secrets
from datetime import datetime

from sqlalchemy import Date, Integer, String, and_, cast, func, insert, literal, or_, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.deadlines.models import DeadlineEvent, Obligation
from luoshi.deadlines.states import ScanClock
from luoshi.notifications.models import Notification, NotificationKind
from luoshi.permissions import Role
from luoshi.tasks.models import DeadlineState, Task
from luoshi.users.models import User, UserRole

O = Obligation  # noqa: E741 - the one table every statement here is about


def new_tick() -> int:
    return secrets.randbits(62)


def _dialect_insert(session: Session, table):  # type: ignore[no-untyped-def]
    name = session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(table)


def _claim(session: Session, clock: ScanClock, tick: int, full: bool) -> int:
    """Move the due rows on; returns how many were claimed."""
    new_state = clock.state_sql(O.due_date)
    new_ladder = clock.ladder_sql(O.due_date, O.kind)
    new_next = clock.next_check_sql(O.due_date, O.warn_date, O.kind)
    watched = and_(O.closed_at.is_(None), O.paused_at.is_(None))
    if full:
        due = and_(watched, or_(O.state != new_state, O.ladder_step != new_ladder,
                                O.next_check_date.is_distinct_from(new_next)))
    else:
        due = and_(O.next_check_date <= clock.today, watched)
    claim = select(O.id).where(due)
    if session.get_bind().dialect.name == "postgresql":
        claim = claim.with_for_update(skip_locked=True)
    result = session.execute(
        update(O).where(O.id.in_(claim.scalar_subquery()))
        .values(prev_state=O.state, prev_ladder_step=O.ladder_step, state=new_state,
                ladder_step=new_ladder, next_check_date=new_next, tick=tick)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def _ladder_rungs(clock: ScanClock):  # type: ignore[no-untyped-def]
    rows = [select(literal(k, Integer()).label("step"), literal(step.recipient, String()).label("recipient"))
            for k, step in enumerate(clock.ladder, start=1)]
    return union_all(*rows).subquery("rung") if rows else None


def _write_events(session: Session, clock: ScanClock, tick: int, now: datetime) -> int:
    cols = ["obligation_id", "task_id", "unit_id", "kind", "value", "step", "due_date", "at", "tick"]
    states = select(
        O.id, O.task_id, O.unit_id, literal("state"), O.state, literal(0), O.due_date,
        literal(now, DeadlineEvent.at.type), literal(tick, DeadlineEvent.tick.type),
    ).where(O.tick == tick, O.state != O.prev_state,
            O.state.in_((DeadlineState.due_soon.value, DeadlineState.overdue.value)))
    written = session.execute(
        _dialect_insert(session, DeadlineEvent).from_select(cols, states).on_conflict_do_nothing(),
        execution_options={"preserve_rowcount": True},
    ).rowcount or 0
    rung = _ladder_rungs(clock)
    if rung is not None:
        climbs = select(
            O.id, O.task_id, O.unit_id, literal("ladder"), rung.c.recipient, rung.c.step, O.due_date,
            literal(now, DeadlineEvent.at.type), literal(tick, DeadlineEvent.tick.type),
        ).join(rung, and_(rung.c.step > O.prev_ladder_step, rung.c.step <= O.ladder_step)).where(
            O.tick == tick, O.ladder_step > O.prev_ladder_step)
        written += session.execute(
            _dialect_insert(session, DeadlineEvent).from_select(cols, climbs).on_conflict_do_nothing(),
            execution_options={"preserve_rowcount": True},
        ).rowcount or 0
    return written


def _role_holders(role: Role):  # type: ignore[no-untyped-def]
    return (select(User.id.label("user_id"), User.unit_id.label("unit_id"))
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role.value, User.is_active.is_(True)))


def _notify(session: Session, tick: int, now: datetime) -> int:
    """One notification per event and recipient, written from this tick's events.

    A cooperating unit's internal date concerns its own liaison and head; the leader in
    charge and the office hear about the lead unit's deadline.
    """
    E = DeadlineEvent  # noqa: N806
    liaisons = _role_holders(Role.unit_staff).subquery("liaison")
    heads = _role_holders(Role.unit_head).subquery("head")
    office = _role_holders(Role.supervisor).subquery("office")
    due_text = cast(E.due_date, String())
    cols = ["recipient_id", "kind", "title", "body", "task_id", "obligation_id", "link", "data",
            "urgent", "requires_receipt", "created_at", "tick"]

    def rows(recipient, kind: str, title, urgent, *where):  # type: ignore[no-untyped-def]
        return (
            select(recipient, literal(kind), func.substr(title + Task.title, 1, 200),
                   literal("期限：") + due_text + literal("；") + O.title,
                   E.task_id, E.obligation_id,
                   literal("/tasks/") + cast(E.task_id, String()),
                   literal({}, Notification.data.type),
                   urgent, literal(False), literal(now, Notification.created_at.type),
                   literal(tick, Notification.tick.type))
            .select_from(E).join(O, O.id == E.obligation_id).join(Task, Task.id == E.task_id)
            .where(E.tick == tick, *where)
        )

    is_state = E.kind == "state"
    yellow = and_(is_state, E.value == DeadlineState.due_soon.value)
    red = and_(is_state, E.value == DeadlineState.overdue.value)
    rung = E.kind == "ladder"
    parts = [
        rows(liaisons.c.user_id, NotificationKind.due_soon, literal("【黄牌】临期："), literal(False), yellow)
        .join(liaisons, liaisons.c.unit_id == E.unit_id),
        rows(liaisons.c.user_id, NotificationKind.overdue, literal("【红牌】逾期："), literal(True), red)
        .join(liaisons, liaisons.c.unit_id == E.unit_id),
        rows(liaisons.c.user_id, NotificationKind.ladder, literal("【预警】"), literal(False),
             rung, E.value == "liaison").join(liaisons, liaisons.c.unit_id == E.unit_id),
        rows(heads.c.user_id, NotificationKind.ladder, literal("【预警·单位负责人】"), literal(True),
             rung, E.value == "unit_head").join(heads, heads.c.unit_id == E.unit_id),
        rows(Task.leader_id, NotificationKind.ladder, literal("【预警·分管领导】"), literal(True),
             rung, E.value == "leader", Task.leader_id.isnot(None), O.internal.is_(False)),
        rows(office.c.user_id, NotificationKind.ladder, literal("【预警·督查室】"), literal(True),
             rung, E.value == "office", O.internal.is_(False))
        .join(office, office.c.unit_id == Task.issuer_unit_id),
    ]
    total = 0
    for part in parts:
        total += session.execute(insert(Notification).from_select(cols, part),
                                 execution_options={"preserve_rowcount": True}).rowcount or 0
    return total


def tick(session: Session, *, full: bool = False, today=None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """One pass of the deadline scan; ``full`` re-derives every open row (settings changed)."""
    clock = ScanClock.for_day(today)
    run = new_tick()
    claimed = _claim(session, clock, run, full)
    if not claimed:
        return {"claimed": 0, "events": 0, "notifications": 0}
    now = utcnow()
    events = _write_events(session, clock, run, now)
    notifications = _notify(session, run, now) if events else 0
    return {"claimed": claimed, "events": events, "notifications": notifications}


__all__ = ["Date", "tick"]
