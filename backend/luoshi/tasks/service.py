"""Creating, decomposing and editing tasks (the rules of SPEC §3)."""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.deadlines.calendar import local_today
from luoshi.errors import AppError, Conflict, PreconditionFailed, Unprocessable
from luoshi.org.models import Unit
from luoshi.permissions import Permission, Role
from luoshi.security import CurrentUser, denied
from luoshi.tasks import repository as repo
from luoshi.tasks.assignments import REASSIGNABLE, reassign_lead_unit, set_cooperating_units
from luoshi.tasks.events import record_event
from luoshi.tasks.models import (
    Assignment,
    AssignmentState,
    Capacity,
    Milestone,
    Task,
    TaskStatus,
)
from luoshi.tasks.schemas import TaskCreate, TaskUpdate
from luoshi.tasks.scope import TaskScope, load_visible_task, task_scope
from luoshi.tasks.transitions import MANAGERS, Party, Refusal, Request
from luoshi.tasks.tree import roll_up_progress
from luoshi.users.models import User


def field_error(field: str, zh: str, en: str, code: str = "validation.failed") -> Unprocessable:
    return Unprocessable(code, errors=[{"field": field, "message": {"zh": zh, "en": en}}])  # type: ignore[dict-item]


class PreconditionRequired(AppError):
    status = 428
    code = "resource.version_required"


def parse_if_match(header: str | None) -> int | None:
    """``If-Match: 3``, ``"3"`` or ``W/"3"`` → 3."""
    if header is None:
        return None
    value = header.strip().removeprefix("W/").strip('"')
    try:
        return int(value)
    except ValueError as exc:
        raise PreconditionFailed() from exc


def check_version(task: Task, expected: int | None) -> None:
    if expected is not None and expected != task.version:
        raise PreconditionFailed(extra={"current_version": task.version})


def _check_units(session: Session, scope: TaskScope, lead_id: int | None, coop_ids: list[int]) -> dict[int, Unit]:
    wanted = set(coop_ids) | ({lead_id} if lead_id is not None else set())
    units = repo.units(session, wanted)
    if lead_id is not None and (lead_id not in units or not units[lead_id].is_active):
        raise field_error("lead_unit_id", "牵头单位不存在或已停用", "no such active unit")
    missing = [i for i in coop_ids if i not in units or not units[i].is_active]
    if missing:
        raise field_error("cooperating_unit_ids", "配合单位不存在或已停用", f"no such active unit: {missing}")
    if lead_id is not None and lead_id in coop_ids:
        raise field_error("cooperating_unit_ids", "牵头单位不能同时是配合单位",
                          "the lead unit cannot also cooperate")
    return units


def _check_jurisdiction(scope: TaskScope, lead_id: int | None, coop_ids: list[int]) -> None:
    """A root is assigned by an office to units of its own jurisdiction."""
    ids = scope.jurisdiction_ids or frozenset()
    if lead_id is not None and lead_id not in ids:
        raise field_error("lead_unit_id", "单位不在本督查机构的管辖范围内", "unit outside the jurisdiction")
    if any(i not in ids for i in coop_ids):
        raise field_error("cooperating_unit_ids", "单位不在本督查机构的管辖范围内",
                          "unit outside the jurisdiction")


def _check_leader(session: Session, leader_id: int | None) -> None:
    if leader_id is None:
        return
    user = session.get(User, leader_id)
    if user is None or not user.is_active or Role.leader not in user.roles:
        raise field_error("leader_id", "责任领导不存在或不是领导账号", "no such leader")


def _check_feedback(cycle: str, dates: list[date]) -> None:
    if cycle == "dates" and not dates:
        raise field_error("feedback_dates", "指定日期回告须列出日期", "list the report dates")


def _check_milestones(milestones: list[Any], deadline: date | None) -> None:
    for m in milestones:
        if deadline is not None and m.planned_date > deadline:
            raise field_error("milestones", "时间节点不能晚于办理时限", "a milestone is after the deadline")


def _check_child(session: Session, parent: Task, lead_id: int | None, deadline: date | None,
                 units: dict[int, Unit]) -> None:
    """SPEC §3: within the parent's deadline; led by the parent's lead, a cooperating unit, or below."""
    if deadline is not None and parent.deadline_date is not None and deadline > parent.deadline_date:
        raise field_error("deadline", f"分解事项的时限不能晚于上级事项（{parent.deadline_date}）",
                          f"must be on or before the parent's deadline {parent.deadline_date}")
    if lead_id is None or parent.lead_unit_id is None:
        return
    allowed_ids = {a.unit_id for a in parent.assignments}
    if lead_id in allowed_ids:
        return
    parent_lead = parent.lead_unit or session.get(Unit, parent.lead_unit_id)
    if parent_lead is None or not units[lead_id].path.startswith(parent_lead.path):
        raise field_error("lead_unit_id", "分解事项的牵头单位应为上级事项的牵头单位、配合单位或其下属单位",
                          "must be the parent's lead unit, a cooperating unit, or a unit under the lead unit")


def create_task(session: Session, current: CurrentUser, data: TaskCreate) -> Task:
    scope = task_scope(session, current)
    parent = None
    if data.parent_id is None:
        if not current.can(Permission.tasks_manage):
            raise denied(current, Permission.tasks_manage.value, "task")
        issuer_unit_id = scope.unit_id
    else:
        parent = load_visible_task(session, current, data.parent_id)
        refusal = scope.check(Request.decompose, parent)
        if refusal == Refusal.forbidden:
            err = denied(current, Permission.tasks_decompose.value, "task")
            err.code = "task.decompose_denied"
            raise err
        if refusal == Refusal.own_state:
            raise Conflict("task.sign_first")
        if refusal == Refusal.conflict:
            raise Conflict("task.parent_closed")
        as_supervisor = Party.supervisor in scope.parties(parent)
        issuer_unit_id = scope.unit_id if as_supervisor else parent.lead_unit_id  # type: ignore[assignment]
    if data.deadline is not None and data.deadline < local_today():
        raise field_error("deadline", "办理时限不能早于今天", "the deadline is in the past")
    units = _check_units(session, scope, data.lead_unit_id, data.cooperating_unit_ids)
    leader_id = data.leader_id if data.leader_id is not None else (parent.leader_id if parent else None)
    _check_leader(session, leader_id)
    _check_feedback(data.feedback_cycle, data.feedback_dates)
    _check_milestones(data.milestones, data.deadline)
    if parent is not None:
        _check_child(session, parent, data.lead_unit_id, data.deadline, units)
    else:
        _check_jurisdiction(scope, data.lead_unit_id, data.cooperating_unit_ids)
    task = Task(
        parent_id=parent.id if parent else None, path="", depth=parent.depth + 1 if parent else 0,
        title=data.title, content=data.content, source_type=data.source_type,
        source_ref=data.source_ref, source_date=data.source_date, category=data.category,
        priority=data.priority, tags=data.tags, leader_id=leader_id,
        lead_unit_id=data.lead_unit_id, issuer_unit_id=issuer_unit_id,
        deadline_date=data.deadline, original_deadline_date=data.deadline,
        feedback_cycle=data.feedback_cycle, deadline_day_count=data.deadline_day_count,
        feedback_dates=[d.isoformat() for d in data.feedback_dates], weight=data.weight,
        status=TaskStatus.draft, created_by_id=current.id, updated_by_id=current.id,
    )
    session.add(task)
    session.flush()
    task.path = f"{parent.path if parent else '/'}{task.id}/"
    task.root_id = parent.root_id if parent else task.id
    rows = [Assignment(task_id=task.id, unit_id=data.lead_unit_id, capacity=Capacity.lead,
                       state=AssignmentState.assigned)] if data.lead_unit_id else []
    rows += [Assignment(task_id=task.id, unit_id=u, capacity=Capacity.cooperating,
                        state=AssignmentState.assigned) for u in data.cooperating_unit_ids]
    session.add_all(rows)
    session.add_all([Milestone(task_id=task.id, **m.model_dump()) for m in data.milestones])
    record_event(session, task, current.actor, "create", to_status=TaskStatus.draft,
                 payload={"parent_id": task.parent_id, "lead_unit_id": task.lead_unit_id,
                          "cooperating_unit_ids": data.cooperating_unit_ids})
    session.flush()
    if parent is not None:
        roll_up_progress(session, task)
    return task


# What the lead unit may edit of its task; the office edits everything TaskUpdate takes.
LEAD_FIELDS = frozenset({"progress", "milestones"})
OFFICE_FIELDS = frozenset(TaskUpdate.model_fields)
# A task with sub-tasks has its progress rolled up from them, never set.
ROLLED_UP = frozenset({"progress"})
# Fields that change only in some statuses (the change itself refuses in the others, 409).
ONLY_WHILE = {"lead_unit_id": REASSIGNABLE}
EDITABLE = ("title", "content", "source_type", "source_ref", "source_date", "category", "priority",
            "tags", "weight", "feedback_cycle", "deadline_day_count")


def _writable(manager: bool) -> frozenset[str]:
    return OFFICE_FIELDS if manager else LEAD_FIELDS


def editable_fields(status: str, manager: bool, may_edit: bool, has_children: bool) -> list[str]:
    """The fields the caller may PATCH now (``TaskRead.editable_fields``), by the rules
    ``update_task`` applies: none unless the request table lists ``edit``; the office's or the lead
    unit's fields; no progress on a task with sub-tasks; the lead unit only before it signs."""
    if not may_edit:
        return []
    fields = _writable(manager) - (ROLLED_UP if has_children else frozenset())
    return [name for name in TaskUpdate.model_fields
            if name in fields and status in ONLY_WHILE.get(name, (status,))]


def update_task(session: Session, current: CurrentUser, task_id: int, data: TaskUpdate,
                if_match: str | None) -> Task:
    task = load_visible_task(session, current, task_id)
    scope = task_scope(session, current)
    expected = parse_if_match(if_match)
    if expected is None:
        raise PreconditionRequired()
    repo.lock_chain(session, task)
    check_version(task, expected)
    changes = data.model_dump(exclude_unset=True)
    manager = bool(scope.parties(task) & MANAGERS)
    refusal = scope.check(Request.edit, task)
    if refusal == Refusal.forbidden or not set(changes) <= _writable(manager):
        raise denied(current, "task:update", "task")
    if refusal == Refusal.own_state:
        raise Conflict("task.sign_first")
    if refusal == Refusal.conflict:
        raise Conflict("task.not_editable")
    before = {k: _jsonable(getattr(task, _column(k), None)) for k in changes if k != "milestones"}
    lead_id = changes.get("lead_unit_id", task.lead_unit_id)
    coop_ids = changes.get("cooperating_unit_ids",
                           [a.unit_id for a in task.assignments if a.capacity == Capacity.cooperating])
    if "lead_unit_id" in changes or "cooperating_unit_ids" in changes:
        if "lead_unit_id" in changes and changes["lead_unit_id"] is None:
            raise field_error("lead_unit_id", "牵头单位不能为空", "a task keeps its lead unit")
        units = _check_units(session, scope, lead_id, coop_ids)
        parent = repo.get_with_assignments(session, task.parent_id) if task.parent_id else None
        if parent is not None:
            _check_child(session, parent, lead_id, None, units)
    deadline = changes.get("deadline", task.deadline_date)
    if "deadline" in changes:
        _check_deadline_change(session, task, deadline)
    if "leader_id" in changes:
        _check_leader(session, changes["leader_id"])
    _check_feedback(changes.get("feedback_cycle", task.feedback_cycle),
                    changes.get("feedback_dates", task.feedback_dates))
    if "milestones" in changes:
        _check_milestones(data.milestones or [], deadline)
    if ROLLED_UP & set(changes) and repo.children_count(session, task.id):
        raise field_error("progress", "有分解事项的事项进度由下级事项汇总", "progress of a parent is rolled up")
    for name in EDITABLE:
        if name in changes and changes[name] is not None:
            setattr(task, name, changes[name])
    if "leader_id" in changes:
        task.leader_id = changes["leader_id"]
    if "feedback_dates" in changes and changes["feedback_dates"] is not None:
        task.feedback_dates = [d.isoformat() for d in changes["feedback_dates"]]
    if "deadline" in changes:
        task.deadline_date = deadline
        if task.status == TaskStatus.draft:
            task.original_deadline_date = deadline
    if "progress" in changes and changes["progress"] is not None:
        task.progress = changes["progress"]
    if "milestones" in changes:
        repo.replace_milestones(session, task.id, [m.model_dump() for m in data.milestones or []])
    if "cooperating_unit_ids" in changes:
        set_cooperating_units(session, task, coop_ids)
    if "lead_unit_id" in changes and lead_id != task.lead_unit_id:
        reassign_lead_unit(session, task, lead_id, current.actor, reason=None, event=False)
    task.updated_by_id = current.id
    task.updated_at = utcnow()
    repo.flush_versioned(session)
    record_event(session, task, current.actor, "update",
                 payload={"changed": sorted(changes), "before": before})
    session.flush()
    if "progress" in changes or "weight" in changes:
        roll_up_progress(session, task)
    return task


def _check_deadline_change(session: Session, task: Task, deadline: date | None) -> None:
    if deadline is None:
        if task.status != TaskStatus.draft:
            raise field_error("deadline", "已交办事项须有办理时限", "an issued task keeps a deadline")
        return
    if deadline < local_today() and deadline != task.deadline_date:
        raise field_error("deadline", "办理时限不能早于今天", "the deadline is in the past")
    parent = repo.get(session, task.parent_id) if task.parent_id else None
    if parent is not None and parent.deadline_date is not None and deadline > parent.deadline_date:
        raise field_error("deadline", f"分解事项的时限不能晚于上级事项（{parent.deadline_date}）",
                          f"must be on or before the parent's deadline {parent.deadline_date}")
    latest_child = repo.max_child_deadline(session, task.id)
    if latest_child is not None and deadline < latest_child:
        raise field_error("deadline", f"不能早于分解事项的时限（{latest_child}）",
                          f"a sub-task is due {latest_child}, later than this deadline")


_COLUMNS = {"deadline": "deadline_date"}


def _column(field: str) -> str:
    return _COLUMNS.get(field, field)


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value
