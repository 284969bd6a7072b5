"""Appending to and verifying the hash-chained audit log."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from luoshi.audit.models import AuditChainHead, AuditEntry
from luoshi.db import utcnow

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who did it, for the record: the acting user and, under delegation, the holder."""

    user_id: int | None
    username: str | None
    ip: str | None = None
    on_behalf_of_id: int | None = None


def _entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "on_behalf_of_id": entry.on_behalf_of_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "outcome": entry.outcome,
        "ip": entry.ip,
        "detail": entry.detail,
    }


def record(
    session: Session,
    action: str,
    actor: Actor | None,
    *,
    target_type: str | None = None,
    target_id: Any = None,
    outcome: str = "success",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one entry. The head row is updated first so the lock is taken before reading."""
    session.execute(
        update(AuditChainHead).where(AuditChainHead.id == 1).values(seq=AuditChainHead.seq + 1)
    )
    head = session.execute(
        select(AuditChainHead)
        .where(AuditChainHead.id == 1)
        .execution_options(populate_existing=True)
    ).scalar_one()
    entry = AuditEntry(
        seq=head.seq,
        at=at or utcnow(),
        actor_id=actor.user_id if actor else None,
        actor_username=actor.username if actor else None,
        on_behalf_of_id=actor.on_behalf_of_id if actor else None,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        outcome=outcome,
        ip=actor.ip if actor else None,
        detail=detail or {},
        prev_hash=head.hash,
    )
    entry.hash = _entry_hash(head.hash, _hashed_fields(entry))
    head.hash = entry.hash
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    first_broken_id: int | None = None
    reason: str | None = None


def verify_chain(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain in order; name the first entry whose hash or link does not hold."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        rows = session.execute(
            select(AuditEntry)
            .where(AuditEntry.seq > last_seq)
            .order_by(AuditEntry.seq)
            .limit(batch)
        ).scalars().all()
        if not rows:
            break
        for entry in rows:
            if entry.seq != expected_seq:
                return ChainReport(False, checked, expected_seq, None, "missing entry")
            if entry.prev_hash != prev:
                return ChainReport(False, checked, entry.seq, entry.id, "link does not match")
            if _entry_hash(prev, _hashed_fields(entry)) != entry.hash:
                return ChainReport(False, checked, entry.seq, entry.id, "content was changed")
            prev = entry.hash
            expected_seq += 1
            checked += 1
            last_seq = entry.seq
    head = session.get(AuditChainHead, 1)
    if head is not None and (head.seq != last_seq or head.hash != prev):
        return ChainReport(False, checked, last_seq + 1, None, "entries removed from the end")
    return ChainReport(True, checked)
