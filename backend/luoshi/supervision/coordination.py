"""Coordination requests (协调申请, seed 001): the lead unit asks the office for help after it
has consulted its cooperating units (no escalation without prior consultation); the office
gives its opinion or passes it, with a proposal, to the leader, whose decision becomes an
instruction the lead unit must act on."""

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.errors import AppError, Conflict, Unprocessable
from luoshi.notifications.models import NotificationKind
from luoshi.notifications.service import send
from luoshi.permissions import Permission, Role
from luoshi.security import CurrentUser, denied
from luoshi.supervision import instructions
from luoshi.supervision.common import asked, closed, not_found, require_under_way, unit_people, visible
from luoshi.supervision.models import CoordinationRequest, CoordinationStatus
from luoshi.supervision.schemas import (
    CoordinationCreate,
    CoordinationDecision,
    CoordinationOpinion,
    CoordinationRead,
)
from luoshi.tasks.events import record_event
from luoshi.tasks.models import Capacity, Task
from luoshi.tasks.scope import task_scope
from luoshi.tasks.transitions import Party, Refusal, Request
from luoshi.users.models import User

STATUS_NAMES = {"submitted": "已提交", "answered": "已出具协调意见", "referred": "已呈报领导", "decided": "领导已批示"}
MIN_CONSULTATION = 10


def _no_consultation(field: str, zh: str, en: str) -> Unprocessable:
    return Unprocessable("coordination.no_prior_consultation",
                         errors=[{"field": field, "message": {"zh": zh, "en": en}}])  # type: ignore[dict-item]


def _state(row: CoordinationRequest, allowed: CoordinationStatus) -> Conflict | None:
    if row.status != allowed:
        return Conflict("coordination.invalid_state", params={"status": STATUS_NAMES.get(row.status, row.status)})
    return None


def _opinion_refusal(row: CoordinationRequest, task: Task, parties: frozenset[Party],
                     current: CurrentUser) -> AppError | None:
    """The office answers a submitted request or passes it to a leader."""
    if Party.supervisor not in parties or not current.can(Permission.supervision_act):
        return denied(current, Permission.supervision_act.value, "coordination")
    return _state(row, CoordinationStatus.submitted)


def _decide_refusal(row: CoordinationRequest, task: Task, parties: frozenset[Party],
                    current: CurrentUser) -> AppError | None:
    """The leader it was passed to decides, while the task is under way (the decision is an
    instruction to the lead unit)."""
    if row.leader_id != current.id or not current.can(Permission.instructions_issue):
        return denied(current, Permission.instructions_issue.value, "coordination")
    return _state(row, CoordinationStatus.referred) or closed(task)


# What can be done to a coordination request, and why not (403, 409) or None: the endpoints raise
# the refusal, ``allowed_actions`` lists the actions that have none.
RULES: dict[str, Callable[[CoordinationRequest, Task, frozenset[Party], CurrentUser], AppError | None]] = {
    "opinion": _opinion_refusal,
    "decide": _decide_refusal,
}


def present(row: CoordinationRequest, task: Task, parties: frozenset[Party], current: CurrentUser) -> CoordinationRead:
    read = CoordinationRead.model_validate(row)
    read.allowed_actions = [a for a, rule in RULES.items() if rule(row, task, parties, current) is None]
    return read


def create(session: Session, current: CurrentUser, task_id: int, data: CoordinationCreate) -> CoordinationRead:
    task, refusal = asked(session, current, task_id, Request.coordinate)
    if refusal == Refusal.forbidden:
        err = denied(current, "coordination:create", "task")
        err.code = "coordination.lead_only"
        raise err
    require_under_way(refusal)
    cooperating = {a.unit_id for a in task.assignments if a.capacity == Capacity.cooperating}
    if len(data.consultation.strip()) < MIN_CONSULTATION:
        raise _no_consultation("consultation", f"请说明与配合单位的会商情况（不少于{MIN_CONSULTATION}字）",
                               f"describe the prior consultation (at least {MIN_CONSULTATION} characters)")
    consulted = set(data.consulted_unit_ids)
    if consulted - cooperating:
        raise _no_consultation("consulted_unit_ids", "所列单位不是本事项的配合单位",
                               "only cooperating units of this task can be listed")
    if cooperating and not consulted:
        raise _no_consultation("consulted_unit_ids", "请列明已会商的配合单位",
                               "name the cooperating units consulted")
    actor = current.actor
    row = CoordinationRequest(task_id=task.id, unit_id=current.unit_id, subject=data.subject,
                              content=data.content, consultation=data.consultation.strip(),
                              consulted_unit_ids=sorted(consulted), created_by_id=actor.user_id,
                              on_behalf_of_id=actor.on_behalf_of_id, created_at=utcnow())
    session.add(row)
    session.flush()
    send(session, unit_people(session, [task.issuer_unit_id], Role.supervisor),
         kind=NotificationKind.coordination, title=f"【协调申请】{data.subject}",
         body=data.content[:500], task_id=task.id, data={"coordination_id": row.id})
    record_event(session, task, actor, "coordination_requested", payload={"coordination_id": row.id})
    session.flush()
    return present(row, task, task_scope(session, current).parties(task), current)


def _load(session: Session, current: CurrentUser, request_id: int,
          action: str) -> tuple[CoordinationRequest, Task, frozenset[Party]]:
    """The request under a task the caller sees (404 otherwise), once ``action`` is allowed on it."""
    row = session.get(CoordinationRequest, request_id)
    if row is None:
        raise not_found("coordination.not_found")
    task, parties = visible(session, current, row.task_id)
    refusal = RULES[action](row, task, parties, current)
    if refusal is not None:
        raise refusal
    return row, task, parties


def give_opinion(session: Session, current: CurrentUser, request_id: int,
                 data: CoordinationOpinion) -> CoordinationRead:
    row, task, parties = _load(session, current, request_id, "opinion")
    actor = current.actor
    row.opinion, row.opinion_by_id, row.opinion_at = data.opinion, actor.user_id, utcnow()
    if data.decision == "answer":
        row.status = CoordinationStatus.answered
        send(session, unit_people(session, [row.unit_id], Role.unit_staff, Role.unit_head),
             kind=NotificationKind.coordination, title=f"【协调意见】{row.subject}", body=data.opinion[:500],
             task_id=task.id, data={"coordination_id": row.id})
    else:
        leader_id = data.leader_id or task.leader_id
        leader = session.get(User, leader_id) if leader_id else None
        if leader is None or Role.leader not in leader.roles:
            raise Unprocessable(errors=[{"field": "leader_id", "message": {  # type: ignore[dict-item]
                "zh": "请指定呈报的领导", "en": "name the leader to pass it to"}}])
        row.status, row.leader_id = CoordinationStatus.referred, leader.id
        send(session, [leader.id], kind=NotificationKind.coordination, urgent=True,
             title=f"【呈报协调事项】{row.subject}", body=f"督查室建议：{data.opinion[:500]}",
             task_id=task.id, data={"coordination_id": row.id})
    record_event(session, task, actor, f"coordination_{row.status}", payload={"coordination_id": row.id})
    session.flush()
    return present(row, task, parties, current)


def decide(session: Session, current: CurrentUser, request_id: int, data: CoordinationDecision) -> CoordinationRead:
    row, task, parties = _load(session, current, request_id, "decide")
    row.status, row.leader_decision, row.decided_at = CoordinationStatus.decided, data.decision, utcnow()
    instructions.issue(session, current, task, data.decision, data.answer_due_date, coordination_id=row.id)
    return present(row, task, parties, current)


def list_for_task(session: Session, current: CurrentUser, task_id: int) -> list[CoordinationRead]:
    task, parties = visible(session, current, task_id)
    rows = session.execute(select(CoordinationRequest).where(CoordinationRequest.task_id == task.id)
                           .order_by(CoordinationRequest.id))
    return [present(row, task, parties, current) for row in rows.scalars()]
