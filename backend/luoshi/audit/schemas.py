from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    seq: int = Field(description="Position in the hash chain")
    at: datetime
    actor_id: int | None
    actor_username: str | None
    on_behalf_of_id: int | None = Field(description="The holder when a substitute acted (代管)")
    action: str = Field(description="e.g. auth.login, permission.denied, user.update, task.transition")
    target_type: str | None
    target_id: str | None
    outcome: str = Field(description="success, failure, denied or locked")
    ip: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class ChainVerification(BaseModel):
    ok: bool
    checked: int = Field(description="Entries verified")
    first_broken_seq: int | None
    first_broken_id: int | None
    reason: str | None
