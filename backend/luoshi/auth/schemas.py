from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi.org.schemas import UnitBrief
from luoshi.permissions import Permission, Role


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=128)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=256)


class LogoutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: Literal["current", "others", "all"] = Field(
        default="current",
        description="current: this session; others: every other session (sign out my other "
        "devices); all: every session of mine",
    )


class TokenPair(BaseModel):
    access_token: str = Field(description="JWT for the Authorization: Bearer header")
    refresh_token: str = Field(description="Opaque; exchange once at /auth/refresh")
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=1, max_length=128)


class Me(BaseModel):
    id: int
    username: str
    display_name: str
    unit: UnitBrief
    roles: list[Role]
    permissions: list[Permission] = Field(description="What the caller's roles allow")
    title: str | None
    is_chief: bool
