from typing import Annotated

from fastapi import Depends, Header, Query, Request, Response
from fastapi.responses import StreamingResponse

from luoshi.db import SessionDep
from luoshi.notifications import service
from luoshi.notifications.schemas import NotificationRead, ReceiptIn, StreamToken, UnreadCount
from luoshi.notifications.stream import (
    event_stream,
    issue_stream_token,
    latest_id,
    stream_sessions,
    stream_user,
)
from luoshi.pagination import Page
from luoshi.routing import Router
from luoshi.security import CredentialsDep, CurrentUser, CurrentUserDep, in_one_trip

router = Router(prefix="/api/v1/notifications", tags=["notifications"])


@router.get("", operation_id="notifications-list", response_model=Page[NotificationRead])
def list_notifications(
    session: SessionDep,
    current: CurrentUserDep,
    unread: Annotated[bool | None, Query(description="Only unread (true) or only read (false)")] = None,
    kind: Annotated[str | None, Query(max_length=20, description="Only this kind")] = None,
    cursor: Annotated[str | None, Query(description="From `next_cursor` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """The caller's notifications, newest first; listing records delivery."""
    items, next_cursor = service.list_mine(session, current.id, unread=unread, kind=kind,
                                           cursor=cursor, limit=limit)
    return {"items": items, "next_cursor": next_cursor}


@router.get("/unread-count", operation_id="notifications-unread-count", response_model=UnreadCount)
async def unread_count(session: SessionDep, credentials: CredentialsDep) -> Response:
    """How many of the caller's notifications are unread."""
    return await in_one_trip(session, credentials, lambda s, current: service.unread_count(s, current.id))


@router.post("/read-all", operation_id="notifications-read-all", response_model=UnreadCount)
def read_all(session: SessionDep, current: CurrentUserDep):
    """Mark every notification of the caller read."""
    service.read_all(session, current.id)
    return service.unread_count(session, current.id)


@router.post("/stream-token", operation_id="notifications-stream-token", response_model=StreamToken)
def stream_token(current: CurrentUserDep):
    """A short-lived token to open the event stream from EventSource (which sends no headers)."""
    token, expires_in = issue_stream_token(current)
    return {"token": token, "expires_in": expires_in}


@router.get("/stream", operation_id="notifications-stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "`notification` and `unread` events"}})
def stream(
    request: Request,
    session: SessionDep,
    current: Annotated[CurrentUser, Depends(stream_user)],
    factory=Depends(stream_sessions),  # noqa: B008
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
    max_seconds: Annotated[float, Query(ge=0, le=3600, description="Close after this long; "
                                        "EventSource reconnects by itself")] = 300,
):
    """Server-sent events: each new notification of the caller, and the unread count."""
    after = int(last_event_id) if last_event_id and last_event_id.isdigit() else latest_id(session, current.id)
    # The stream outlives the request's transaction: give its connection back to the pool now.
    session.commit()
    session.close()
    return StreamingResponse(
        event_stream(request, factory, current.id, after, max_seconds), media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/{notification_id}", operation_id="notifications-get", response_model=NotificationRead)
def get_notification(notification_id: int, session: SessionDep, current: CurrentUserDep):
    """One of the caller's notifications (404 for anyone else's)."""
    return service.get_mine(session, current.id, notification_id)


@router.post("/{notification_id}/read", operation_id="notifications-read", response_model=NotificationRead)
def read(notification_id: int, session: SessionDep, current: CurrentUserDep):
    """Read receipt."""
    return service.read(session, current.id, notification_id)


@router.post("/{notification_id}/receipt", operation_id="notifications-receipt",
             response_model=NotificationRead)
def receipt(notification_id: int, session: SessionDep, current: CurrentUserDep, body: ReceiptIn | None = None):
    """Acknowledge a formal notice (督办单签收回执)."""
    return service.receipt(session, current.id, current.actor.user_id or current.id, notification_id)
