from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str = Field(description="task_issued, due_soon (黄牌), overdue (红牌), ladder, supervision, "
                                  "coordination, instruction, escalated, delegation")
    title: str
    body: str
    task_id: int | None
    obligation_id: int | None
    link: str | None = Field(description="Where the SPA opens it")
    data: dict[str, Any]
    urgent: bool
    requires_receipt: bool = Field(description="A formal notice (督办单): answer with a receipt")
    created_at: datetime
    delivered_at: datetime | None = Field(description="First shown to the recipient")
    read_at: datetime | None
    receipt_at: datetime | None
    escalated_at: datetime | None = Field(description="Passed on, unread, to the next recipient")


class UnreadCount(BaseModel):
    unread: int = Field(description="Unread notifications of the caller")
    urgent_unread: int = Field(description="Of which urgent")


class ReceiptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=500, description="Optional remark with the receipt")


class StreamToken(BaseModel):
    token: str = Field(description="Pass as `?token=` to GET /api/v1/notifications/stream")
    expires_in: int = Field(description="Seconds the token may be used to open a stream")
