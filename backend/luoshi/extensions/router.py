from fastapi import Response

from luoshi.db import SessionDep
from luoshi.extensions import service
from luoshi.extensions.schemas import ExtensionCreate, ExtensionDecision, ExtensionRead
from luoshi.routing import Router
from luoshi.security import CredentialsDep, CurrentUserDep, in_one_trip

router = Router(prefix="/api/v1", tags=["extensions"])


@router.get("/tasks/{task_id}/extension-requests", operation_id="extensions-list",
            response_model=list[ExtensionRead])
async def list_requests(task_id: int, session: SessionDep, credentials: CredentialsDep) -> Response:
    """Every extension request on the task, oldest first (the history of its deadline)."""
    return await in_one_trip(session, credentials, service.list_requests, task_id)


@router.post("/tasks/{task_id}/extension-requests", operation_id="extensions-create",
             response_model=ExtensionRead, status_code=201)
def request_extension(task_id: int, data: ExtensionCreate, session: SessionDep, current: CurrentUserDep):
    """The lead unit asks for a later deadline, with a reason, before the deadline passes (延期申请)."""
    return service.request_extension(session, current, task_id, data)


@router.post("/extension-requests/{request_id}/decision", operation_id="extensions-decide",
             response_model=ExtensionRead)
def decide(request_id: int, data: ExtensionDecision, session: SessionDep, current: CurrentUserDep):
    """Approve (the deadline moves; the original is kept) or reject with a reason."""
    return service.decide(session, current, request_id, data)
