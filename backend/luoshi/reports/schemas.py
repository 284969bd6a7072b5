from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi.attachments.schemas import AttachmentRead
from luoshi.org.schemas import UnitBrief
from luoshi.reports.models import ReportCapacity, ReportKind, ReportStatus

_TEXT = 20000


class ReportFields(BaseModel):
    """The content of a report (SPEC §5); every field may be left empty in a draft."""

    model_config = ConfigDict(extra="forbid")

    progress_text: str | None = Field(default=None, max_length=_TEXT, description="进展情况: what was done")
    percent_done: int | None = Field(default=None, ge=0, le=100, description="Percent done, 0–100")
    problems: str | None = Field(default=None, max_length=_TEXT, description="存在问题: problems met")
    next_steps: str | None = Field(default=None, max_length=_TEXT, description="下步计划: next steps")
    support_needed: str | None = Field(
        default=None, max_length=_TEXT, description="需协调支持事项: support needed from others")
    highlights_good: str | None = Field(
        default=None, max_length=_TEXT, description="喜: good news worth reporting (喜忧兼报)")
    highlights_bad: str | None = Field(
        default=None, max_length=_TEXT, description="忧: bad news worth reporting (喜忧兼报)")


class ReportCreate(ReportFields):
    kind: ReportKind = Field(default=ReportKind.progress, description="progress, or completion (办结报告)")
    consolidate: bool = Field(
        default=False,
        description="Lead unit only: pre-fill the draft from the cooperating units' latest reports "
        "(fields given here override the pre-filled ones)",
    )


class ReportUpdate(ReportFields):
    kind: ReportKind | None = Field(default=None, description="Switch between progress and completion")


class ReportReview(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "return"] = Field(description="accept (采纳) or return (退回) the report")
    reason: str | None = Field(default=None, max_length=2000, description="Required when returning")


class UnitApproval(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "return"] = Field(
        default="approve", description="approve (send on) or return to the drafter")
    reason: str | None = Field(default=None, max_length=2000, description="Required when returning")


class UserRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    display_name: str


class ReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    task_id: int
    unit: UnitBrief = Field(description="The reporting unit")
    capacity: ReportCapacity = Field(description="lead: goes to the office; cooperating: goes to the lead unit")
    kind: ReportKind
    status: ReportStatus
    progress_text: str
    percent_done: int | None
    problems: str
    next_steps: str
    support_needed: str
    highlights_good: str
    highlights_bad: str
    source_report_ids: list[int] = Field(description="Cooperating reports this one was consolidated from")
    return_reason: str | None = Field(description="Why it was last returned")
    return_count: int = Field(description="How often it was returned")
    created_by: UserRef
    submitted_at: datetime | None
    unit_approved_at: datetime | None
    reviewed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int
    attachments: list[AttachmentRead] = Field(default_factory=list)
    allowed_actions: list[str] = Field(
        default_factory=list, description="What the caller may do now: edit, submit, approve_unit, review")


class ConsolidationSource(BaseModel):
    unit: UnitBrief
    report_id: int | None = Field(description="The unit's latest report to the lead unit; null if none yet")
    status: ReportStatus | None
    submitted_at: datetime | None


class Consolidation(ReportFields):
    """A lead unit's report pre-filled from its cooperating units' reports (no retyping)."""

    model_config = ConfigDict(extra="ignore")

    kind: ReportKind
    source_report_ids: list[int] = Field(description="The reports the text was taken from")
    sources: list[ConsolidationSource] = Field(description="Every cooperating unit and its latest report")
    missing_unit_ids: list[int] = Field(description="Cooperating units that have not reported yet")
