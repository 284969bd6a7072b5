from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from luoshi.supervision.models import ActionLevel


class ActionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: int = Field(description="The unit supervised: the lead or a cooperating unit of the task")
    level: ActionLevel = Field(description="reminder 提醒, urge 催办, notice 督办单, interview 约谈, "
                                           "bulletin 通报批评, referral 问责移送 (in escalating order)")
    content: str = Field(min_length=2, max_length=5000, description="What is required and why")
    response_due_date: date | None = Field(
        default=None, description="Written answer due (督办单: defaults to 5 working days)")


class ActionResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    response: str = Field(min_length=2, max_length=10000, description="The unit's written answer")


class ActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_serialization_defaults_required=True)

    id: int
    task_id: int
    unit_id: int
    level: ActionLevel
    content: str
    response_due_date: date | None
    obligation_id: int | None = Field(description="The answer obligation, when an answer is due")
    created_by_id: int
    on_behalf_of_id: int | None = Field(description="代管: the holder when a substitute acted")
    created_at: datetime
    receipt_at: datetime | None = Field(description="When the unit acknowledged a formal notice")
    response: str | None
    responded_at: datetime | None
    responded_by_id: int | None
    allowed_actions: list[Literal["respond"]] = Field(
        default_factory=list, description="respond (POST …/response): the caller's unit is the one supervised, "
        "an answer was asked for and none is given yet")


class CoordinationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=2, max_length=200, description="What needs coordinating")
    content: str = Field(min_length=2, max_length=10000, description="The problem and what is asked")
    consultation: str = Field(default="", max_length=5000,
                              description="How the cooperating units were consulted first (前期会商情况)")
    consulted_unit_ids: list[int] = Field(default_factory=list, max_length=100,
                                          description="The cooperating units consulted")


class CoordinationOpinion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["answer", "refer"] = Field(
        description="answer: the office gives its coordination opinion (协调意见); refer: pass it to "
                    "the leader with the office's proposal")
    opinion: str = Field(min_length=2, max_length=10000, description="The opinion, or the proposal to the leader")
    leader_id: int | None = Field(default=None, description="refer: the leader (default: the task's leader)")


class CoordinationDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: str = Field(min_length=2, max_length=10000, description="The leader's decision (批示)")
    answer_due_date: date | None = Field(default=None, description="The lead unit answers by (default 5 working days)")


class CoordinationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_serialization_defaults_required=True)

    id: int
    task_id: int
    unit_id: int
    subject: str
    content: str
    consultation: str
    consulted_unit_ids: list[int]
    status: Literal["submitted", "answered", "referred", "decided"]
    created_by_id: int
    on_behalf_of_id: int | None
    created_at: datetime
    opinion: str | None
    opinion_by_id: int | None
    opinion_at: datetime | None
    leader_id: int | None
    leader_decision: str | None
    decided_at: datetime | None
    allowed_actions: list[Literal["opinion", "decide"]] = Field(
        default_factory=list, description="opinion (POST …/opinion): the office, while submitted; decide "
        "(POST …/decision): the leader it was passed to, while referred and the task is under way")


class InstructionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: str = Field(min_length=2, max_length=10000, description="The instruction (批示内容)")
    answer_due_date: date | None = Field(default=None, description="The lead unit acts and answers by "
                                                                   "(default 5 working days)")
    report_id: int | None = Field(default=None, description="The report the instruction is written on")


class InstructionAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: str = Field(min_length=2, max_length=10000, description="What was done (落实情况)")


class InstructionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_serialization_defaults_required=True)

    id: int
    task_id: int
    report_id: int | None
    coordination_id: int | None
    leader_id: int
    on_behalf_of_id: int | None
    unit_id: int
    content: str
    answer_due_date: date
    obligation_id: int | None
    created_at: datetime
    answer: str | None
    answered_at: datetime | None
    answered_by_id: int | None
    allowed_actions: list[Literal["answer"]] = Field(
        default_factory=list, description="answer (POST …/answer): the lead unit, until it has answered")
