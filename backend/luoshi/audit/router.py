from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import Query

from luoshi.audit import repository
from luoshi.audit.schemas import AuditRead, ChainVerification
from luoshi.audit.service import verify_chain
from luoshi.db import SessionDep
from luoshi.pagination import Page, decode_cursor, encode_cursor
from luoshi.permissions import Permission
from luoshi.routing import Router
from luoshi.security import CurrentUser, require

router = Router(prefix="/api/v1/audit", tags=["audit"])


@router.get("", operation_id="audit-list", response_model=Page[AuditRead])
def list_audit(
    session: SessionDep,
    current: CurrentUser = require(Permission.audit_read),
    action: Annotated[str | None, Query(max_length=64, description="Exact action, e.g. auth.login")] = None,
    actor_id: int | None = None,
    outcome: Annotated[str | None, Query(max_length=16)] = None,
    since: Annotated[datetime | None, Query(description="At or after this instant")] = None,
    until: Annotated[datetime | None, Query(description="Before this instant")] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
):
    """The audit log, newest first (auditor only)."""
    before = decode_cursor(cursor, 1)
    rows = repository.page(
        session, action=action, actor_id=actor_id, outcome=outcome, since=since, until=until,
        before_seq=int(before[0]) if before else None, limit=limit + 1,
    )
    next_cursor = encode_cursor([rows[limit - 1].seq]) if len(rows) > limit else None
    return {"items": rows[:limit], "next_cursor": next_cursor}


@router.get("/verify", operation_id="audit-verify", response_model=ChainVerification)
def verify(session: SessionDep, current: CurrentUser = require(Permission.audit_read)):
    """Recompute the hash chain and name the first entry that does not hold."""
    return asdict(verify_chain(session))
