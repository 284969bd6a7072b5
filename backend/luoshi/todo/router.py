from typing import Annotated

from fastapi import Header, Query, Response

from luoshi.db import SessionDep
from luoshi.rendered import accepts_gzip
from luoshi.routing import Router
from luoshi.security import CredentialsDep, in_one_trip
from luoshi.tasks import todo as _task_todo  # noqa: F401 - registers the task providers
from luoshi.todo import service
from luoshi.todo.schemas import TodoRead

router = Router(prefix="/api/v1/todo", tags=["todo"])


@router.get("", operation_id="todo-get", response_model=TodoRead,
            responses={304: {"description": "Unchanged since the ETag sent in If-None-Match"}})
async def get_todo(session: SessionDep, credentials: CredentialsDep,
                   limit: Annotated[int, Query(ge=0, le=100, description="Items per group")] = 20,
                   if_none_match: Annotated[str | None, Header()] = None,
                   accept_encoding: Annotated[str | None, Header()] = None) -> Response:
    """What waits on the caller (我的待办), grouped by kind with counts; compact for mobile.
    Honours If-None-Match (a client that polls gets 304 until something on its list changes)
    and sends it gzip-compressed to clients that accept it."""
    return await in_one_trip(session, credentials, service.todo_response, limit, if_none_match,
                             accepts_gzip(accept_encoding), alongside=service.STAMPS)
