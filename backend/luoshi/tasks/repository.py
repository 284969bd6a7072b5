"""All SQL of the tasks domain."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, delete, false, func, or_, select, update
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.orm.exc import StaleDataError

from luoshi.db import read_records
from luoshi.errors import Conflict
from luoshi.org.models import Unit
from luoshi.tasks.models import OPEN_STATUSES, Assignment, Capacity, Milestone, Task, TaskEvent, TaskStatus
from luoshi.users.models import User


def get(session: Session, task_id: int) -> Task | None:
    return session.get(Task, task_id)


def flush_versioned(session: Session) -> None:
    """Flush; a row whose version moved under us (a concurrent writer) is a 409, not a 500."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict("task.concurrent_change") from exc


def get_with_assignments(session: Session, task_id: int) -> Task | None:
    return session.execute(
        select(Task).where(Task.id == task_id).options(selectinload(Task.assignments))
    ).scalar_one_or_none()


def lock_chain(session: Session, task: Task) -> None:
    """Lock the task and its ancestors, root first, and reload the task.

    Every writer locks top-down, so a cancel cascading down and a roll-up climbing up cannot
    deadlock, and the checks that follow see the committed state (PostgreSQL; SQLite
    serialises writers anyway).
    """
    ids = [*task.ancestor_ids, task.id]
    session.execute(
        select(Task.id).where(Task.id.in_(ids)).order_by(Task.depth).with_for_update()
    ).all()
    session.execute(
        select(Task).where(Task.id == task.id)
        .options(selectinload(Task.assignments))
        .execution_options(populate_existing=True)
    ).scalar_one()


def summary_page(
    visible: ColumnElement[bool], filters: list[ColumnElement[bool]], own_unit_id: int,
    office_issued: ColumnElement[bool] | None, *, paged: bool, limit: int,
) -> Select[Any]:
    """One page of tasks, newest first, each with its lead unit, leader, the caller's unit's
    own assignment (capacity and state) and whether the caller's office issued it, in one
    statement; when ``paged``, below the bound ``before_id``."""
    issued = (office_issued if office_issued is not None else false()).label("office_issued")
    query = (
        select(*SUMMARY_COLUMNS, issued)
        .outerjoin(LEAD_UNIT, LEAD_UNIT.id == Task.lead_unit_id)
        .outerjoin(LEADER, LEADER.id == Task.leader_id)
        .outerjoin(OWN, and_(OWN.task_id == Task.id, OWN.unit_id == own_unit_id))
        .where(visible, *filters).order_by(Task.id.desc()).limit(limit)
    )
    return query.where(Task.id < bindparam("before_id")) if paged else query


LIKE_ESCAPE = "/"


def like_pattern(words: str) -> str:
    """``words`` as a LIKE pattern that matches them literally (``%`` and ``_`` escaped)."""
    return words.replace(LIKE_ESCAPE, 2 * LIKE_ESCAPE).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def search_clause(pattern: ColumnElement[str]) -> ColumnElement[bool]:
    """The words of ``pattern`` (a ``like_pattern``) in the title, the requirements or the 文号."""
    return or_(*(column.contains(pattern, escape=LIKE_ESCAPE)
                 for column in (Task.title, Task.content, Task.source_ref)))


def takes_part_clause(unit_id: ColumnElement[int]) -> ColumnElement[bool]:
    return Task.id.in_(select(Assignment.task_id).where(Assignment.unit_id == unit_id))


# The reads of a task's detail, built once: building a statement and walking it for its cache
# key cost about as much as running it.
_USER_NAMES = select(User.id, User.display_name).where(User.id.in_(bindparam("ids", expanding=True)))


def user_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {user_id: name for user_id, name in session.execute(_USER_NAMES, {"ids": list(ids)})}


LEAD_UNIT, ISSUER_UNIT, LEADER, OWN = aliased(Unit), aliased(Unit), aliased(User), aliased(Assignment)

# What a list item shows, as plain columns: no ORM entities are built for a page.
SUMMARY_COLUMNS = (
    Task.id, Task.parent_id, Task.root_id, Task.depth, Task.title, Task.status, Task.deadline_date,
    Task.completed_on_time, Task.progress, Task.leader_id, Task.source_type, Task.source_ref,
    Task.priority, Task.version, Task.updated_at, Task.issuer_unit_id, Task.lead_unit_id,
    LEAD_UNIT.name.label("lead_unit_name"), LEAD_UNIT.short_name.label("lead_unit_short_name"),
    LEADER.display_name.label("leader_name"),
    OWN.capacity.label("own_capacity"), OWN.state.label("own_state"),
)


def detail_select(visible: ColumnElement[bool]) -> Select[Any]:
    """One task in full as plain columns, with what its detail names (lead and issuing unit,
    leader) and counts (children), where ``visible``; the task id is bound as ``task_id``."""
    child = aliased(Task)
    return (
        select(*Task.__table__.c,
               LEAD_UNIT.name.label("lead_unit_name"), LEAD_UNIT.short_name.label("lead_unit_short_name"),
               ISSUER_UNIT.name.label("issuer_unit_name"), ISSUER_UNIT.short_name.label("issuer_unit_short_name"),
               ISSUER_UNIT.path.label("issuer_unit_path"), LEADER.display_name.label("leader_name"),
               select(func.count()).select_from(child).where(child.parent_id == Task.id)
               .scalar_subquery().label("children_count"))
        .join(ISSUER_UNIT, ISSUER_UNIT.id == Task.issuer_unit_id)
        .outerjoin(LEAD_UNIT, LEAD_UNIT.id == Task.lead_unit_id)
        .outerjoin(LEADER, LEADER.id == Task.leader_id)
        .where(Task.id == bindparam("task_id"), visible)
    )


# Built once: the detail's other reads, each by the task's id (or its ancestors' ids).
_ASSIGNMENTS = (
    select(*Assignment.__table__.c, Unit.name.label("unit_name"), Unit.short_name.label("unit_short_name"))
    .join(Unit, Unit.id == Assignment.unit_id)
    .where(Assignment.task_id == bindparam("task_id")).order_by(Assignment.id)
)
_ANCESTORS = (
    select(Task.id, Task.title, Task.deadline_date, Task.lead_unit_id,
           LEAD_UNIT.name.label("lead_unit_name"), LEAD_UNIT.short_name.label("lead_unit_short_name"))
    .outerjoin(LEAD_UNIT, LEAD_UNIT.id == Task.lead_unit_id)
    .where(Task.id.in_(bindparam("ids", expanding=True))).order_by(Task.depth)
)
_MILESTONES = (select(Milestone.id, Milestone.title, Milestone.planned_date, Milestone.done_date)
               .where(Milestone.task_id == bindparam("task_id"))
               .order_by(Milestone.planned_date, Milestone.id))


def assignment_rows(session: Session, task_id: int) -> list[Any]:
    """Every unit's row of a task with the unit's names, as records, in the order they were added."""
    return read_records(session, _ASSIGNMENTS, {"task_id": task_id})


def ancestors(session: Session, ids: list[int]) -> list[Any]:
    """The chain from the root down to the parent (``ids``): what a detail shows as context."""
    if not ids:
        return []
    return read_records(session, _ANCESTORS, {"ids": ids})


def milestones(session: Session, task_id: int) -> list[dict[str, Any]]:
    return [m._asdict() for m in read_records(session, _MILESTONES, {"task_id": task_id})]


def replace_milestones(session: Session, task_id: int, items: list[dict[str, Any]]) -> None:
    session.execute(delete(Milestone).where(Milestone.task_id == task_id))
    session.add_all([Milestone(task_id=task_id, **item) for item in items])


_CHILDREN_COUNT = select(func.count()).select_from(Task).where(Task.parent_id == bindparam("task_id"))


def children_count(session: Session, task_id: int) -> int:
    return session.execute(_CHILDREN_COUNT, {"task_id": task_id}).scalar_one()


def open_children_count(session: Session, task_id: int) -> int:
    return session.execute(
        select(func.count()).select_from(Task)
        .where(Task.parent_id == task_id, Task.status.in_(OPEN_STATUSES))
    ).scalar_one()


def max_child_deadline(session: Session, task_id: int) -> date | None:
    return session.execute(
        select(func.max(Task.deadline_date)).where(
            Task.parent_id == task_id, Task.status != TaskStatus.cancelled)
    ).scalar_one()


def open_descendants(session: Session, task: Task) -> Sequence[Task]:
    """Open tasks below ``task``, locked, shallowest first (the lock order of ``lock_chain``)."""
    return session.execute(
        select(Task).where(
            Task.root_id == task.root_id, Task.path.startswith(task.path), Task.id != task.id,
            Task.status.in_(OPEN_STATUSES),
        ).order_by(Task.depth, Task.id).with_for_update(of=Task)
    ).scalars().all()


def children_figures(session: Session, parent_ids: list[int]) -> Sequence[Row[Any]]:
    return session.execute(
        select(Task.id, Task.parent_id, Task.weight, Task.progress, Task.status)
        .where(Task.parent_id.in_(parent_ids))
    ).all()


def set_progress(session: Session, task_id: int, progress: int) -> None:
    """A roll-up writes a derived figure: no version bump, no updated_at (nobody edited it)."""
    session.execute(
        update(Task).where(Task.id == task_id).values(progress=progress)
        .execution_options(synchronize_session=False)
    )


def units(session: Session, ids: set[int]) -> dict[int, Unit]:
    if not ids:
        return {}
    return {u.id: u for u in session.execute(select(Unit).where(Unit.id.in_(ids))).scalars()}


def visible_titles(session: Session, visible: ColumnElement[bool], ids: set[int]) -> dict[int, str]:
    """The titles of those of ``ids`` the caller sees (``visible``: the scope's clause)."""
    if not ids:
        return {}
    return {row.id: row.title for row in session.execute(select(Task.id, Task.title).where(Task.id.in_(ids), visible))}


def events(session: Session, task_id: int) -> Sequence[Row[Any]]:
    return session.execute(
        select(TaskEvent, User.display_name)
        .outerjoin(User, User.id == TaskEvent.actor_id)
        .where(TaskEvent.task_id == task_id).order_by(TaskEvent.id)
    ).all()


def subtree_rows(session: Session, root_id: int, path: str, visible: ColumnElement[bool]) -> Sequence[Row[Any]]:
    """Every node of the subtree in one query, with its lead unit and whether the caller sees it.

    Run on the connection: plain rows, without the ORM's per-row bookkeeping."""
    return session.connection().execute(
        select(
            Task.id, Task.parent_id, Task.depth, Task.title, Task.status, Task.deadline_date,
            Task.completed_on_time, Task.progress, Task.weight, Task.leader_id, Task.version,
            Task.issued_at, Task.lead_unit_id, Unit.name.label("lead_unit_name"),
            Unit.short_name.label("lead_unit_short_name"), visible.label("visible"),
        )
        .outerjoin(Unit, Unit.id == Task.lead_unit_id)
        .where(Task.root_id == root_id, Task.path.startswith(path))
        .order_by(Task.depth, Task.sort_order, Task.id)
    ).all()


def count(session: Session, visible: ColumnElement[bool], filters: list[ColumnElement[bool]]) -> int:
    return session.execute(select(func.count()).select_from(Task).where(visible, *filters)).scalar_one()


def ledger_rows(
    session: Session, visible: ColumnElement[bool], filters: list[ColumnElement[bool]],
) -> list[Any]:
    """The ledger's columns of every matching task, with its lead unit's name (unordered), as
    named tuples: the ledger reads some twenty fields of each of up to 20,000 rows."""
    return read_records(
        session,
        select(
            Task.id, Task.path, Task.depth, Task.title, Task.content, Task.source_type,
            Task.source_ref, Task.leader_id, Task.deadline_date, Task.original_deadline_date,
            Task.status, Task.completed_on_time, Task.progress, Task.return_count, Task.signed_at,
            Task.completed_at, Unit.name.label("lead_unit_name"),
        )
        .outerjoin(Unit, Unit.id == Task.lead_unit_id)
        .where(visible, *filters),
    )


def cooperating_unit_names(
    session: Session, visible: ColumnElement[bool], filters: list[ColumnElement[bool]],
) -> Sequence[Row[Any]]:
    """(task_id, unit name) of the cooperating units of every matching task, in the order assigned."""
    tasks = select(Task.id).where(visible, *filters)
    return session.execute(
        select(Assignment.task_id, Unit.name)
        .join(Unit, Unit.id == Assignment.unit_id)
        .where(Assignment.capacity == Capacity.cooperating, Assignment.task_id.in_(tasks))
        .order_by(Assignment.task_id, Assignment.id)
    ).all()
