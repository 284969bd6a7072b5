"""Application settings, read from the environment (prefix ``LUOSHI_``) and ``.env``."""

from datetime import date
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "luoshi-development-secret-do-not-deploy-0000"


class EscalationStep(BaseModel):
    """One rung of the warning ladder: who is told, and when relative to the due date."""

    days: int = Field(description="Days relative to the due date: -7 is a week before, "
                                  "1 the first day overdue, 6 five days after that")
    recipient: Literal["liaison", "unit_head", "leader", "office"]


DEFAULT_LADDER = [
    EscalationStep(days=-7, recipient="liaison"),
    EscalationStep(days=-3, recipient="unit_head"),
    EscalationStep(days=1, recipient="leader"),
    EscalationStep(days=6, recipient="office"),
]


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
    db_pool_size: int = Field(default=10, ge=1, le=500,
                              description="Database connections each worker process keeps open.")
    db_max_overflow: int = Field(default=20, ge=0, le=500,
                                 description="Connections a worker may open beyond those, for a while.")
    worker_threads: int = Field(
        default=4, ge=1, le=200,
        description="Threads per worker process for blocking work (database, files). Few keep "
                    "latency even under load; raise it if requests often wait long in one "
                    "(large exports, SQLite's write lock).")
    read_threads: int = Field(
        default=2, ge=1, le=200,
        description="Threads per worker process for the most requested reads (lists, details, "
                    "trees, the to-do), apart from those of worker_threads: a long export or a "
                    "writer waiting for a lock never holds these reads up. Two serve as many "
                    "reads a second as more would, each sooner.")
    bootstrap_admin_username: str | None = None
    bootstrap_admin_password: str | None = None
    frontend_dist: str = "frontend/dist"
    timezone: str = "Asia/Shanghai"
    attachment_dir: str = "./data/attachments"
    attachment_max_bytes: int = 20 * 1024 * 1024
    unit_head_approval_required: bool = False
    completion_report_required: bool = Field(
        default=True, description="申请办结 needs the lead unit's completion report sent to the office first.")
    extension_decided_by: Literal["supervisor", "leader"] = Field(
        default="supervisor",
        description="Who approves extension requests: the supervision office, or the leader in charge.",
    )
    warning_window_working_days: int = 3
    escalation_ladder: list[EscalationStep] = Field(
        default_factory=lambda: list(DEFAULT_LADDER),
        description="Warning ladder, in order; each recipient is reached once per deadline.")
    urgent_unread_escalation_minutes: int = Field(
        default=120, description="An urgent notice unread this long goes to the next recipient.")
    sign_for_working_days: int = 1
    default_day_count: Literal["working", "calendar"] = Field(
        default="working", description="How deadlines are counted when a task does not say.")
    default_report_months: int = Field(
        default=1, description="With no feedback cycle, a report is due this long after issue.")
    cooperating_lead_working_days: int = Field(
        default=2, description="Cooperating units report this many working days before the lead.")
    weekly_report_weekday: int = Field(default=4, description="0 = Monday … 4 = Friday")
    monthly_report_day: int = Field(default=25, ge=1, le=28)
    formal_notice_answer_working_days: int = 5
    # Holiday data for years chinese-calendar does not cover yet (the State Council publishes
    # each year's calendar in the autumn before): list the year and its exceptions here.
    calendar_extra_years: list[int] = []
    calendar_extra_holidays: list[date] = []
    calendar_extra_workdays: list[date] = []
    stream_token_seconds: int = Field(
        default=60, description="Lifetime of the query-string token for the event stream.")
    scheduler_interval_seconds: float = 30.0
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
