"""The decomposition tree: progress rolled up on every change, and the whole subtree read at once.

A parent's progress is the weighted mean of its children that are not cancelled (equal weights
unless set), stored so lists stay cheap. The other roll-ups (open / overdue / completed counts,
the worst deadline state, behind-schedule) depend on today's date, so they are computed when
the tree is read: one query for every node, then one pass in memory.
"""

import hashlib
from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from luoshi.tasks import repository as repo
from luoshi.tasks.deadline_state import DeadlineClock, local_date, worse
from luoshi.tasks.models import OPEN_STATUSES, DeadlineState, Task, TaskStatus
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


def _unit(row: Any) -> dict[str, Any] | None:
    if row.lead_unit_id is None:
        return None
    return {"id": row.lead_unit_id, "name": row.lead_unit_name, "short_name": row.lead_unit_short_name}


def etag(session: Session, scope: TaskScope, task: Task, clock: DeadlineClock) -> str:
    """Weak: the same subtree, for the same caller, on the same day."""
    count, versions, last = repo.subtree_fingerprint(session, task)
    # The caller's unit and roles are part of it: what the scope shows changes with them.
    who = (scope.user_id, scope.unit_id, scope.manages, scope.handles, scope.leader, scope.leads_all)
    raw = f"{task.id}:{who}:{clock.today}:{count}:{versions}:{last}"
    return 'W/"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def load_tree(session: Session, scope: TaskScope, task: Task, clock: DeadlineClock) -> dict[str, Any]:
    """The subtree of ``task`` as nested dicts, trimmed to what the caller may see."""
    rows = repo.subtree_rows(session, task, scope.clause())
    by_id = {row.id: row for row in rows}
    # A hidden node stays only as context for a visible one below it (title, deadline, lead unit).
    keep: dict[int, bool] = {}
    for row in reversed(rows):  # deepest first
        if row.visible:
            keep[row.id] = True
        if row.id in keep and row.id != task.id and row.parent_id in by_id:
            keep.setdefault(row.parent_id, bool(by_id[row.parent_id].visible))
    nodes: dict[int, dict[str, Any]] = {}
    for row in rows:  # shallowest first, so a parent exists before its children
        if row.id not in keep:
            continue
        full = keep[row.id]
        node: dict[str, Any] = {
            "id": row.id, "parent_id": row.parent_id, "depth": row.depth, "title": row.title,
            "context_only": not full, "deadline": row.deadline_date.isoformat() if row.deadline_date else None,
            "lead_unit": _unit(row), "children": [],
        }
        if full:
            state = clock.state(row.status, row.deadline_date, row.completed_on_time)
            node.update(
                status=row.status, deadline_state=state, progress=row.progress, weight=row.weight,
                leader_id=row.leader_id, version=row.version,
                behind_schedule=behind_schedule(row.status, row.progress, row.issued_at,
                                                row.deadline_date, clock.today),
            )
        else:
            node.update(status=None, deadline_state=None, progress=None, weight=None, leader_id=None,
                        version=None, behind_schedule=None)
        nodes[row.id] = node
        parent = nodes.get(row.parent_id) if row.id != task.id else None
        if parent is not None:
            parent["children"].append(node)
    for node in reversed(list(nodes.values())):  # children before parents
        _roll_up(node)
    return nodes[task.id]


def _roll_up(node: dict[str, Any]) -> None:
    full = not node["context_only"]
    status, state = node["status"], node["deadline_state"]
    figures = {
        "open_count": int(full and status in OPEN_STATUSES),
        "overdue_count": int(full and state == DeadlineState.overdue),
        "completed_count": int(full and status == TaskStatus.completed),
        "behind_schedule_count": int(bool(full and node["behind_schedule"])),
    }
    worst = state if full else None
    for child in node["children"]:
        sub = child["rollup"]
        for key in figures:
            figures[key] += sub[key]
        worst = worse(worst, sub["worst_deadline_state"])
    node["rollup"] = {**figures, "worst_deadline_state": worst}
