"""The decomposition tree: progress rolled up on every change, and the whole subtree read at once.

A parent's progress is the weighted mean of its children that are not cancelled (equal weights
unless set), stored so lists stay cheap. The other roll-ups (open / overdue / completed counts,
the worst deadline state, behind-schedule) depend on today's date, so they are computed when
the tree is read: one query for every node, then one pass in memory.
"""

from collections import defaultdict
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from luoshi import etags, stamps
from luoshi.db import read_records
from luoshi.errors import NotFound
from luoshi.memo import Built
from luoshi.tasks import repository as repo
from luoshi.tasks.deadline_state import SEVERITY, DeadlineClock, local_date
from luoshi.tasks.models import OPEN_STATUSES, Task, TaskStatus
from luoshi.tasks.scope import TaskScope


def roll_up_progress(session: Session, task: Task) -> None:
    """Recompute the progress of every ancestor of ``task``, deepest first (two queries)."""
    chain = task.ancestor_ids
    if not chain:
        return
    session.flush()
    rows = repo.children_figures(session, chain)
    children: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    current: dict[int, int] = {}
    for parent_id in reversed(chain):
        kids = [r for r in children[parent_id] if r.status != TaskStatus.cancelled]
        total = sum(r.weight for r in kids)
        if not total:
            continue
        value = round(sum(r.weight * current.get(r.id, r.progress) for r in kids) / total)
        current[parent_id] = value
        repo.set_progress(session, parent_id, value)
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Task) and obj.id in current:
            session.expire(obj, ["progress"])


def behind_schedule(status: str, progress: int, issued_at: datetime | None, deadline: date | None,
                    today: date) -> bool:
    """序时进度: percent done below the share of the time between issue and deadline elapsed."""
    if status not in (TaskStatus.assigned, TaskStatus.in_progress) or issued_at is None or deadline is None:
        return False
    start = local_date(issued_at)
    span = (deadline - start).days
    if span <= 0:
        return today >= deadline and progress < 100
    elapsed = min(max((today - start).days, 0), span)
    return progress < 100 * elapsed / span


class Top(NamedTuple):
    """The task a tree is asked for: its place, and the change stamps its ETag is made of."""

    id: int
    root_id: int
    path: str
    tree_stamp: int
    units_stamp: int


_TOPS: Built[Select[Any]] = Built()


def visible_top(session: Session, scope: TaskScope, task_id: int) -> Top:
    """The task, if the caller may see it (404 otherwise), with its stamps: one round trip.
    Read before the tree, so a write landing in between can only make a body newer than its
    tag, never older."""
    statement = _TOPS.get(scope.key, lambda: select(
        Task.id, Task.root_id, Task.path, stamps.stamp_of(stamps.tree_key(Task.root_id)).label("tree_stamp"),
        stamps.stamp_of(stamps.UNITS).label("units_stamp"),
    ).where(Task.id == bindparam("task_id"), scope.clause()))
    rows = read_records(session, statement, {"task_id": task_id})
    if not rows:
        raise NotFound("task.not_found")
    return Top(*rows[0])


# The stamps of the tree that holds the task ``task_id``, and the units', read with the caller
# (``security.in_one_trip``'s ``alongside``): 0 for a task that does not exist.
TAG_STAMPS = (
    stamps.stamp_of(stamps.tree_key(
        select(Task.root_id).where(Task.id == bindparam("task_id")).scalar_subquery())).label("tree_stamp"),
    stamps.stamp_of(stamps.UNITS).label("units_stamp"),
)


def etag(scope: TaskScope, task_id: int, tree_stamp: int, units_stamp: int, clock: DeadlineClock) -> str:
    """Weak: the same subtree, for the same caller, on the same day. The server's own
    (``luoshi.etags``): a client holds it only if this caller was sent this tree."""
    # Who asks is part of it: what the scope shows, and what the caller may do, changes with it.
    return etags.weak(task_id, scope.fingerprint, clock.today, tree_stamp, units_stamp)


def load_tree(session: Session, scope: TaskScope, task: Top, clock: DeadlineClock) -> dict[str, Any]:
    """The subtree of ``task`` as nested dicts, trimmed to what the caller may see.

    Rows are read as plain tuples: for 10,000 nodes attribute access on result rows costs
    more than everything else here.
    """
    rows = [tuple(r) for r in repo.subtree_rows(session, task.root_id, task.path, scope.clause())]
    top, today = task.id, clock.today
    visible = {r[0]: bool(r[15]) for r in rows}
    # A hidden node stays only as context for a visible one below it (title, deadline, lead unit).
    keep: dict[int, bool] = {}
    for row in reversed(rows):  # deepest first
        tid, parent_id = row[0], row[1]
        if visible[tid]:
            keep[tid] = True
        if tid in keep and tid != top and parent_id in visible:
            keep.setdefault(parent_id, visible[parent_id])
    nodes: dict[int, dict[str, Any]] = {}
    for (tid, parent_id, depth, title, status, deadline, on_time, progress, weight, leader_id, version,
         issued_at, lead_id, lead_name, lead_short, _) in rows:  # shallowest first
        full = keep.get(tid)
        if full is None:
            continue
        node: dict[str, Any] = {
            "id": tid, "parent_id": parent_id, "depth": depth, "title": title, "context_only": not full,
            "deadline": deadline.isoformat() if deadline else None,
            "lead_unit": {"id": lead_id, "name": lead_name, "short_name": lead_short} if lead_id else None,
            "children": [],
        }
        if full:
            node.update(
                status=status, deadline_state=clock.state(status, deadline, on_time), progress=progress,
                weight=weight, leader_id=leader_id, version=version,
                behind_schedule=behind_schedule(status, progress, issued_at, deadline, today),
            )
        else:
            node.update(status=None, deadline_state=None, progress=None, weight=None, leader_id=None,
                        version=None, behind_schedule=None)
        nodes[tid] = node
        parent = nodes.get(parent_id) if tid != top else None
        if parent is not None:
            parent["children"].append(node)
    for node in reversed(list(nodes.values())):  # children before parents
        _roll_up(node)
    return nodes[top]


# Plain strings: hashing enum members goes through Python code, 10,000 times per tree.
_OPEN = frozenset(s.value for s in OPEN_STATUSES)
_RANK = {state.value: rank for state, rank in SEVERITY.items()}


def _roll_up(node: dict[str, Any]) -> None:
    full = not node["context_only"]
    status = node["status"]
    state = node["deadline_state"].value if full and node["deadline_state"] else None
    open_count = int(full and status in _OPEN)
    overdue = int(state == "overdue")
    completed = int(full and status == "completed")
    behind = int(bool(full and node["behind_schedule"]))
    worst = state
    for child in node["children"]:
        sub = child["rollup"]
        open_count += sub["open_count"]
        overdue += sub["overdue_count"]
        completed += sub["completed_count"]
        behind += sub["behind_schedule_count"]
        theirs = sub["worst_deadline_state"]
        if theirs is not None and (worst is None or _RANK[theirs] > _RANK[worst]):
            worst = theirs
    node["rollup"] = {"open_count": open_count, "overdue_count": overdue, "completed_count": completed,
                      "behind_schedule_count": behind, "worst_deadline_state": worst}
