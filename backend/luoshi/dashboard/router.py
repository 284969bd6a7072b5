
from luoshi.dashboard import service
from luoshi.dashboard.schemas import Dashboard
from luoshi.db import SessionDep
from luoshi.permissions import Permission
from luoshi.routing import Router
from luoshi.security import CurrentUser, require

router = Router(prefix="/api/v1/dashboard", tags=["dashboard"])


@router.get("", operation_id="dashboard-get", response_model=Dashboard)
def get_dashboard(session: SessionDep, current: CurrentUser = require(Permission.dashboards_read)):
    """Status counts, colours, lead units by load and every late one, deadlines by month, key works, in scope."""
    return service.dashboard(session, current)
