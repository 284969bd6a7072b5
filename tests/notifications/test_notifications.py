"""Notifications: each visible to its recipient only, read receipts, formal-notice receipts,
unread urgent notices passed on once, and the live stream."""

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi.notifications.jobs import escalate_unread
from luoshi.notifications.models import Notification
from luoshi.notifications.service import send
from luoshi.notifications.stream import stream_sessions
from tests.deadlines.factory import user


def _send(db: Session, username: str, **kw) -> Notification:  # type: ignore[no-untyped-def]
    kw.setdefault("kind", "supervision")
    kw.setdefault("title", "请按时回告")
    row = send(db, [user(db, username).id], **kw)[0]
    db.commit()
    return row


def test_a_notification_is_visible_to_its_recipient_only(client, org, as_user) -> None:
    mine = _send(org, "zjj_liaison")
    other = as_user("fgw_liaison")
    for path in (f"/api/v1/notifications/{mine.id}",):
        assert client.get(path, headers=other).status_code == 404
    for path in (f"/api/v1/notifications/{mine.id}/read", f"/api/v1/notifications/{mine.id}/receipt"):
        assert client.post(path, headers=other).status_code == 404
    assert client.get("/api/v1/notifications", headers=other).json()["items"] == []
    assert client.get("/api/v1/notifications/unread-count", headers=other).json()["unread"] == 0
    # The supervisor who sent it cannot read the unit's inbox either.
    assert client.get(f"/api/v1/notifications/{mine.id}", headers=as_user("supervisor")).status_code == 404

    me = as_user("zjj_liaison")
    listed = client.get("/api/v1/notifications", headers=me).json()["items"]
    assert [n["id"] for n in listed] == [mine.id]
    assert listed[0]["delivered_at"] is not None and listed[0]["read_at"] is None  # 已送达, 未读
    assert client.get("/api/v1/notifications/unread-count", headers=me).json() == {"unread": 1, "urgent_unread": 0}
    read = client.post(f"/api/v1/notifications/{mine.id}/read", headers=me).json()
    assert read["read_at"] and read["delivered_at"]
    assert client.get("/api/v1/notifications/unread-count", headers=me).json()["unread"] == 0


def test_a_formal_notice_needs_a_receipt(client, org, as_user) -> None:
    notice = _send(org, "zjj_liaison", requires_receipt=True, urgent=True)
    plain = _send(org, "zjj_liaison")
    me = as_user("zjj_liaison")
    assert client.post(f"/api/v1/notifications/{plain.id}/receipt", headers=me).status_code == 409
    got = client.post(f"/api/v1/notifications/{notice.id}/receipt", headers=me).json()
    assert got["receipt_at"] and got["read_at"]


def test_unread_urgent_notice_goes_to_the_unit_head_once_then_the_leader(org, clock) -> None:
    db = org
    from datetime import date

    from tests.deadlines.factory import issued_task

    task = issued_task(db, deadline=date(2026, 12, 31))
    urgent = send(db, [user(db, "zjj_liaison").id], kind="overdue", title="逾期", urgent=True,
                  task_id=task.id)[0]
    send(db, [user(db, "zjj_liaison").id], kind="due_soon", title="临期")  # not urgent: stays
    db.flush()
    assert escalate_unread(db) == {"escalated": 0}
    clock.advance(minutes=121)
    assert escalate_unread(db)["escalated"] == 1
    assert escalate_unread(db) == {"escalated": 0}
    heads = db.execute(select(Notification).where(
        Notification.recipient_id == user(db, "zjj_head").id)).scalars().all()
    assert [(n.kind, n.escalated_from_id) for n in heads] == [("escalated", urgent.id)]
    # The head leaves it unread too: it reaches the leader in charge, once.
    clock.advance(minutes=121)
    escalate_unread(db)
    escalate_unread(db)
    to_leader = db.execute(select(Notification).where(
        Notification.recipient_id == user(db, "vicemayor").id)).scalars().all()
    assert len(to_leader) == 1


@pytest.fixture
def stream_app(app, connection):  # type: ignore[no-untyped-def]
    def _factory() -> Iterator:
        return lambda: Session(bind=connection, join_transaction_mode="create_savepoint",
                               expire_on_commit=False)

    app.dependency_overrides[stream_sessions] = _factory
    return app


def _events(text: str) -> list[tuple[str, str]]:
    out = []
    for block in text.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "event" in lines:
            out.append((lines["event"], lines["data"]))
    return out


def test_the_stream_sends_new_notifications_to_their_recipient(stream_app, client, org, as_user) -> None:
    first = _send(org, "zjj_liaison", title="第一条")
    headers = as_user("zjj_liaison")
    # Resuming after event `first`: only what came later, then the unread count.
    second = _send(org, "zjj_liaison", title="第二条")
    _send(org, "fgw_liaison", title="别人的")
    with client.stream("GET", "/api/v1/notifications/stream?max_seconds=0",
                       headers={**headers, "Last-Event-ID": str(first.id)}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        body = "".join(response.iter_text())
    events = _events(body)
    assert [e for e, _ in events] == ["notification", "unread"]
    assert f'"id": {second.id}' in events[0][1] and "别人的" not in body
    assert '"unread": 2' in events[1][1]


def test_the_stream_accepts_a_short_lived_token_for_eventsource(stream_app, client, org, as_user, clock) -> None:
    token = client.post("/api/v1/notifications/stream-token", headers=as_user("zjj_liaison")).json()["token"]
    with client.stream("GET", f"/api/v1/notifications/stream?max_seconds=0&token={token}") as response:
        assert response.status_code == 200
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/api/v1/notifications/stream?max_seconds=0&token={forged}").status_code == 401
    clock.advance(seconds=120)
    assert client.get(f"/api/v1/notifications/stream?max_seconds=0&token={token}").status_code == 401
    assert client.get("/api/v1/notifications/stream?max_seconds=0").status_code == 401
