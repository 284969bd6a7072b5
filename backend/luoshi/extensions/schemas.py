from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi.extensions.models import ExtensionStatus

# What the office (or the leader in charge) decides; also what ``allowed_actions`` lists.
Decision = Literal["approve", "reject"]


class ExtensionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    requested_deadline_date: date = Field(description="The new deadline asked for (a date, Asia/Shanghai)")
    reason: str = Field(min_length=2, max_length=2000, description="Why more time is needed")


class ExtensionDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision = Field(description="approve (批准) or reject (不批准)")
    reason: str | None = Field(default=None, max_length=2000, description="Required when rejecting")


class ExtensionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_serialization_defaults_required=True)

    id: int
    task_id: int
    unit_id: int = Field(description="The requesting (lead) unit")
    requested_by_id: int
    current_deadline_date: date = Field(description="The deadline when the request was made")
    requested_deadline_date: date
    reason: str
    status: ExtensionStatus
    decided_by_id: int | None
    decided_at: datetime | None
    decision_reason: str | None
    created_at: datetime
    allowed_actions: list[Decision] = Field(
        default_factory=list, description="The decisions the caller may send now (POST …/decision): approve "
        "only while the task is under way, reject while the request is pending")
