"""Report obligations (回告节点) and the marks the scan leaves when their state changes."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from luoshi.db import Base, utcnow
from luoshi.tasks.models import DeadlineState

__all__ = ["DeadlineEvent", "DeadlineState", "Obligation", "ObligationKind", "ScanCursor"]

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit id.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class ObligationKind(StrEnum):
    sign = "sign"  # 签收
    report = "report"  # 回告（按反馈周期）
    complete = "complete"  # 办结（承办单位的最终期限）
    instruction = "instruction"  # 批示落实
    answer = "answer"  # 督办单书面答复


class Obligation(Base):
    """Something a unit owes by a date. One row per (task, unit, kind, period).

    ``state``, ``ladder_step`` and ``next_check_date`` are the scan's bookkeeping: the scan
    claims a row by moving them on, and the ``prev_*`` columns keep what they were so the
    events can be written set-based from the rows one tick changed (``tick`` names it).
    """

    __tablename__ = "obligations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("task_assignments.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    kind: Mapped[str] = mapped_column(String(16))
    # "sign", "final", "2026-W48", "2026-11", "2026-Q4", "2026", "2026-12-15", "instruction:7"
    period_key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200), default="")
    # Internal due date of a cooperating unit, ahead of the lead unit's (内部时限).
    internal: Mapped[bool] = mapped_column(default=False)
    day_count: Mapped[str] = mapped_column(String(10), default="working")
    due_date: Mapped[date]
    warn_date: Mapped[date]
    source_type: Mapped[str | None] = mapped_column(String(24))
    source_id: Mapped[int | None]

    state: Mapped[str] = mapped_column(String(10), default=DeadlineState.normal)
    prev_state: Mapped[str] = mapped_column(String(10), default=DeadlineState.normal)
    ladder_step: Mapped[int] = mapped_column(default=0)
    prev_ladder_step: Mapped[int] = mapped_column(default=0)
    next_check_date: Mapped[date | None]
    tick: Mapped[int | None] = mapped_column(BigInteger)

    paused_at: Mapped[datetime | None]
    fulfilled_at: Mapped[datetime | None]
    fulfilled_ref: Mapped[str | None] = mapped_column(String(40))
    closed_at: Mapped[datetime | None]  # fulfilled, cancelled or waived: no longer watched
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", "kind", "period_key"),
        # The routine tick reads only rows whose next boundary has come: tiny and indexed.
        Index("ix_obligations_next_check", "next_check_date",
              postgresql_where=text("next_check_date IS NOT NULL"),
              sqlite_where=text("next_check_date IS NOT NULL")),
        # Few indexes on purpose: a state change rewrites every index entry of the row.
        # (A unit's obligations are found through its tasks: task_id leads the unique key.)
    )


class DeadlineEvent(Base):
    """A state change (黄牌, 红牌) or a rung of the warning ladder reached, once per due date."""

    __tablename__ = "deadline_events"

    # The key is the event's identity: once per obligation, due date and step. No surrogate id
    # and no foreign key: an append-only log the scan writes by the hundred thousand.
    obligation_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    task_id: Mapped[int]  # a task's events are found through its obligations (the key leads with them)
    unit_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))  # "state" or "ladder"
    value: Mapped[str] = mapped_column(String(16))  # the new state, or the ladder recipient
    step: Mapped[int] = mapped_column(primary_key=True)  # ladder rung 1, 2, …; due_soon -1, overdue -2
    due_date: Mapped[date] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    tick: Mapped[int] = mapped_column(BigInteger)


class ScanCursor(Base):
    """How far a consumer has read an append-only table (task events, reports)."""

    __tablename__ = "scan_cursors"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
