from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from luoshi.org.models import UnitKind


class UnitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=120, description="Full name, e.g. 武汉市发展和改革委员会")
    short_name: str = Field(min_length=1, max_length=40, description="Short name, e.g. 市发改委")
    code: str = Field(
        min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$",
        description="Unique unit code (统一社会信用代码 or an internal code)",
    )
    kind: UnitKind = Field(description="What sort of unit this is")
    parent_id: int | None = Field(default=None, description="Parent unit; null for a root")
    sort_order: int = Field(default=0, description="Position among its siblings")


class UnitUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=2, max_length=120)
    short_name: str | None = Field(default=None, min_length=1, max_length=40)
    code: str | None = Field(default=None, min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    kind: UnitKind | None = None
    parent_id: int | None = Field(default=None, description="Move the unit under another one")
    sort_order: int | None = None
    is_active: bool | None = Field(default=None, description="Inactive units take no new tasks")


class UnitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    short_name: str
    code: str
    kind: UnitKind
    parent_id: int | None
    depth: int = Field(description="0 for a root")
    sort_order: int
    is_active: bool
    created_at: datetime
    updated_at: datetime


class UnitBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    short_name: str
