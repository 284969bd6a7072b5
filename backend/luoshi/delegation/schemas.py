from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from luoshi.users.schemas import UserBrief


class DelegationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    substitute_id: int = Field(description="The user who will act for the caller")
    starts_at: AwareDatetime = Field(description="From (ISO 8601 with offset)")
    ends_at: AwareDatetime = Field(description="Until (exclusive)")
    reason: str = Field(default="", max_length=500, description="Why, e.g. 出差、休假")


class DelegationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    holder: UserBrief = Field(description="Whose rights are exercised")
    substitute: UserBrief = Field(description="Who acts")
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_at: datetime
    revoked_at: datetime | None
    active: bool = Field(description="In force now")
