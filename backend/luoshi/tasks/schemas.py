"""The task API's shapes. Field names follow SPEC §11 (``deadline`` is a date, ``lead_unit_id`` …)."""

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from luoshi.deadlines.calendar import DayCount
from luoshi.org.schemas import UnitBrief
from luoshi.tasks.models import (
    AssignmentState,
    Capacity,
    DeadlineState,
    FeedbackCycle,
    Priority,
    SourceType,
    TaskStatus,
)
from luoshi.tasks.transitions import Action, TaskAction

# 机关代字〔年份〕序号号, e.g. 武政办〔2018〕105号 or 汕府辦函〔2023〕38號.
DOCUMENT_NUMBER = re.compile(r"^\S*[\u4e00-\u9fff]〔(19|20)\d{2}〕\d{1,5}[号號]$")
# What a document number looks like when it is mistyped: a year in brackets, or 号 after digits.
LOOKS_LIKE_DOCUMENT_NUMBER = re.compile(r"[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]|\d+\s*[号號]$")


def check_source_ref(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if LOOKS_LIKE_DOCUMENT_NUMBER.search(value) and not DOCUMENT_NUMBER.match(value):
        raise ValueError("文号格式应为“机关代字〔年份〕序号号”，如 武政办〔2018〕105号")
    return value or None


def _unique(ids: list[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise ValueError("duplicate unit")
    return ids


class MilestoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200, description="What is to be reached, e.g. 完成方案编制")
    planned_date: date = Field(description="When it is planned")
    done_date: date | None = Field(default=None, description="When it was reached; null while open")


class MilestoneRead(MilestoneIn):
    model_config = ConfigDict(from_attributes=True)

    id: int


class _TaskFields(BaseModel):
    """Fields shared by create and update; each is optional on update."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("source_ref", check_fields=False)
    @classmethod
    def _source_ref(cls, value: str | None) -> str | None:
        return check_source_ref(value)

    @field_validator("cooperating_unit_ids", check_fields=False)
    @classmethod
    def _cooperating(cls, value: list[int] | None) -> list[int] | None:
        return None if value is None else _unique(value)


class TaskCreate(_TaskFields):
    title: str = Field(min_length=2, max_length=200, description="What is to be done, in one line")
    content: str = Field(default="", max_length=20000, description="Requirements (办理要求)")
    parent_id: int | None = Field(default=None, description="Decompose: the task this one is part of")
    lead_unit_id: int | None = Field(default=None, description="The one lead unit (牵头单位); required to issue")
    cooperating_unit_ids: list[int] = Field(default_factory=list, max_length=100,
                                            description="Cooperating units (配合单位)")
    leader_id: int | None = Field(
        default=None, description="Leader in charge (责任领导); a child inherits its parent's",
    )
    deadline: date | None = Field(default=None, description="Deadline (办理时限); required to issue")
    source_type: SourceType = Field(default=SourceType.other, description="Where the task comes from")
    source_ref: str | None = Field(default=None, max_length=200,
                                   description="Document number (文号, e.g. 武政办〔2018〕105号) or meeting")
    source_date: date | None = Field(default=None, description="Date of the source document or meeting")
    category: str | None = Field(default=None, max_length=60, description="Category, e.g. 营商环境")
    priority: Priority = Field(default=Priority.normal, description="Priority")
    feedback_cycle: FeedbackCycle = Field(default=FeedbackCycle.once, description="How often progress is reported")
    deadline_day_count: DayCount | None = Field(
        default=None, description="Count report dates and suspensions in working days (工作日) or calendar "
        "days; null follows the office's default")
    feedback_dates: list[date] = Field(default_factory=list, max_length=60,
                                       description="Report dates when feedback_cycle is `dates`")
    weight: float = Field(default=1.0, gt=0, le=1000, description="Weight in the parent's progress roll-up")
    tags: list[str] = Field(default_factory=list, max_length=20, description="Free tags")
    milestones: list[MilestoneIn] = Field(default_factory=list, max_length=50, description="Dated steps (时间节点)")


class TaskUpdate(_TaskFields):
    title: str | None = Field(default=None, min_length=2, max_length=200)
    content: str | None = Field(default=None, max_length=20000)
    lead_unit_id: int | None = Field(
        default=None, description="Change the lead unit (after issue the sign-for clock restarts)")
    cooperating_unit_ids: list[int] | None = Field(default=None, max_length=100,
                                                   description="Replace the cooperating units")
    leader_id: int | None = None
    deadline: date | None = Field(default=None, description="Move the deadline; the original deadline is kept")
    source_type: SourceType | None = None
    source_ref: str | None = Field(default=None, max_length=200)
    source_date: date | None = None
    category: str | None = Field(default=None, max_length=60)
    priority: Priority | None = None
    feedback_cycle: FeedbackCycle | None = None
    deadline_day_count: DayCount | None = None
    feedback_dates: list[date] | None = Field(default=None, max_length=60)
    weight: float | None = Field(default=None, gt=0, le=1000)
    tags: list[str] | None = Field(default=None, max_length=20)
    milestones: list[MilestoneIn] | None = Field(default=None, max_length=50, description="Replace the milestones")
    progress: int | None = Field(default=None, ge=0, le=100,
                                 description="Percent done of a task without sub-tasks (lead unit)")


TaskField = StrEnum("TaskField", {name: name for name in TaskUpdate.model_fields})  # type: ignore[misc]
TaskField.__doc__ = "A field of a task that PATCH /tasks/{id} takes."


class AssignmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    unit: UnitBrief = Field(description="The unit taking part")
    capacity: Capacity = Field(description="lead (牵头) or cooperating (配合)")
    state: AssignmentState = Field(description="This unit's own state in the task")
    due_date: date | None = Field(description="A cooperating unit's date to report its part to the lead unit")
    assigned_at: datetime | None = Field(description="When the unit was assigned (the sign-for clock starts)")
    signed_at: datetime | None
    signed_by_id: int | None
    reported_at: datetime | None
    done_at: datetime | None
    disputed_at: datetime | None
    waived_at: datetime | None
    waive_reason: str | None = Field(description="Why the supervisor waived this unit's report")
    deadline_state: DeadlineState | None = Field(default=None, description="This unit's deadline state")
    allowed_actions: list[str] = Field(
        default_factory=list, description="What the caller may do to this row now, e.g. `waive`")


class TaskContext(BaseModel):
    """An ancestor shown as read-only context: title, deadline and lead unit only."""

    id: int
    title: str
    deadline: date | None
    lead_unit: UnitBrief | None


class TaskSummary(BaseModel):
    """A task in a list."""

    id: int
    parent_id: int | None = Field(description="The task this one was decomposed from")
    root_id: int = Field(description="The root of its tree (itself for a root)")
    depth: int = Field(description="0 for a root")
    title: str
    status: TaskStatus
    deadline: date | None = Field(description="Current deadline (办理时限)")
    deadline_state: DeadlineState | None = Field(
        description="normal, due_soon, overdue, on_time or late; null when cancelled")
    progress: int = Field(description="Percent done, rolled up from sub-tasks where there are any")
    lead_unit: UnitBrief | None = Field(description="The lead unit (牵头单位)")
    leader_id: int | None = Field(description="Leader in charge (责任领导)")
    leader_name: str | None
    source_type: SourceType
    source_ref: str | None
    priority: Priority
    allowed_actions: list[TaskAction] = Field(
        description="What the caller may do now: transitions (POST …/transitions) and requests with their "
                    "own endpoints (edit, decompose, report, request_extension, dispute, supervise, instruct, "
                    "coordinate)")
    version: int = Field(description="Send back as If-Match / `version` to change the task")
    updated_at: datetime


class TaskRead(TaskSummary):
    """A task in full, with every unit's row."""

    path: str = Field(description="Ids from the root down, e.g. /12/40/41/")
    content: str
    source_date: date | None
    category: str | None
    tags: list[str]
    issuer_unit: UnitBrief = Field(description="Who assigned it: a supervision office or the parent's lead unit")
    cooperating_unit_ids: list[int]
    original_deadline: date | None = Field(description="The deadline first set (extensions do not move it)")
    feedback_cycle: FeedbackCycle
    deadline_day_count: DayCount | None = Field(description="working or calendar; null: the office's default")
    feedback_dates: list[date]
    weight: float
    return_count: int = Field(description="Times returned for rework (退回重办)")
    behind_schedule: bool = Field(description="序时进度: percent done below the share of time elapsed")
    assignments: list[AssignmentRead] = Field(description="One row per unit taking part, lead first")
    milestones: list[MilestoneRead]
    ancestors: list[TaskContext] = Field(description="The chain from the root down to the parent")
    children_count: int
    editable_fields: list[TaskField] = Field(  # type: ignore[valid-type]
        description="The fields the caller may PATCH now: empty unless `edit` is allowed; every field for the "
                    "office, progress and milestones for the lead unit; never progress on a task with sub-tasks")
    created_by_id: int | None
    updated_by_id: int | None
    created_at: datetime
    issued_at: datetime | None
    signed_at: datetime | None
    submitted_at: datetime | None
    completed_at: datetime | None
    completed_on_time: bool | None
    suspended_at: datetime | None
    cancelled_at: datetime | None


class TaskPage(BaseModel):
    items: list[TaskSummary] = Field(description="This page's tasks, newest first")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at the end")


class RollUp(BaseModel):
    open_count: int = Field(description="Open nodes in this subtree, this node included")
    overdue_count: int
    completed_count: int
    worst_deadline_state: DeadlineState | None = Field(description="The colour of the branch when collapsed")
    behind_schedule_count: int


class TaskTreeNode(BaseModel):
    id: int
    parent_id: int | None
    depth: int
    title: str
    context_only: bool = Field(description="An ancestor shown only as context: status and figures withheld")
    status: TaskStatus | None
    deadline: date | None
    deadline_state: DeadlineState | None
    progress: int | None
    weight: float | None
    lead_unit: UnitBrief | None
    leader_id: int | None
    behind_schedule: bool | None
    version: int | None
    rollup: RollUp | None
    children: list["TaskTreeNode"]


class TransitionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Action = Field(description="issue, sign, submit, approve, return, suspend, resume, cancel or reopen")
    reason: str | None = Field(default=None, max_length=2000,
                               description="Required for return, suspend, resume, cancel and reopen")
    version: int | None = Field(default=None, description="The version the caller saw (or send If-Match)")


class WaiveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=2, max_length=2000, description="Why this unit need not report its part")
    version: int | None = Field(default=None, description="The task version the caller saw (or send If-Match)")


class TaskEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None = Field(default=None, description="Who acted")
    on_behalf_of_id: int | None = Field(description="The holder, when a substitute acted (代管)")
    action: str = Field(description="create, update, issue, sign, …, or an assignment action")
    from_status: str | None
    to_status: str | None
    assignment_id: int | None
    reason: str | None
    payload: dict[str, Any]
