"""Supervision actions on a unit for a task, coordination requests and leader instructions."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from luoshi.db import Base, utcnow


class ActionLevel(StrEnum):
    """In escalating order."""

    reminder = "reminder"  # 提醒
    urge = "urge"  # 催办
    notice = "notice"  # 督办单（须书面答复）
    interview = "interview"  # 约谈
    bulletin = "bulletin"  # 通报批评
    referral = "referral"  # 问责移送


LEVEL_ORDER = {level: i for i, level in enumerate(ActionLevel)}


class SupervisionAction(Base):
    __tablename__ = "supervision_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    response_due_date: Mapped[date | None]
    obligation_id: Mapped[int | None] = mapped_column(BigInteger)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    receipt_at: Mapped[datetime | None]  # 督办单签收回执
    response: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None]
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    responded_on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class CoordinationStatus(StrEnum):
    submitted = "submitted"  # 已提交
    answered = "answered"  # 已出具协调意见
    referred = "referred"  # 已呈报领导
    decided = "decided"  # 领导已批示


class CoordinationRequest(Base):
    """协调申请: raised by the lead unit after consulting its cooperating units."""

    __tablename__ = "coordination_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    subject: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    consultation: Mapped[str] = mapped_column(Text)  # 与配合单位的前期会商情况
    consulted_unit_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default=CoordinationStatus.submitted, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opinion: Mapped[str | None] = mapped_column(Text)  # 协调意见 or the office's proposal
    opinion_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opinion_at: Mapped[datetime | None]
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    leader_decision: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None]


class Instruction(Base):
    """领导批示 on a task or a report: the lead unit must act and answer by a date."""

    __tablename__ = "instructions"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None]  # the report the instruction was written on
    coordination_id: Mapped[int | None] = mapped_column(ForeignKey("coordination_requests.id"))
    leader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    content: Mapped[str] = mapped_column(Text)
    answer_due_date: Mapped[date]
    obligation_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_instructions_unit", "unit_id"),)
