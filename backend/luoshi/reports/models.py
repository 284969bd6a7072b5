"""Reports back (回告): a unit's progress or completion report on one task."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from luoshi.attachments.models import Attachment
from luoshi.db import Base, utcnow
from luoshi.org.models import Unit
from luoshi.users.models import User


class ReportKind(StrEnum):
    progress = "progress"  # 进展情况报告
    completion = "completion"  # 办结报告: what 申请办结 requires


class ReportCapacity(StrEnum):
    """Whom the report goes to: a cooperating unit reports its part to the lead unit; the
    lead unit reports (consolidated) to the supervision office."""

    lead = "lead"  # 牵头单位 → 督查室
    cooperating = "cooperating"  # 配合单位 → 牵头单位


class ReportStatus(StrEnum):
    draft = "draft"  # 草稿
    pending_unit_approval = "pending_unit_approval"  # 待单位把关
    submitted = "submitted"  # 已报送
    accepted = "accepted"  # 已采纳
    returned = "returned"  # 已退回 (editable again, then resubmitted)


EDITABLE = frozenset({ReportStatus.draft, ReportStatus.returned})
# Still with the unit: not yet seen by the recipient.
UNSENT = frozenset({ReportStatus.draft, ReportStatus.pending_unit_approval, ReportStatus.returned})


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))  # ix_reports_task_unit_status
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    capacity: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(24), default=ReportStatus.draft)
    progress_text: Mapped[str] = mapped_column(Text, default="")  # 进展情况
    percent_done: Mapped[int | None]
    problems: Mapped[str] = mapped_column(Text, default="")  # 存在问题
    next_steps: Mapped[str] = mapped_column(Text, default="")  # 下步计划
    support_needed: Mapped[str] = mapped_column(Text, default="")  # 需协调支持事项
    highlights_good: Mapped[str] = mapped_column(Text, default="")  # 喜
    highlights_bad: Mapped[str] = mapped_column(Text, default="")  # 忧
    # The cooperating units' reports a lead unit's consolidated report was built from.
    source_report_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    return_reason: Mapped[str | None] = mapped_column(Text)
    return_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None]
    unit_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unit_approved_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id], lazy="joined", innerjoin=True)
    attachments: Mapped[list[Attachment]] = relationship(lazy="selectin", order_by="Attachment.id")

    # Two reviewers (or a reviewer and an editor) acting at once: the second one gets 409.
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_reports_task_unit_status", "task_id", "unit_id", "status"),
        # The to-do finds the reports waiting for review or a unit head by their status.
        Index("ix_reports_status_unit", "status", "unit_id"),
        # The reports waiting for review, with what the to-do reads of each (migration 0009).
        Index("ix_reports_review_queue", "status", "capacity", "task_id", "kind", "submitted_at", "unit_id",
              postgresql_include=["id"]),
    )


REPORT_TEXT_FIELDS = (
    "progress_text", "percent_done", "problems", "next_steps", "support_needed",
    "highlights_good", "highlights_bad",
)
