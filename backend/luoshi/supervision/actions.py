"""Supervision actions (督办) on one unit for one task, and the unit's answer."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.deadlines.models import ObligationKind
from luoshi.deadlines.service import add_obligation, fulfil_obligation
from luoshi.errors import AppError, Conflict, Unprocessable
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.service import send
from luoshi.pagination import decode_cursor, encode_cursor
from luoshi.permissions import Permission, Role
from luoshi.security import CurrentUser, denied
from luoshi.supervision.common import answer_due, asked, not_found, require_under_way, unit_people, visible
from luoshi.supervision.models import LEVEL_ORDER, ActionLevel, SupervisionAction
from luoshi.supervision.schemas import ActionCreate, ActionRead
from luoshi.tasks.events import record_event
from luoshi.tasks.models import Task
from luoshi.tasks.scope import task_scope
from luoshi.tasks.transitions import Party, Refusal, Request

LEVEL_NAMES = {
    ActionLevel.reminder: "提醒", ActionLevel.urge: "催办", ActionLevel.notice: "督办单",
    ActionLevel.interview: "约谈", ActionLevel.bulletin: "通报批评", ActionLevel.referral: "问责移送",
}


def _sees_every_unit(parties: frozenset[Party], current: CurrentUser) -> bool:
    """The office, the unit that decomposed the task and leaders see the actions on every unit of
    a task; a unit sees only those addressed to it."""
    return bool(parties & {Party.supervisor, Party.issuing_unit}) or current.has_role(Role.leader)


def _respond_refusal(action: SupervisionAction, current: CurrentUser) -> AppError | None:
    """Why the caller may not answer the action now (403, 409), or None: the unit it is addressed
    to answers once, when an answer was asked for (a formal notice, or any action with a date)."""
    if action.unit_id != current.unit_id or not current.can(Permission.tasks_handle):
        return denied(current, Permission.tasks_handle.value, "supervision_action")
    if action.responded_at is not None:
        return Conflict("supervision.already_answered")
    if action.response_due_date is None:
        return Conflict("supervision.no_answer_asked")
    return None


def present(action: SupervisionAction, current: CurrentUser) -> ActionRead:
    read = ActionRead.model_validate(action)
    read.allowed_actions = ["respond"] if _respond_refusal(action, current) is None else []
    return read


def create(session: Session, current: CurrentUser, task_id: int, data: ActionCreate) -> ActionRead:
    task, refusal = asked(session, current, task_id, Request.supervise)
    if refusal == Refusal.forbidden:
        raise denied(current, Permission.supervision_act.value, "task")
    require_under_way(refusal)
    if data.unit_id not in {a.unit_id for a in task.assignments}:
        raise Unprocessable("supervision.unit_not_assigned", errors=[{"field": "unit_id", "message": {  # type: ignore[dict-item]
            "zh": "该单位未承办此事项", "en": "the unit takes no part in this task"}}])
    level = ActionLevel(data.level)
    # A formal notice always wants a written answer; the others only when a date is given.
    due = answer_due(data.response_due_date, "response_due_date") \
        if level == ActionLevel.notice or data.response_due_date else None
    actor = current.actor
    action = SupervisionAction(
        task_id=task.id, unit_id=data.unit_id, level=level.value, content=data.content,
        response_due_date=due, created_by_id=actor.user_id, on_behalf_of_id=actor.on_behalf_of_id,
        created_at=utcnow())
    session.add(action)
    session.flush()
    if due is not None:
        o = add_obligation(session, task_id=task.id, unit_id=data.unit_id, kind=ObligationKind.answer,
                           period_key=f"action:{action.id}", title=f"{LEVEL_NAMES[level]}答复：{task.title}",
                           due_date=due, source_type="supervision_action", source_id=action.id)
        action.obligation_id = o.id
    severe = LEVEL_ORDER[level] >= LEVEL_ORDER[ActionLevel.notice]
    roles = (Role.unit_staff, Role.unit_head) if LEVEL_ORDER[level] >= LEVEL_ORDER[ActionLevel.urge] \
        else (Role.unit_staff,)
    send(session, unit_people(session, [data.unit_id], *roles), kind=NotificationKind.supervision,
         title=f"【{LEVEL_NAMES[level]}】{task.title}",
         body=data.content + (f"\n请于 {due.isoformat()} 前书面答复。" if due else ""),
         task_id=task.id, urgent=severe, requires_receipt=level == ActionLevel.notice,
         data={"supervision_action_id": action.id, "level": level.value})
    record_event(session, task, actor, f"supervision_{level.value}",
                 payload={"supervision_action_id": action.id, "unit_id": data.unit_id,
                          "response_due_date": due.isoformat() if due else None})
    session.flush()
    return present(action, current)


def list_for_task(session: Session, current: CurrentUser, task_id: int) -> list[ActionRead]:
    task, parties = visible(session, current, task_id)
    query = select(SupervisionAction).where(SupervisionAction.task_id == task.id)
    if not _sees_every_unit(parties, current):
        query = query.where(SupervisionAction.unit_id == current.unit_id)
    return [present(a, current) for a in session.execute(query.order_by(SupervisionAction.id)).scalars()]


def respond(session: Session, current: CurrentUser, action_id: int, text: str) -> ActionRead:
    action = session.get(SupervisionAction, action_id)
    if action is None:
        raise not_found("supervision.action_not_found")
    task, parties = visible(session, current, action.task_id)
    # An action the caller's list does not show is missing to them.
    if action.unit_id != current.unit_id and not _sees_every_unit(parties, current):
        raise not_found("supervision.action_not_found")
    refusal = _respond_refusal(action, current)
    if refusal is not None:
        raise refusal
    actor = current.actor
    now = utcnow()
    action.response, action.responded_at = text, now
    action.responded_by_id, action.responded_on_behalf_of_id = actor.user_id, actor.on_behalf_of_id
    action.receipt_at = action.receipt_at or now
    if action.obligation_id is not None:
        fulfil_obligation(session, task_id=task.id, unit_id=action.unit_id, kind=ObligationKind.answer,
                          period_key=f"action:{action.id}", ref=f"supervision_action:{action.id}", at=now)
    send(session, [action.created_by_id], kind=NotificationKind.supervision,
         title=f"【督办答复】{task.title}", body=text[:500], task_id=task.id,
         data={"supervision_action_id": action.id})
    record_event(session, task, actor, "supervision_answered",
                 payload={"supervision_action_id": action.id, "unit_id": action.unit_id})
    session.flush()
    return present(action, current)


def list_in_scope(
    session: Session, current: CurrentUser, *, unit_id: int | None, level: ActionLevel | None,
    unanswered: bool | None, cursor: str | None, limit: int,
) -> tuple[list[ActionRead], str | None]:
    """Actions on the tasks the caller may see; a unit's staff see those addressed to their unit."""

    scope = task_scope(session, current)
    query = select(SupervisionAction).join(Task, Task.id == SupervisionAction.task_id).where(scope.clause())
    if scope.handles and scope.jurisdiction_root_path is None and not scope.leader:
        query = query.where(SupervisionAction.unit_id == current.unit_id)
    if unit_id is not None:
        query = query.where(SupervisionAction.unit_id == unit_id)
    if level is not None:
        query = query.where(SupervisionAction.level == level.value)
    if unanswered is True:
        query = query.where(SupervisionAction.response_due_date.isnot(None), SupervisionAction.responded_at.is_(None))
    elif unanswered is False:
        query = query.where(SupervisionAction.responded_at.isnot(None))
    after = decode_cursor(cursor, 1)
    if after:
        query = query.where(SupervisionAction.id < int(after[0]))
    rows = list(session.execute(query.order_by(SupervisionAction.id.desc()).limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return [present(a, current) for a in rows], encode_cursor([rows[-1].id]) if more else None
