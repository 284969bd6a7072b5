"""Rules for the organisation tree."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from luoshi.audit.service import record
from luoshi.errors import Conflict, NotFound, Unprocessable
from luoshi.org import repository as repo
from luoshi.org.models import Unit
from luoshi.org.schemas import UnitCreate, UnitUpdate
from luoshi.org.scope import in_scope, org_scope_paths
from luoshi.security import CurrentUser


def list_units(session: Session, current: CurrentUser) -> Sequence[Unit]:
    return repo.list_visible(session, org_scope_paths(session, current))


def get_unit(session: Session, current: CurrentUser, unit_id: int) -> Unit:
    unit = repo.get(session, unit_id)
    paths = org_scope_paths(session, current)
    ancestor_of_scope = unit is not None and paths is not None and any(
        f"/{unit.id}/" in p for p in paths
    )
    if unit is None or not (in_scope(unit, paths) or ancestor_of_scope):
        raise NotFound("org.unit_not_found")
    return unit


def _parent(session: Session, parent_id: int | None) -> Unit | None:
    if parent_id is None:
        return None
    parent = repo.get(session, parent_id)
    if parent is None:
        raise Unprocessable(
            "org.parent_not_found",
            errors=[{"field": "parent_id", "message": {"zh": "上级单位不存在", "en": "no such unit"}}],  # type: ignore[dict-item]
        )
    return parent


def create_unit(session: Session, current: CurrentUser, data: UnitCreate) -> Unit:
    if repo.get_by_code(session, data.code):
        raise Conflict("org.unit_code_taken")
    parent = _parent(session, data.parent_id)
    unit = Unit(
        name=data.name, short_name=data.short_name, code=data.code, kind=data.kind,
        parent_id=parent.id if parent else None, sort_order=data.sort_order,
        depth=parent.depth + 1 if parent else 0, path="",
    )
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    record(session, "unit.create", current.actor, target_type="unit", target_id=unit.id,
           detail=data.model_dump(mode="json"))
    session.flush()
    return unit


def update_unit(session: Session, current: CurrentUser, unit_id: int, data: UnitUpdate) -> Unit:
    unit = get_unit(session, current, unit_id)
    changes = data.model_dump(exclude_unset=True, mode="json")
    if "code" in changes and changes["code"] != unit.code and repo.get_by_code(session, changes["code"]):
        raise Conflict("org.unit_code_taken")
    if "parent_id" in changes and changes["parent_id"] != unit.parent_id:
        parent = _parent(session, changes["parent_id"])
        if parent is not None and parent.path.startswith(unit.path):
            raise Unprocessable("org.unit_cycle", errors=[{"field": "parent_id", "message": {
                "zh": "不能移到自身或下级单位之下", "en": "cannot move under itself"}}])  # type: ignore[dict-item]
        old_path, old_depth = unit.path, unit.depth
        unit.parent_id = parent.id if parent else None
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        unit.depth = parent.depth + 1 if parent else 0
        session.flush()
        repo.move_subtree(session, old_path, unit.path, unit.depth - old_depth)
    for name in ("name", "short_name", "code", "kind", "sort_order", "is_active"):
        if name in changes and changes[name] is not None:
            setattr(unit, name, changes[name])
    record(session, "unit.update", current.actor, target_type="unit", target_id=unit.id,
           detail=changes)
    session.flush()
    return unit
