from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi.tasks.models import DeadlineState


class ObligationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    task_id: int
    unit_id: int
    unit_name: str = Field(description="Short name of the unit that owes it")
    kind: Literal["sign", "report", "complete", "instruction", "answer"] = Field(
        description="sign 签收, report 回告, complete 办结, instruction 批示落实, answer 督办单答复")
    period_key: str = Field(description="Which period: sign, 2026-W48, 2026-11, 2026-Q4, 2026, a date, final")
    title: str
    internal: bool = Field(description="A cooperating unit's internal date, ahead of the lead unit's")
    day_count: str = Field(description="working (工作日) or calendar (自然日)")
    due_date: date
    deadline_state: DeadlineState = Field(description="As of now, from the dates")
    ladder_step: int = Field(description="Rungs of the warning ladder reached so far")
    paused: bool = Field(description="The task is suspended: the clock stands still")
    fulfilled_at: datetime | None
    fulfilled_ref: str | None = Field(description="What met it: report:12, task:3, assignment:7")
    closed: bool


class ObligationPage(BaseModel):
    items: list[ObligationRead]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at the end")


SlipColor = Literal["blue", "yellow", "red"]


class Slip(BaseModel):
    """三色督查单: blue near the deadline, yellow behind schedule, red overdue."""

    color: SlipColor
    task_id: int
    title: str
    lead_unit_id: int | None
    lead_unit_name: str | None
    leader_id: int | None
    leader_name: str | None
    issued_date: date | None
    deadline_date: date
    days_left: int = Field(description="Calendar days to the deadline; negative when overdue")
    working_days_left: int | None = Field(description="Working days to the deadline (null beyond the calendar)")
    progress: int
    expected_progress: int = Field(description="序时进度: the share of time elapsed, in percent")
    reason: str = Field(description="Why this colour, in words")


class CalendarDay(BaseModel):
    date: date
    is_workday: bool
    holiday: str | None = Field(description="Name of the holiday or adjusted workday (调休), if any")
