from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from luoshi.org.schemas import UnitBrief
from luoshi.permissions import Role


def _unique_roles(roles: list[Role]) -> list[Role]:
    if len(set(roles)) != len(roles):
        raise ValueError("duplicate role")
    return roles


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$",
                          description="Sign-in name")
    password: str = Field(min_length=1, max_length=128, description="Must satisfy the password policy")
    display_name: str = Field(min_length=1, max_length=64, description="Name shown to others")
    unit_id: int = Field(description="The unit the user belongs to")
    roles: list[Role] = Field(min_length=1, description="One or more roles")
    title: str | None = Field(default=None, max_length=64, description="Post, e.g. 副市长")
    phone: str | None = Field(default=None, max_length=32)
    is_chief: bool = Field(default=False, description="主要领导: a leader who sees the whole jurisdiction")

    _roles = field_validator("roles")(_unique_roles)


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, min_length=1, max_length=64)
    unit_id: int | None = None
    roles: list[Role] | None = Field(default=None, min_length=1)
    title: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, max_length=32)
    is_chief: bool | None = None
    is_active: bool | None = Field(default=None, description="Disabling ends every session at once")
    password: str | None = Field(default=None, min_length=1, max_length=128,
                                 description="Set a new password (admin reset)")

    @field_validator("roles")
    @classmethod
    def _roles_unique(cls, roles: list[Role] | None) -> list[Role] | None:
        return None if roles is None else _unique_roles(roles)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    unit: UnitBrief
    roles: list[Role]
    title: str | None
    phone: str | None
    is_chief: bool
    is_active: bool
    locked_until: datetime | None = Field(description="Set while the account is locked out")
    last_login_at: datetime | None
    created_at: datetime


class UserBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    unit_id: int
