from typing import Annotated

from fastapi import Query, Response

from luoshi.db import SessionDep
from luoshi.pagination import Page
from luoshi.routing import Router
from luoshi.security import CredentialsDep, CurrentUserDep, in_one_trip
from luoshi.supervision import actions, coordination, instructions
from luoshi.supervision import todo as _todo  # noqa: F401 - registers the to-do provider
from luoshi.supervision.models import ActionLevel
from luoshi.supervision.schemas import (
    ActionCreate,
    ActionRead,
    ActionResponse,
    CoordinationCreate,
    CoordinationDecision,
    CoordinationOpinion,
    CoordinationRead,
    InstructionAnswer,
    InstructionCreate,
    InstructionRead,
)

router = Router(prefix="/api/v1", tags=["supervision"])


@router.post("/tasks/{task_id}/supervision-actions", operation_id="supervision-actions-create",
             response_model=ActionRead, status_code=201)
def create_action(task_id: int, data: ActionCreate, session: SessionDep, current: CurrentUserDep):
    """Remind, urge, send a formal notice, interview, bulletin or refer a unit (督办)."""
    return actions.create(session, current, task_id, data)


@router.get("/tasks/{task_id}/supervision-actions", operation_id="supervision-actions-list",
            response_model=list[ActionRead])
async def list_actions(task_id: int, session: SessionDep, credentials: CredentialsDep) -> Response:
    """Supervision actions on the task (a unit sees those addressed to it)."""
    return await in_one_trip(session, credentials, actions.list_for_task, task_id)


@router.get("/supervision-actions", operation_id="supervision-actions-search", response_model=Page[ActionRead])
def search_actions(
    session: SessionDep,
    current: CurrentUserDep,
    unit_id: Annotated[int | None, Query(description="Only actions on this unit")] = None,
    level: Annotated[ActionLevel | None, Query(description="Only this level")] = None,
    unanswered: Annotated[bool | None, Query(description="true: an answer is due and not given; "
                                                          "false: answered")] = None,
    cursor: Annotated[str | None, Query(description="From `next_cursor` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """Supervision actions across the tasks the caller may see, newest first (督办记录)."""
    items, next_cursor = actions.list_in_scope(session, current, unit_id=unit_id, level=level,
                                               unanswered=unanswered, cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.post("/supervision-actions/{action_id}/response", operation_id="supervision-actions-respond",
             response_model=ActionRead)
def respond(action_id: int, data: ActionResponse, session: SessionDep, current: CurrentUserDep):
    """The supervised unit's written answer."""
    return actions.respond(session, current, action_id, data.response)


@router.post("/tasks/{task_id}/coordination-requests", operation_id="coordination-create",
             response_model=CoordinationRead, status_code=201)
def create_coordination(task_id: int, data: CoordinationCreate, session: SessionDep, current: CurrentUserDep):
    """Lead unit only, after consulting the cooperating units (协调申请)."""
    return coordination.create(session, current, task_id, data)


@router.get("/tasks/{task_id}/coordination-requests", operation_id="coordination-list",
            response_model=list[CoordinationRead])
async def list_coordination(task_id: int, session: SessionDep, credentials: CredentialsDep) -> Response:
    """Coordination requests on the task."""
    return await in_one_trip(session, credentials, coordination.list_for_task, task_id)


@router.post("/coordination-requests/{request_id}/opinion", operation_id="coordination-opinion",
             response_model=CoordinationRead)
def coordination_opinion(request_id: int, data: CoordinationOpinion, session: SessionDep,
                         current: CurrentUserDep):
    """The office's coordination opinion, or a referral to the leader with its proposal."""
    return coordination.give_opinion(session, current, request_id, data)


@router.post("/coordination-requests/{request_id}/decision", operation_id="coordination-decide",
             response_model=CoordinationRead)
def coordination_decision(request_id: int, data: CoordinationDecision, session: SessionDep,
                          current: CurrentUserDep):
    """The leader decides a referred request; the decision is an instruction to the lead unit."""
    return coordination.decide(session, current, request_id, data)


@router.post("/tasks/{task_id}/instructions", operation_id="instructions-create",
             response_model=InstructionRead, status_code=201)
def create_instruction(task_id: int, data: InstructionCreate, session: SessionDep, current: CurrentUserDep):
    """A leader's instruction (批示): the lead unit acts and answers by a date."""
    return instructions.create(session, current, task_id, data.content, data.answer_due_date, data.report_id)


@router.get("/tasks/{task_id}/instructions", operation_id="instructions-list",
            response_model=list[InstructionRead])
async def list_instructions(task_id: int, session: SessionDep, credentials: CredentialsDep) -> Response:
    """Instructions on the task."""
    return await in_one_trip(session, credentials, instructions.list_for_task, task_id)


@router.post("/instructions/{instruction_id}/answer", operation_id="instructions-answer",
             response_model=InstructionRead)
def answer_instruction(instruction_id: int, data: InstructionAnswer, session: SessionDep, current: CurrentUserDep):
    """The lead unit reports what it did (批示落实回告)."""
    return instructions.answer(session, current, instruction_id, data.answer)
