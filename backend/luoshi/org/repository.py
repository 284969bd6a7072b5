"""SQL for units."""

from collections.abc import Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from luoshi.org.models import Unit


def get(session: Session, unit_id: int) -> Unit | None:
    return session.get(Unit, unit_id)


def get_by_code(session: Session, code: str) -> Unit | None:
    return session.execute(select(Unit).where(Unit.code == code)).scalar_one_or_none()


def subtree_ids_select(path: str):  # type: ignore[no-untyped-def]
    """A sub-select of the ids in the subtree whose root has ``path``."""
    return select(Unit.id).where(Unit.path.startswith(path, autoescape=True))


def list_visible(session: Session, root_paths: Sequence[str] | None) -> Sequence[Unit]:
    """All units (root_paths None) or those in the given subtrees plus their ancestors."""
    query = select(Unit).order_by(Unit.depth, Unit.sort_order, Unit.id)
    if root_paths is not None:
        ancestor_ids = {int(p) for path in root_paths for p in path.strip("/").split("/") if p}
        query = query.where(
            or_(Unit.id.in_(ancestor_ids), *[Unit.path.startswith(p, autoescape=True) for p in root_paths])
        )
    return session.execute(query).scalars().all()


def move_subtree(session: Session, old_path: str, new_path: str, depth_delta: int) -> None:
    """Rewrite the path prefix of every descendant in one statement."""
    session.execute(
        update(Unit)
        .where(Unit.path.startswith(old_path, autoescape=True), Unit.path != old_path)
        .values(
            path=new_path + func.substr(Unit.path, len(old_path) + 1),
            depth=Unit.depth + depth_delta,
        )
        .execution_options(synchronize_session=False)
    )
