"""SQL for the audit log."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.audit.models import AuditEntry


def page(
    session: Session, *, action: str | None, actor_id: int | None, outcome: str | None,
    since: datetime | None, until: datetime | None, before_seq: int | None, limit: int,
) -> Sequence[AuditEntry]:
    """Newest first, keyset-paginated on the chain position."""
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    if outcome:
        query = query.where(AuditEntry.outcome == outcome)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    if before_seq is not None:
        query = query.where(AuditEntry.seq < before_seq)
    return session.execute(query).scalars().all()
