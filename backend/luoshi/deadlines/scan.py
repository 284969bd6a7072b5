"""The deadline scan: move obligations to today's state and write what changed, once.

A tick claims the rows whose next boundary has come (``next_check_date <= today``) with one
UPDATE that keeps the old state beside the new; events and notifications are then
INSERT ... SELECT from exactly those rows. On PostgreSQL the claim, the colour events and
their notifications are one statement (data-modifying CTEs); on SQLite they are a few
statements over the claimed ids.

Two workers cannot claim the same row: on PostgreSQL a transaction-level advisory lock lets
one scanner run at a time, an UPDATE re-checks the boundary of a row another transaction has
just moved on, and the events' key turns any repeat into nothing. A day the scan did not run
is caught up by the next tick (the boundary is "<= today").
"""

import secrets
from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Integer,
    String,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
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


def is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# Events are unique per (obligation, due date, step): ladder rungs count 1, 2, …; the two
# colours take negative steps so one small integer key covers both.
STEP_DUE_SOON, STEP_OVERDUE = -1, -2
SCAN_LOCK = 0x6C756F736869  # "luoshi": the advisory lock key of the deadline scan
SQLITE_CHUNK = 900  # under SQLite's bound-parameter limit


def in_ids(session: Session, column, ids: Sequence[int]) -> Iterator:  # type: ignore[no-untyped-def]
    """``column IN ids`` as one array parameter on PostgreSQL, in chunks on SQLite."""
    if is_pg(session):
        yield column == any_(bindparam("ids", list(ids), type_=ARRAY(BigInteger())))
        return
    for i in range(0, len(ids), SQLITE_CHUNK):
        yield column.in_(list(ids[i:i + SQLITE_CHUNK]))


def _claim_statement(clock: ScanClock, tick: int, full: bool):  # type: ignore[no-untyped-def]
    """The UPDATE that moves the due rows on, keeping their old state beside the new."""
    new_state = clock.state_sql(O.due_date)
    new_ladder = clock.ladder_sql(O.due_date, O.kind)
    new_next = clock.next_check_sql(O.due_date, O.warn_date, O.kind)
    watched = and_(O.closed_at.is_(None), O.paused_at.is_(None))
    if full:
        due = and_(watched, or_(O.state != new_state, O.ladder_step != new_ladder,
                                O.next_check_date.is_distinct_from(new_next)))
    else:
        due = and_(O.next_check_date <= clock.today, watched)
    return (update(O).where(due)
            .values(prev_state=O.state, prev_ladder_step=O.ladder_step, state=new_state,
                    ladder_step=new_ladder, next_check_date=new_next, tick=tick)
            .execution_options(synchronize_session=False))


def _claim(session: Session, clock: ScanClock, tick: int, full: bool) -> list:  # type: ignore[type-arg]
    """Move the due rows on; returns (id, state, prev_state, climbed)."""
    return list(session.execute(_claim_statement(clock, tick, full).returning(
        O.id, O.state, O.prev_state, (O.ladder_step > O.prev_ladder_step).label("climbed"))).all())


def _ladder_rungs(clock: ScanClock):  # type: ignore[no-untyped-def]
    rows = [select(literal(k, Integer()).label("step"), literal(step.recipient, String()).label("recipient"))
            for k, step in enumerate(clock.ladder, start=1)]
    return union_all(*rows).subquery("rung") if rows else None


Selection = tuple[object, list[int], tuple[object, ...]]  # (column, ids, further conditions)


def _write_events(session: Session, clock: ScanClock, claimed: list, tick: int,  # type: ignore[type-arg]
                  now: datetime) -> tuple[int, dict[tuple[str, str], Selection]]:
    """Write the colour changes and ladder rungs of the claimed rows; returns how many, and
    how to find each kind of new event again for the notifications. Each statement reads
    only the rows that have something to say."""
    cols = ["obligation_id", "task_id", "unit_id", "kind", "value", "step", "due_date", "at", "tick"]
    E = DeadlineEvent  # noqa: N806
    found: dict[tuple[str, str], Selection] = {}
    written = 0
    for colour, step in ((DeadlineState.due_soon.value, STEP_DUE_SOON), (DeadlineState.overdue.value, STEP_OVERDUE)):
        ids = [r.id for r in claimed if r.state == colour and r.prev_state != colour]
        if not ids:
            continue
        for chosen in in_ids(session, O.id, ids):
            written += session.execute(
                _dialect_insert(session, E).from_select(cols, select(
                    O.id, O.task_id, O.unit_id, literal("state"), O.state, literal(step), O.due_date,
                    literal(now, E.at.type), literal(tick, E.tick.type)).where(chosen))
                .on_conflict_do_nothing(), execution_options={"preserve_rowcount": True}).rowcount or 0
        # Found again by obligation (the event key's first column) and this tick's stamp.
        found[("state", colour)] = (E.obligation_id, ids, (E.tick == tick, E.step == step))
    ladder_written, ladder_found = _write_ladder_events(session, clock, [r.id for r in claimed if r.climbed],
                                                        tick, now)
    return written + ladder_written, found | ladder_found


def _write_ladder_events(session: Session, clock: ScanClock, climbed: list[int], tick: int,
                         now: datetime) -> tuple[int, dict[tuple[str, str], Selection]]:
    """One event per rung each climbing row passed (after a gap, several at once)."""
    cols = ["obligation_id", "task_id", "unit_id", "kind", "value", "step", "due_date", "at", "tick"]
    E = DeadlineEvent  # noqa: N806
    found: dict[tuple[str, str], Selection] = {}
    written = 0
    rung = _ladder_rungs(clock)
    if rung is not None and climbed:
        by_recipient: dict[str, list[int]] = {}
        for chosen in in_ids(session, O.id, climbed):
            rows = session.execute(
                _dialect_insert(session, E).from_select(cols, select(
                    O.id, O.task_id, O.unit_id, literal("ladder"), rung.c.recipient, rung.c.step, O.due_date,
                    literal(now, E.at.type), literal(tick, E.tick.type),
                ).join(rung, and_(rung.c.step > O.prev_ladder_step, rung.c.step <= O.ladder_step)).where(chosen))
                .on_conflict_do_nothing().returning(E.obligation_id, E.value)).all()
            for r in rows:
                by_recipient.setdefault(r.value, []).append(r.obligation_id)
        for recipient, ids in by_recipient.items():
            written += len(ids)
            found[("ladder", recipient)] = (E.obligation_id, ids, (E.tick == tick, E.value == recipient))
    return written, found


def _role_holders(role: Role):  # type: ignore[no-untyped-def]
    return (select(User.id.label("user_id"), User.unit_id.label("unit_id"))
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == role.value, User.is_active.is_(True)))


def _notify(session: Session, events: dict[tuple[str, str], Selection], now: datetime) -> int:
    """One notification per event and recipient, written from this tick's events.

    A red card goes to the unit's liaison; urgency (and escalation when unread) belongs to
    the ladder's rungs above the liaison. A cooperating unit's internal date concerns its
    own liaison and head; the leader in charge and the office hear about the lead unit's.
    """
    total = 0
    for key, (column, ids, conditions) in events.items():
        build = _NOTIFICATIONS.get(key)
        if build is None:
            continue
        for chosen in in_ids(session, column, ids):
            total += session.execute(
                insert(Notification).from_select(NOTIFICATION_COLS, build(and_(chosen, *conditions), now)),
                execution_options={"preserve_rowcount": True}).rowcount or 0
    return total


NOTIFICATION_COLS = ["recipient_id", "kind", "title", "body", "task_id", "obligation_id", "link", "data",
                     "urgent", "requires_receipt", "created_at"]


def _rows(recipient, kind: str, title: str, urgent: bool, chosen, now: datetime, *where):  # type: ignore[no-untyped-def]
    """The obligation itself is joined only where a condition needs it (the ladder's upper
    rungs): at a hundred thousand rows the join is the dearest part of the statement."""
    E = DeadlineEvent  # noqa: N806
    query = (
        select(recipient, literal(kind), func.substr(literal(title) + Task.title, 1, 200),
               literal("期限：") + cast(E.due_date, String()),
               E.task_id, E.obligation_id, literal("/tasks/") + cast(E.task_id, String()),
               literal({}, Notification.data.type), literal(urgent), literal(False),
               literal(now, Notification.created_at.type))
        .select_from(E).join(Task, Task.id == E.task_id)
        .where(chosen, *where)
    )
    if any(O.__table__ in w._from_objects for w in where):  # noqa: SLF001
        query = query.join(O, O.id == E.obligation_id)
    return query


def _unit_people(role: Role, kind: str, title: str, urgent: bool):  # type: ignore[no-untyped-def]
    def build(chosen, now: datetime):  # type: ignore[no-untyped-def]
        people = _role_holders(role).subquery("people")
        return (_rows(people.c.user_id, kind, title, urgent, chosen, now)
                .join(people, people.c.unit_id == DeadlineEvent.unit_id))
    return build


def _leader(chosen, now: datetime):  # type: ignore[no-untyped-def]
    return _rows(Task.leader_id, NotificationKind.ladder, "【预警·分管领导】", True, chosen, now,
                 Task.leader_id.isnot(None), O.internal.is_(False))


def _office(chosen, now: datetime):  # type: ignore[no-untyped-def]
    office = _role_holders(Role.supervisor).subquery("office")
    return (_rows(office.c.user_id, NotificationKind.ladder, "【预警·督查室】", True, chosen, now,
                  O.internal.is_(False))
            .join(office, office.c.unit_id == Task.issuer_unit_id))


_NOTIFICATIONS = {
    ("state", DeadlineState.due_soon.value): _unit_people(Role.unit_staff, NotificationKind.due_soon,
                                                          "【黄牌】临期：", False),
    ("state", DeadlineState.overdue.value): _unit_people(Role.unit_staff, NotificationKind.overdue,
                                                         "【红牌】逾期：", False),
    ("ladder", "liaison"): _unit_people(Role.unit_staff, NotificationKind.ladder, "【预警】", False),
    ("ladder", "unit_head"): _unit_people(Role.unit_head, NotificationKind.ladder, "【预警·单位负责人】", True),
    ("ladder", "leader"): _leader,
    ("ladder", "office"): _office,
}


def _pg_tick(session: Session, clock: ScanClock, tick: int, full: bool, now: datetime) -> dict[str, int]:
    """PostgreSQL: the claim, the colour events and their notifications in one statement
    (data-modifying CTEs), so a hundred thousand rows never travel to Python and back; the
    ladder's few rows then take the common path."""
    E = DeadlineEvent  # noqa: N806
    claimed = _claim_statement(clock, tick, full).returning(
        O.id, O.task_id, O.unit_id, O.due_date, O.state, O.prev_state, O.ladder_step, O.prev_ladder_step,
    ).cte("claimed")
    colours = (DeadlineState.due_soon.value, DeadlineState.overdue.value)
    step = case((claimed.c.state == DeadlineState.due_soon.value, literal(STEP_DUE_SOON)), else_=literal(STEP_OVERDUE))
    events = (
        postgresql.insert(E).from_select(
            ["obligation_id", "task_id", "unit_id", "kind", "value", "step", "due_date", "at", "tick"],
            select(claimed.c.id, claimed.c.task_id, claimed.c.unit_id, literal("state"), claimed.c.state, step,
                   claimed.c.due_date, literal(now, E.at.type), literal(tick, E.tick.type))
            .where(claimed.c.state != claimed.c.prev_state, claimed.c.state.in_(colours)))
        .on_conflict_do_nothing()
        .returning(E.obligation_id, E.task_id, E.unit_id, E.value, E.due_date)
        .cte("colour_events")
    )
    liaison = _role_holders(Role.unit_staff).subquery("liaison")
    red = events.c.value == DeadlineState.overdue.value
    notes = (
        insert(Notification).from_select(NOTIFICATION_COLS, select(
            liaison.c.user_id,
            case((red, literal(NotificationKind.overdue.value)), else_=literal(NotificationKind.due_soon.value)),
            func.substr(case((red, literal("【红牌】逾期：")), else_=literal("【黄牌】临期：")) + Task.title, 1, 200),
            literal("期限：") + cast(events.c.due_date, String()),
            events.c.task_id, events.c.obligation_id, literal("/tasks/") + cast(events.c.task_id, String()),
            literal({}, Notification.data.type), literal(False), literal(False),
            literal(now, Notification.created_at.type),
        ).select_from(events).join(Task, Task.id == events.c.task_id)
            .join(liaison, liaison.c.unit_id == events.c.unit_id))
        .returning(Notification.id)
        .cte("colour_notes")
    )
    counts = session.execute(select(
        select(func.count()).select_from(claimed).scalar_subquery().label("claimed"),
        select(func.count()).select_from(events).scalar_subquery().label("events"),
        select(func.count()).select_from(notes).scalar_subquery().label("notes"),
        select(func.array_agg(claimed.c.id)).where(claimed.c.ladder_step > claimed.c.prev_ladder_step)
        .scalar_subquery().label("climbed"),
    )).one()
    written, found = _write_ladder_events(session, clock, list(counts.climbed or []), tick, now)
    return {"claimed": counts.claimed, "events": counts.events + written,
            "notifications": counts.notes + (_notify(session, found, now) if written else 0)}


def tick(session: Session, *, full: bool = False, today=None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """One pass of the deadline scan; ``full`` re-derives every open row (settings changed)."""
    clock = ScanClock.for_day(today)
    run = new_tick()
    if is_pg(session):
        # One scanner at a time; a second worker finds the lock taken and leaves the tick to
        # the first. Without the lock the result would be the same (an UPDATE re-checks the
        # boundary of a row another worker has just moved on), only slower to find out.
        if not session.execute(select(func.pg_try_advisory_xact_lock(SCAN_LOCK))).scalar():
            return {"claimed": 0, "events": 0, "notifications": 0}
        # A crash before the WAL reaches disk loses the whole tick, claim included, and the
        # next tick does it again: nothing is lost or doubled, so the commit need not wait.
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        return _pg_tick(session, clock, run, full, utcnow())
    claimed = _claim(session, clock, run, full)
    if not claimed:
        return {"claimed": 0, "events": 0, "notifications": 0}
    now = utcnow()
    written, events = _write_events(session, clock, claimed, run, now)
    notifications = _notify(session, events, now) if written else 0
    return {"claimed": len(claimed), "events": written, "notifications": notifications}


__all__ = ["in_ids", "new_tick", "tick"]
