"""Obligations other domains create and fulfil, and the read side (a task's obligations, slips)."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.deadlines.calendar import DayCount, add_days
from luoshi.deadlines.calendar import warning_date as _warning_date
from luoshi.deadlines.models import Obligation, ObligationKind
from luoshi.deadlines.reconcile import _fulfil
from luoshi.deadlines.states import ScanClock, local_date


def add_obligation(session: Session, *, task_id: int, unit_id: int, kind: ObligationKind,
                   period_key: str, title: str, due_date: date, source_type: str | None = None,
                   source_id: int | None = None, day_count: DayCount = DayCount.working) -> Obligation:
    """An obligation outside the cadence: a leader's instruction, a formal notice's answer."""
    warn = _warning_date(due_date)
    o = Obligation(task_id=task_id, unit_id=unit_id, kind=kind.value, period_key=period_key,
                   title=title[:200], due_date=due_date, warn_date=warn, day_count=day_count.value,
                   source_type=source_type, source_id=source_id, state="normal",
                   prev_state="normal", ladder_step=0, prev_ladder_step=0,
                   next_check_date=local_date(utcnow()),
                   created_at=utcnow())
    session.add(o)
    session.flush()
    return o


def due_in(days: int, count: DayCount = DayCount.working, start: date | None = None) -> date:
    return add_days(start or local_date(utcnow()), days, count)


def fulfil_obligation(session: Session, *, task_id: int, unit_id: int, at: datetime | None = None,
                      ref: str, kind: ObligationKind = ObligationKind.report,
                      period_key: str | None = None, source_id: int | None = None) -> Obligation | None:
    """Mark the unit's obligation met (a report submitted, an answer given).

    Without a period the earliest open one is met: a report handed in early counts for the
    period it is next due in. Returns None when nothing was open.
    """
    query = select(Obligation).where(
        Obligation.task_id == task_id, Obligation.unit_id == unit_id, Obligation.kind == kind.value,
        Obligation.closed_at.is_(None),
    )
    if period_key is not None:
        query = query.where(Obligation.period_key == period_key)
    if source_id is not None:
        query = query.where(Obligation.source_id == source_id)
    o = session.execute(query.order_by(Obligation.due_date, Obligation.id).limit(1)
                        .with_for_update()).scalar_one_or_none()
    if o is None:
        return None
    _fulfil(o, at or utcnow(), ref)
    session.flush()
    return o


def close_obligation(session: Session, obligation_id: int | None) -> None:
    if obligation_id is None:
        return
    o = session.get(Obligation, obligation_id)
    if o is not None and o.closed_at is None:
        o.closed_at = utcnow()
        o.next_check_date = None


def current_state(o: Obligation, clock: ScanClock | None = None) -> str:
    """The state as of now, from the dates (the stored one is the scan's last look)."""
    clock = clock or ScanClock.for_day()
    if o.fulfilled_at is not None:
        return clock.state(o.due_date, local_date(o.fulfilled_at)).value
    if o.closed_at is not None or o.paused_at is not None:
        return o.state
    return clock.state(o.due_date).value


def task_obligations(session: Session, task_id: int) -> list[Obligation]:
    return list(session.execute(
        select(Obligation).where(Obligation.task_id == task_id)
        .order_by(Obligation.due_date, Obligation.unit_id, Obligation.id)
    ).scalars())
