"""Writing a task's history: one immutable event and one audit entry, in the caller's transaction."""

from typing import Any

from sqlalchemy.orm import Session

from luoshi.audit.service import Actor, record
from luoshi.clock import utcnow
from luoshi.tasks.models import Task, TaskEvent


def record_event(
    session: Session,
    task: Task,
    actor: Actor | None,
    action: str,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
    assignment_id: int | None = None,
    payload: dict[str, Any] | None = None,
    audit_detail: dict[str, Any] | None = None,
) -> TaskEvent:
    event = TaskEvent(
        task_id=task.id, at=utcnow(), actor_id=actor.user_id if actor else None,
        on_behalf_of_id=actor.on_behalf_of_id if actor else None, action=action,
        from_status=from_status, to_status=to_status, reason=reason,
        assignment_id=assignment_id, payload=payload or {},
    )
    session.add(event)
    detail = {"from": from_status, "to": to_status, "reason": reason, **(payload or {}),
              **(audit_detail or {})}
    record(session, f"task.{action}", actor, target_type="task", target_id=task.id,
           detail={k: v for k, v in detail.items() if v is not None})
    return event


def record_cascade(
    session: Session, tasks: list[Task], actor: Actor | None, action: str, from_statuses: list[str],
    to_status: str, reason: str | None, payload: dict[str, Any],
) -> None:
    """Events for the tasks a change cascaded to; the audit entry of the cause lists them."""
    now = utcnow()
    session.add_all([
        TaskEvent(task_id=t.id, at=now, actor_id=actor.user_id if actor else None,
                  on_behalf_of_id=actor.on_behalf_of_id if actor else None, action=action,
                  from_status=before, to_status=to_status, reason=reason, payload=payload)
        for t, before in zip(tasks, from_statuses, strict=True)
    ])
