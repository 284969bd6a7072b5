
from luoshi.db import SessionDep
from luoshi.delegation import service
from luoshi.delegation.schemas import DelegationCreate, DelegationRead
from luoshi.routing import Router
from luoshi.security import CurrentUserDep

router = Router(prefix="/api/v1/delegations", tags=["delegation"])


@router.get("", operation_id="delegations-list", response_model=list[DelegationRead])
def list_delegations(session: SessionDep, current: CurrentUserDep):
    """Delegations the caller gave or received."""
    return service.to_read(session, service.list_mine(session, current))


@router.post("", operation_id="delegations-create", response_model=DelegationRead, status_code=201)
def create_delegation(data: DelegationCreate, session: SessionDep, current: CurrentUserDep):
    """Name a substitute for a period (代管); they act with the caller's rights via X-Act-For."""
    row = service.create(session, current, data.substitute_id, data.starts_at, data.ends_at, data.reason)
    return service.to_read(session, [row])[0]


@router.post("/{delegation_id}/revoke", operation_id="delegations-revoke", response_model=DelegationRead)
def revoke_delegation(delegation_id: int, session: SessionDep, current: CurrentUserDep):
    """End a delegation the caller gave, now."""
    return service.to_read(session, [service.revoke(session, current, delegation_id)])[0]
