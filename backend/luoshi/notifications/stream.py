"""Server-sent events: an open page hears about new notifications without polling the API.

EventSource cannot send an Authorization header, so a page first asks for a short-lived
stream token (bound to its session) and opens ``/stream?token=...``; a client that can set
headers may use its bearer token directly.
"""

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated

from anyio import to_thread
from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.auth.models import AuthSession
from luoshi.clock import utcnow
from luoshi.db import SessionDep, connection_slot, get_sessionmaker
from luoshi.errors import Unauthorized
from luoshi.notifications import messages  # noqa: F401
from luoshi.notifications.models import Notification
from luoshi.notifications.schemas import NotificationRead
from luoshi.notifications.service import unread_count
from luoshi.security import CurrentUser, bearer, client_ip, read_credentials, resolve_caller
from luoshi.settings import get_settings
from luoshi.users.models import User

POLL_SECONDS = 2.0
COUNT_EVERY = 8  # polls


def _sign(payload: str) -> str:
    key = hashlib.sha256(b"notification-stream:" + get_settings().secret_key.encode()).digest()
    return base64.urlsafe_b64encode(hmac.new(key, payload.encode(), hashlib.sha256).digest()).decode().rstrip("=")


def issue_stream_token(current: CurrentUser) -> tuple[str, int]:
    """Bound to the caller's session, and under delegation (代管) to the one acting."""
    lifetime = get_settings().stream_token_seconds
    expires = int(utcnow().timestamp()) + lifetime
    actor = current.substitute.id if current.substitute is not None else current.id
    payload = f"{current.id}.{actor}.{current.session_id}.{expires}"
    return f"{payload}.{_sign(payload)}", lifetime


def _user_from_stream_token(request: Request, session: Session, token: str) -> CurrentUser:
    parts = token.split(".")
    if len(parts) != 5 or not all(p for p in parts):
        raise Unauthorized("notifications.stream_token_invalid")
    payload, signature = ".".join(parts[:4]), parts[4]
    if not hmac.compare_digest(_sign(payload), signature):
        raise Unauthorized("notifications.stream_token_invalid")
    try:
        user_id, actor_id, session_id, expires = (int(p) for p in parts[:4])
    except ValueError as exc:
        raise Unauthorized("notifications.stream_token_invalid") from exc
    if expires < utcnow().timestamp():
        raise Unauthorized("notifications.stream_token_invalid")
    row = session.execute(select(User, AuthSession).join(AuthSession, AuthSession.user_id == User.id)
                          .where(User.id == actor_id, AuthSession.id == session_id)).first()
    if row is None or row[1].revoked_at is not None or row[1].expires_at <= utcnow() or not row[0].is_active:
        raise Unauthorized("auth.session_ended")
    current = CurrentUser.of(row[0], session_id, client_ip(request))
    if user_id != actor_id:
        from luoshi.delegation.service import act_for_holder

        current = act_for_holder(session, current, str(user_id))
    return current


def stream_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    token: Annotated[str | None, Query(max_length=200, description="Stream token (EventSource)")] = None,
) -> CurrentUser:
    if credentials is not None:
        return resolve_caller(session, read_credentials(request, credentials))
    if token is None:
        raise Unauthorized()
    return _user_from_stream_token(request, session, token)


def stream_sessions() -> Callable[[], Session]:
    """Each poll gets its own short session: a stream outlives any one transaction."""
    return get_sessionmaker()


def _poll(factory: Callable[[], Session], user_id: int, after: int,
          count: bool) -> tuple[list[dict], dict[str, int] | None]:
    with factory() as session:
        rows = list(session.execute(
            select(Notification).where(Notification.recipient_id == user_id, Notification.id > after)
            .order_by(Notification.id).limit(100)
        ).scalars())
        fresh = [r for r in rows if r.delivered_at is None]
        now = utcnow()
        for r in fresh:
            r.delivered_at = now
        out = [NotificationRead.model_validate(r).model_dump(mode="json") for r in rows]
        counts = unread_count(session, user_id) if count or rows else None
        session.commit()
    return out, counts


def latest_id(session: Session, user_id: int) -> int:
    from sqlalchemy import func

    return session.execute(select(func.coalesce(func.max(Notification.id), 0))
                           .where(Notification.recipient_id == user_id)).scalar_one()


def _frame(event: str, data: dict, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def event_stream(request: Request, factory: Callable[[], Session], user_id: int, after: int,
                       max_seconds: float) -> AsyncIterator[str]:
    """``notification`` events as they arrive, ``unread`` whenever the count changes."""
    stop_at = time.monotonic() + max_seconds
    last_counts: dict[str, int] | None = None
    polls = 0
    yield "retry: 3000\n\n"
    while True:
        # The unread count is re-read when something arrived, and now and then for reads
        # done in another tab; the new-row check itself is one indexed look-up.
        async with connection_slot():
            rows, counts = await to_thread.run_sync(_poll, factory, user_id, after, polls % COUNT_EVERY == 0)
        polls += 1
        for row in rows:
            after = row["id"]
            yield _frame("notification", row, row["id"])
        if counts is not None and counts != last_counts:
            last_counts = counts
            yield _frame("unread", counts)
        if time.monotonic() >= stop_at or await request.is_disconnected():
            return
        yield ": keep-alive\n\n"
        await asyncio.sleep(POLL_SECONDS)
