"""Application settings, read from the environment (prefix ``LUOSHI_``) and ``.env``."""

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "luoshi-development-secret-do-not-deploy-0000"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LUOSHI_", env_file=".env", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///./data/luoshi.db"
    secret_key: str = DEVELOPMENT_SECRET
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    jwt_issuer: str = "luoshi"
    jwt_audience: str = "luoshi-api"
    jwt_max_token_bytes: int = 4096
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    session_idle_minutes: int = Field(
        default=60 * 24, description="A session unused this long is closed."
    )
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    password_min_length: int = 10
    password_min_classes: int = Field(
        default=3, description="Character classes required: lower, upper, digit, symbol."
    )
    cors_origins: list[str] = []
    bootstrap_admin_username: str | None = None
    bootstrap_admin_password: str | None = None
    frontend_dist: str = "frontend/dist"
    timezone: str = "Asia/Shanghai"
    attachment_dir: str = "./data/attachments"
    attachment_max_bytes: int = 20 * 1024 * 1024
    unit_head_approval_required: bool = False
    warning_window_working_days: int = 3
    run_scheduler: bool = Field(
        default=False, description="Run the deadline scan inside the web process."
    )

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> "Settings":
        if len(self.secret_key.encode()) < 32:
            raise ValueError("LUOSHI_SECRET_KEY must be at least 32 bytes")
        if self.env == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError("LUOSHI_SECRET_KEY must be set outside development")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
