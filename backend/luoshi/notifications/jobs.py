"""Unread urgent notices move on to the next recipient after the set time (消息必达)."""

from datetime import timedelta

from sqlalchemy import and_, insert, literal, select, update
from sqlalchemy.orm import Session, aliased

from luoshi.clock import utcnow
from luoshi.deadlines.scan import in_ids, new_tick
from luoshi.notifications.models import Notification, NotificationKind
from luoshi.permissions import Role
from luoshi.settings import get_settings
from luoshi.tasks.models import Task
from luoshi.users.models import User, UserRole

N = Notification


def escalate_unread(session: Session) -> dict[str, int]:
    """Claim each overdue unread urgent notice once; copy it to the recipient's unit head, or,
    when the recipient is the head, to the leader in charge of the task."""
    now = utcnow()
    cutoff = now - timedelta(minutes=get_settings().urgent_unread_escalation_minutes)
    tick = new_tick()
    claim = select(N.id).where(N.urgent.is_(True), N.read_at.is_(None), N.escalated_at.is_(None),
                               N.created_at <= cutoff)
    if session.get_bind().dialect.name == "postgresql":
        claim = claim.with_for_update(skip_locked=True)
    claimed = list(session.execute(
        update(N).where(N.id.in_(claim.scalar_subquery())).values(escalated_at=now, tick=tick)
        .returning(N.id).execution_options(synchronize_session=False)
    ).scalars())
    if not claimed:
        return {"escalated": 0}
    recipient = aliased(User)
    head = aliased(User)
    head_role = aliased(UserRole)
    is_head = select(UserRole.id).where(UserRole.user_id == N.recipient_id,
                                        UserRole.role == Role.unit_head.value).exists()
    cols = ["recipient_id", "kind", "title", "body", "task_id", "obligation_id", "link", "data",
            "urgent", "requires_receipt", "created_at", "escalated_from_id"]

    def copy(to):  # type: ignore[no-untyped-def]
        return select(to, literal(NotificationKind.escalated.value), literal("【未读转交】") + N.title,
                      N.body, N.task_id, N.obligation_id, N.link, N.data, literal(True),
                      N.requires_receipt, literal(now, N.created_at.type), N.id)

    sent = 0
    for chosen in in_ids(session, N.id, claimed):
        to_heads = (copy(head.id).select_from(N)
                    .join(recipient, recipient.id == N.recipient_id)
                    .join(head, and_(head.unit_id == recipient.unit_id, head.id != recipient.id,
                                     head.is_active.is_(True)))
                    .join(head_role, and_(head_role.user_id == head.id,
                                          head_role.role == Role.unit_head.value))
                    .where(chosen, ~is_head))
        to_leader = (copy(Task.leader_id).select_from(N).join(Task, Task.id == N.task_id)
                     .where(chosen, is_head, Task.leader_id.isnot(None), Task.leader_id != N.recipient_id))
        for part in (to_heads, to_leader):
            sent += session.execute(insert(N).from_select(cols, part),
                                    execution_options={"preserve_rowcount": True}).rowcount or 0
    return {"escalated": len(claimed), "sent": sent}


NOTIFICATION_JOBS = {"notifications.escalate": escalate_unread}
