"""Tasks (督办事项) as a tree, the units taking part in each, milestones and the event history."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from luoshi.db import Base, utcnow
from luoshi.org.models import Unit


class TaskStatus(StrEnum):
    draft = "draft"  # 草稿
    assigned = "assigned"  # 已交办
    in_progress = "in_progress"  # 办理中
    pending_review = "pending_review"  # 待审核（申请办结）
    completed = "completed"  # 已办结
    suspended = "suspended"  # 暂缓
    cancelled = "cancelled"  # 已撤销


OPEN_STATUSES = frozenset({
    TaskStatus.draft, TaskStatus.assigned, TaskStatus.in_progress, TaskStatus.pending_review,
    TaskStatus.suspended,
})
CLOSED_STATUSES = frozenset({TaskStatus.completed, TaskStatus.cancelled})


class SourceType(StrEnum):
    leader_instruction = "leader_instruction"  # 领导批示
    meeting_decision = "meeting_decision"  # 会议决定
    superior_document = "superior_document"  # 上级文件
    government_work_report = "government_work_report"  # 政府工作报告
    npc_suggestion = "npc_suggestion"  # 人大建议
    cppcc_proposal = "cppcc_proposal"  # 政协提案
    research_finding = "research_finding"  # 调研问题
    inspection_finding = "inspection_finding"  # 督查发现
    public_request = "public_request"  # 群众诉求
    other = "other"  # 其他


class Priority(StrEnum):
    normal = "normal"  # 一般
    high = "high"  # 重要
    urgent = "urgent"  # 紧急


class FeedbackCycle(StrEnum):
    once = "once"  # 办结时一次回告
    weekly = "weekly"  # 周调度
    monthly = "monthly"  # 月分析
    quarterly = "quarterly"  # 季汇总
    yearly = "yearly"  # 年总结
    dates = "dates"  # 指定日期


class Capacity(StrEnum):
    lead = "lead"  # 牵头单位
    cooperating = "cooperating"  # 配合单位


class AssignmentState(StrEnum):
    assigned = "assigned"  # 待签收
    signed = "signed"  # 已签收
    reported = "reported"  # 已回告（配合单位报送其承担部分）
    done = "done"  # 已办结
    disputed = "disputed"  # 退回交办申请中
    waived = "waived"  # 免于回告（督查员豁免）


class DeadlineState(StrEnum):
    normal = "normal"  # 正常
    due_soon = "due_soon"  # 临期（黄牌）
    overdue = "overdue"  # 逾期（红牌）
    on_time = "on_time"  # 按时办结
    late = "late"  # 逾期办结


def ancestor_ids(path: str) -> list[int]:
    """The ids above a task, root first, from its path (``/12/40/41/`` -> ``[12, 40]``)."""
    return [int(p) for p in path.strip("/").split("/") if p][:-1]


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    # The tree's root (itself for a root); every subtree query is narrowed by it first.
    root_id: Mapped[int | None]
    # "/12/40/41/": ids from the root down to this task; a subtree is a prefix match.
    path: Mapped[str] = mapped_column(String(1000))
    depth: Mapped[int] = mapped_column(default=0)
    sort_order: Mapped[int] = mapped_column(default=0)

    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    source_type: Mapped[str] = mapped_column(String(30), default=SourceType.other)
    source_ref: Mapped[str | None] = mapped_column(String(200))
    source_date: Mapped[date | None]
    category: Mapped[str | None] = mapped_column(String(60))
    priority: Mapped[str] = mapped_column(String(10), default=Priority.normal)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)

    # Who answers for it: the leader in charge (分管领导), the one lead unit, and the unit that
    # assigned it (a supervision office, or the parent's lead unit when it decomposed the work).
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    issuer_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # ix_tasks_issuer_status

    deadline_date: Mapped[date | None] = mapped_column(index=True)
    # The deadline first set; extensions move deadline_date only (evaluation uses this).
    original_deadline_date: Mapped[date | None]
    feedback_cycle: Mapped[str] = mapped_column(String(20), default=FeedbackCycle.once)
    # How this task's clock counts: "working" days (工作日, the PRC holiday and 调休 calendar) or
    # "calendar" days; None follows settings.default_day_count.
    deadline_day_count: Mapped[str | None] = mapped_column(String(10))
    feedback_dates: Mapped[list[str]] = mapped_column(JSON, default=list)

    weight: Mapped[float] = mapped_column(default=1.0)
    # Percent done: reported for a leaf, rolled up from the children for a parent.
    progress: Mapped[int] = mapped_column(default=0)
    # Not redundant beside ix_tasks_status_deadline_issuer: on SQLite this index holds each
    # status's tasks in id order, the list's, so a filtered page is read from its top
    # (tests/test_bench_dataset.py).
    status: Mapped[str] = mapped_column(String(20), default=TaskStatus.draft, index=True)
    status_before_suspend: Mapped[str | None] = mapped_column(String(20))
    return_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    issued_at: Mapped[datetime | None]
    signed_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    completed_on_time: Mapped[bool | None]
    suspended_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    assignments: Mapped[list["Assignment"]] = relationship(
        lazy="raise", back_populates="task", order_by="Assignment.id",
    )
    lead_unit: Mapped[Unit | None] = relationship(lazy="joined", foreign_keys=[lead_unit_id])
    issuer_unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True, foreign_keys=[issuer_unit_id])
    milestones: Mapped[list["Milestone"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="Milestone.planned_date",
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_tasks_root_path", "root_id", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
        # A queue of tasks in one status by deadline, their issuer tested from the index (the
        # to-do's tasks awaiting approval: migration 0011).
        Index("ix_tasks_status_deadline_issuer", "status", "deadline_date", "issuer_unit_id"),
        # What a unit issued, and in which status (the to-do's 待审核: submitted to me).
        Index("ix_tasks_issuer_status", "issuer_unit_id", "status"),
    )

    @property
    def ancestor_ids(self) -> list[int]:
        return ancestor_ids(self.path)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Assignment(Base):
    """One unit's part in one task (承办): lead or cooperating, with its own state and clock."""

    __tablename__ = "task_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    capacity: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=AssignmentState.assigned)
    # A cooperating unit's own due date for reporting its part to the lead unit.
    due_date: Mapped[date | None]
    assigned_at: Mapped[datetime | None]
    signed_at: Mapped[datetime | None]
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reported_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    disputed_at: Mapped[datetime | None]
    waived_at: Mapped[datetime | None]
    waived_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    waive_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    task: Mapped[Task] = relationship(lazy="raise", back_populates="assignments")
    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)

    __table_args__ = (
        UniqueConstraint("task_id", "unit_id"),
        # A unit's assignments by state, with what the to-do reads of each (migration 0010).
        Index("ix_task_assignments_unit_queue", "unit_id", "state", "capacity", "task_id", "due_date",
              "assigned_at", postgresql_include=["id"]),
    )


class Milestone(Base):
    """A dated step of a task (时间节点)."""

    __tablename__ = "task_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    planned_date: Mapped[date]
    done_date: Mapped[date | None]


class TaskEvent(Base):
    """One thing that happened to a task; written once, never changed."""

    __tablename__ = "task_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # 代管
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    # No foreign key: an assignment replaced when a dispute reassigns the lead unit keeps its history.
    assignment_id: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_task_events_task_id_id", "task_id", "id"),)


@event.listens_for(TaskEvent, "before_update")
@event.listens_for(TaskEvent, "before_delete")
def _events_are_immutable(*_: Any) -> None:
    raise RuntimeError("task events are append-only")
