"""Which part of the organisation a caller works in."""

from sqlalchemy.orm import Session

from luoshi.org.models import Unit, UnitKind
from luoshi.permissions import Permission, Role
from luoshi.security import CallerUnit, CurrentUser


def jurisdiction_root(session: Session, unit: Unit | CallerUnit) -> Unit | CallerUnit:
    """A supervision office's jurisdiction is its parent's subtree; any other unit's is its own."""
    if unit.kind == UnitKind.office and unit.parent_id is not None:
        parent = session.get(Unit, unit.parent_id)
        if parent is not None:
            return parent
    return unit


def org_scope_paths(session: Session, current: CurrentUser) -> list[str] | None:
    """Subtree paths the caller may see in the organisation; None means everything."""
    if current.can(Permission.units_write) or current.has_role(Role.security):
        return None
    unit = current.user.unit
    if current.has_role(Role.supervisor, Role.leader):
        return [jurisdiction_root(session, unit).path]
    return [unit.path]


def in_scope(unit: Unit, paths: list[str] | None) -> bool:
    return paths is None or any(unit.path.startswith(p) for p in paths)
