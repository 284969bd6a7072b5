"""Reading, acknowledging and sending notifications; only ever the caller's own."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from luoshi.clock import utcnow
from luoshi.errors import Conflict, NotFound
from luoshi.notifications import messages  # noqa: F401
from luoshi.notifications.models import Notification
from luoshi.pagination import decode_cursor, encode_cursor


def send(session: Session, recipient_ids: Iterable[int], *, kind: str, title: str, body: str = "",
         task_id: int | None = None, link: str | None = None, urgent: bool = False,
         requires_receipt: bool = False, data: dict[str, Any] | None = None) -> list[Notification]:
    now = utcnow()
    rows = [Notification(recipient_id=r, kind=kind, title=title[:200], body=body, task_id=task_id,
                         link=link or (f"/tasks/{task_id}" if task_id else None), urgent=urgent,
                         requires_receipt=requires_receipt, data=data or {}, created_at=now)
            for r in sorted(set(recipient_ids))]
    session.add_all(rows)
    session.flush()
    return rows


def list_mine(session: Session, user_id: int, *, unread: bool | None, kind: str | None,
              cursor: str | None, limit: int) -> tuple[list[Notification], str | None]:
    query = select(Notification).where(Notification.recipient_id == user_id)
    if unread is True:
        query = query.where(Notification.read_at.is_(None))
    elif unread is False:
        query = query.where(Notification.read_at.isnot(None))
    if kind:
        query = query.where(Notification.kind == kind)
    after = decode_cursor(cursor, 1)
    if after:
        query = query.where(Notification.id < int(after[0]))
    rows = list(session.execute(query.order_by(Notification.id.desc()).limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    mark_delivered(session, [r for r in rows if r.delivered_at is None])
    return rows, encode_cursor([rows[-1].id]) if more else None


def mark_delivered(session: Session, rows: list[Notification]) -> None:
    if not rows:
        return
    now = utcnow()
    session.execute(update(Notification).where(
        Notification.id.in_([r.id for r in rows]), Notification.delivered_at.is_(None))
        .values(delivered_at=now).execution_options(synchronize_session=False))
    for r in rows:
        r.delivered_at = now


def get_mine(session: Session, user_id: int, notification_id: int) -> Notification:
    """Someone else's notification is answered exactly like one that does not exist."""
    row = session.execute(select(Notification).where(
        Notification.id == notification_id, Notification.recipient_id == user_id)).scalar_one_or_none()
    if row is None:
        raise NotFound("notifications.not_found")
    return row


def read(session: Session, user_id: int, notification_id: int) -> Notification:
    row = get_mine(session, user_id, notification_id)
    now = utcnow()
    row.delivered_at = row.delivered_at or now
    row.read_at = row.read_at or now
    session.flush()
    return row


def read_all(session: Session, user_id: int) -> int:
    now = utcnow()
    result = session.execute(update(Notification).where(
        Notification.recipient_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now, delivered_at=func.coalesce(Notification.delivered_at, now))
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def receipt(session: Session, user_id: int, actor_id: int, notification_id: int) -> Notification:
    """签收回执 for a formal notice; also reads it. The supervision action records the receipt."""
    row = get_mine(session, user_id, notification_id)
    if not row.requires_receipt:
        raise Conflict("notifications.no_receipt_needed")
    now = utcnow()
    if row.receipt_at is None:
        row.receipt_at = now
        row.receipt_by_id = actor_id
        action_id = (row.data or {}).get("supervision_action_id")
        if action_id:
            from luoshi.supervision.models import SupervisionAction

            session.execute(update(SupervisionAction).where(
                SupervisionAction.id == int(action_id), SupervisionAction.receipt_at.is_(None))
                .values(receipt_at=now))
    row.delivered_at = row.delivered_at or now
    row.read_at = row.read_at or now
    session.flush()
    return row


def unread_count(session: Session, user_id: int) -> dict[str, int]:
    unread, urgent = session.execute(
        select(func.count(), func.count().filter(Notification.urgent.is_(True)))
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
    ).one()
    return {"unread": unread, "urgent_unread": urgent}
