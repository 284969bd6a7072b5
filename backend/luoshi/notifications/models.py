"""Notifications, one row per recipient."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from luoshi.db import Base, utcnow

BigId = BigInteger().with_variant(Integer(), "sqlite")


class NotificationKind(StrEnum):
    task_issued = "task_issued"  # 交办通知
    due_soon = "due_soon"  # 黄牌：临期
    overdue = "overdue"  # 红牌：逾期
    ladder = "ladder"  # 预警逐级上报
    supervision = "supervision"  # 督办（提醒、催办、督办单、约谈、通报、问责）
    coordination = "coordination"  # 协调申请
    instruction = "instruction"  # 领导批示
    escalated = "escalated"  # 未读紧急消息转交
    delegation = "delegation"  # 代管


class Notification(Base):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # No foreign keys on this table: the scan writes notifications by the hundred thousand and
    # a per-row constraint trigger would double the cost; users and tasks are never deleted.
    recipient_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    task_id: Mapped[int | None]
    obligation_id: Mapped[int | None] = mapped_column(BigInteger)
    link: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    urgent: Mapped[bool] = mapped_column(default=False)
    requires_receipt: Mapped[bool] = mapped_column(default=False)  # 督办单须签收回执
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]  # first shown to the recipient (list or stream)
    read_at: Mapped[datetime | None]
    receipt_at: Mapped[datetime | None]
    receipt_by_id: Mapped[int | None]
    # Urgent and still unread after the set time: passed on once to the next recipient.
    escalated_at: Mapped[datetime | None]
    escalated_from_id: Mapped[int | None] = mapped_column(BigInteger)
    tick: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        Index("ix_notifications_recipient_id", "recipient_id", "id"),
        Index("ix_notifications_unread_urgent", "created_at",
              postgresql_where=text("urgent AND read_at IS NULL AND escalated_at IS NULL"),
              sqlite_where=text("urgent AND read_at IS NULL AND escalated_at IS NULL")),
    )
