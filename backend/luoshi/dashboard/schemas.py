from datetime import date

from pydantic import BaseModel, Field

from luoshi.tasks.models import DeadlineState, TaskStatus


class StatusCount(BaseModel):
    status: TaskStatus
    count: int


class DeadlineCount(BaseModel):
    deadline_state: DeadlineState
    count: int


class UnitLoad(BaseModel):
    unit_id: int
    unit_name: str = Field(description="Short name of the lead unit")
    open: int = Field(description="Open tasks it leads")
    due_soon: int = Field(description="Of those, inside the warning window (黄牌)")
    overdue: int = Field(description="Of those, past the deadline (红牌)")


class MonthCount(BaseModel):
    month: str = Field(description="YYYY-MM of the deadline")
    completed: int
    open: int


class KeyWork(BaseModel):
    id: int
    title: str
    lead_unit_name: str | None
    status: TaskStatus
    deadline: date | None
    progress: int = Field(description="Percent done, rolled up from the subtree")
    deadline_state: DeadlineState | None


class Dashboard(BaseModel):
    """Figures over every task the caller may see, aggregated in the database."""

    total: int
    by_status: list[StatusCount]
    by_deadline_state: list[DeadlineCount] = Field(description="Open tasks by colour; closed ones by on_time/late")
    units: list[UnitLoad] = Field(description="Lead units with the most overdue, then due-soon, then open tasks")
    late_units: list[UnitLoad] = Field(
        description="Every lead unit with an overdue or due-soon task, worst first (督查台: 逾期、临期单位)")
    months: list[MonthCount] = Field(description="Tasks by deadline month, completed and open")
    key_works: list[KeyWork] = Field(description="Root tasks (重点工作) in scope, nearest deadline first")
