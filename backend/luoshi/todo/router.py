from typing import Annotated

from fastapi import Query, Response

from luoshi.db import SessionDep
from luoshi.routing import Router
from luoshi.security import CredentialsDep, in_one_trip
from luoshi.tasks import todo as _task_todo  # noqa: F401 - registers the task providers
from luoshi.todo import service
from luoshi.todo.schemas import TodoRead

router = Router(prefix="/api/v1/todo", tags=["todo"])


@router.get("", operation_id="todo-get", response_model=TodoRead)
async def get_todo(session: SessionDep, credentials: CredentialsDep,
                   limit: Annotated[int, Query(ge=0, le=100, description="Items per group")] = 20) -> Response:
    """What waits on the caller (我的待办), grouped by kind with counts; compact for mobile."""
    return await in_one_trip(session, credentials, service.todo, limit)
