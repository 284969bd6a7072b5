from fastapi import Response

from luoshi.dashboard import service
from luoshi.dashboard.schemas import Dashboard
from luoshi.db import SessionDep
from luoshi.permissions import Permission
from luoshi.routing import Router
from luoshi.security import CredentialsDep, in_one_trip

router = Router(prefix="/api/v1/dashboard", tags=["dashboard"])


@router.get("", operation_id="dashboard-get", response_model=Dashboard)
async def get_dashboard(session: SessionDep, credentials: CredentialsDep) -> Response:
    """Status counts, colours, lead units by load and every late one, deadlines by month, key works, in scope."""
    return await in_one_trip(session, credentials, service.dashboard, permission=Permission.dashboards_read)
