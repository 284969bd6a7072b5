from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from luoshi.tasks.models import DeadlineState


class TodoKind(StrEnum):
    sign = "sign"  # 待签收
    report = "report"  # 待回告 / 待办理
    review = "review"  # 待审核（报告）
    respond = "respond"  # 待答复（督办单、异议、协调）
    approve = "approve"  # 待审批（办结、延期）


class TodoItem(BaseModel):
    kind: TodoKind
    ref_type: str = Field(description="What to open: task, assignment, report, dispute, extension, …")
    ref_id: int = Field(description="Id of that record")
    task_id: int = Field(description="The task it belongs to")
    title: str = Field(description="The task's title")
    unit_name: str | None = Field(default=None, description="The unit concerned, short name")
    due_date: date | None = Field(default=None, description="When it is due")
    deadline_state: DeadlineState | None = Field(default=None, description="normal, due_soon or overdue")
    since: datetime | None = Field(default=None, description="Waiting since")


class TodoGroup(BaseModel):
    kind: TodoKind
    count: int = Field(description="How many wait, all of them")
    items: list[TodoItem] = Field(description="The most urgent first, at most `limit`")


class TodoRead(BaseModel):
    total: int = Field(description="Everything waiting on the caller")
    groups: list[TodoGroup] = Field(description="One group per kind, always all five, in a fixed order")
