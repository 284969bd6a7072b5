from fastapi import Response

from luoshi.db import SessionDep
from luoshi.disputes import service
from luoshi.disputes.schemas import DisputeCreate, DisputeDecision, DisputeRead
from luoshi.routing import Router
from luoshi.security import CredentialsDep, CurrentUserDep, in_one_trip

router = Router(prefix="/api/v1", tags=["disputes"])


@router.get("/tasks/{task_id}/disputes", operation_id="disputes-list", response_model=list[DisputeRead])
async def list_disputes(task_id: int, session: SessionDep, credentials: CredentialsDep) -> Response:
    """Every dispute raised on the task, oldest first."""
    return await in_one_trip(session, credentials, service.list_disputes, task_id)


@router.post("/tasks/{task_id}/disputes", operation_id="disputes-create", response_model=DisputeRead,
             status_code=201)
def raise_dispute(task_id: int, data: DisputeCreate, session: SessionDep, current: CurrentUserDep):
    """The lead unit says the task is not its business, with a reason, before signing for it (退回交办申请)."""
    return service.raise_dispute(session, current, task_id, data)


@router.post("/disputes/{dispute_id}/decision", operation_id="disputes-decide", response_model=DisputeRead)
def decide(dispute_id: int, data: DisputeDecision, session: SessionDep, current: CurrentUserDep):
    """Reassign to a new lead unit (its sign-for clock starts now) or reject (the unit must sign)."""
    return service.decide(session, current, dispute_id, data)
