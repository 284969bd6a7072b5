
from luoshi.db import SessionDep
from luoshi.org import service
from luoshi.org.schemas import UnitCreate, UnitRead, UnitUpdate
from luoshi.permissions import Permission
from luoshi.routing import Router
from luoshi.security import CurrentUser, require

router = Router(prefix="/api/v1/units", tags=["units"])


@router.get("", operation_id="units-list", response_model=list[UnitRead])
def list_units(session: SessionDep, current: CurrentUser = require(Permission.units_read)):
    """The units the caller may see, parents before children (build the tree from parent_id)."""
    return service.list_units(session, current)


@router.post("", operation_id="units-create", response_model=UnitRead, status_code=201)
def create_unit(
    data: UnitCreate, session: SessionDep, current: CurrentUser = require(Permission.units_write)
):
    """Add a unit to the organisation tree."""
    return service.create_unit(session, current, data)


@router.get("/{unit_id}", operation_id="units-get", response_model=UnitRead)
def get_unit(unit_id: int, session: SessionDep, current: CurrentUser = require(Permission.units_read)):
    """One unit."""
    return service.get_unit(session, current, unit_id)


@router.patch("/{unit_id}", operation_id="units-update", response_model=UnitRead)
def update_unit(
    unit_id: int, data: UnitUpdate, session: SessionDep,
    current: CurrentUser = require(Permission.units_write),
):
    """Rename, recode, move or deactivate a unit."""
    return service.update_unit(session, current, unit_id, data)
