from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi.disputes.models import DisputeStatus

# What the office decides on a dispute; also what ``allowed_actions`` lists.
Decision = Literal["reassign", "reject"]


class DisputeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=2, max_length=2000, description="Why the task is not this unit's business")
    suggested_unit_id: int | None = Field(default=None, description="The unit that should lead instead, if known")


class DisputeDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision = Field(
        description="reassign (改派 to new_lead_unit_id, the sign-for clock restarts) or reject "
        "(the unit must sign)")
    new_lead_unit_id: int | None = Field(default=None, description="Required when reassigning")
    reason: str | None = Field(default=None, max_length=2000, description="Required when rejecting")


class DisputeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_serialization_defaults_required=True)

    id: int
    task_id: int
    unit_id: int = Field(description="The lead unit that raised it")
    raised_by_id: int
    reason: str
    suggested_unit_id: int | None
    status: DisputeStatus
    new_lead_unit_id: int | None = Field(description="Set when reassigned")
    decided_by_id: int | None
    decided_at: datetime | None
    decision_reason: str | None
    created_at: datetime
    allowed_actions: list[Decision] = Field(
        default_factory=list, description="The decisions the caller may send now (POST …/decision): reassign "
        "only while the task waits to be signed for, reject while the lead unit's row is disputed")
