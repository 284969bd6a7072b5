"""Delegation (代管): the substitute acts with the holder's rights for the period, and the
records name both."""

from datetime import timedelta

from sqlalchemy import select

from luoshi.audit.models import AuditEntry
from luoshi.clock import utcnow
from luoshi.notifications.service import send
from tests.deadlines.factory import user


def _delegate(client, as_user, holder: str, substitute_id: int, **kw):  # type: ignore[no-untyped-def]
    now = utcnow()
    body = {"substitute_id": substitute_id, "starts_at": (now - timedelta(minutes=1)).isoformat(),
            "ends_at": (now + timedelta(days=3)).isoformat(), "reason": "出差"} | kw
    return client.post("/api/v1/delegations", json=body, headers=as_user(holder))


def test_substitute_acts_for_the_holder_and_records_show_both(client, org, as_user, clock) -> None:
    head = user(org, "zjj_head")
    liaison = user(org, "zjj_liaison")
    note = send(org, [head.id], kind="supervision", title="督办单", requires_receipt=True)[0]
    org.commit()
    acting = {**as_user("zjj_liaison"), "X-Act-For": str(head.id)}
    # No delegation yet: refused, and the refusal is audited.
    assert client.get("/api/v1/notifications", headers=acting).status_code == 403

    made = _delegate(client, as_user, "zjj_head", liaison.id)
    assert made.status_code == 201, made.text
    assert made.json()["active"] and made.json()["holder"]["username"] == "zjj_head"
    # The substitute now sees the holder's inbox and acknowledges the notice for them.
    listed = client.get("/api/v1/notifications", headers=acting).json()["items"]
    assert note.id in [n["id"] for n in listed]
    got = client.post(f"/api/v1/notifications/{note.id}/receipt", headers=acting).json()
    assert got["receipt_at"]
    org.expire_all()
    assert org.get(type(note), note.id).receipt_by_id == liaison.id  # the one who acted
    me = client.get("/api/v1/auth/me", headers=acting).json()
    assert me["username"] == "zjj_head"

    # Revoked: acting stops at once; the audit log names holder and actor.
    delegation_id = made.json()["id"]
    assert client.post(f"/api/v1/delegations/{delegation_id}/revoke",
                       headers=as_user("zjj_head")).json()["revoked_at"]
    assert client.get("/api/v1/notifications", headers=acting).status_code == 403
    denied = org.execute(select(AuditEntry).where(AuditEntry.action == "permission.denied",
                                                  AuditEntry.actor_id == liaison.id)).scalars().all()
    assert len(denied) == 2


def test_a_delegation_runs_out_at_its_end(client, org, as_user, clock) -> None:
    head = user(org, "zjj_head")
    liaison = user(org, "zjj_liaison")
    assert _delegate(client, as_user, "zjj_head", liaison.id).status_code == 201
    acting = {**as_user("zjj_liaison"), "X-Act-For": str(head.id)}
    assert client.get("/api/v1/notifications/unread-count", headers=acting).status_code == 200
    clock.advance(days=4)
    acting = {**as_user("zjj_liaison"), "X-Act-For": str(head.id)}
    assert client.get("/api/v1/notifications/unread-count", headers=acting).status_code == 403


def test_delegation_rules(client, org, as_user) -> None:
    other_unit = user(org, "fgw_liaison")
    assert _delegate(client, as_user, "zjj_head", other_unit.id).status_code == 422
    assert _delegate(client, as_user, "zjj_head", user(org, "zjj_head").id).status_code == 422
    assert _delegate(client, as_user, "zjj_head", user(org, "zjj_liaison").id,
                     ends_at=(utcnow() - timedelta(days=1)).isoformat()).status_code == 422
    assert _delegate(client, as_user, "admin", user(org, "secadmin").id).status_code == 403
    # A leader may name a member of the office.
    assert _delegate(client, as_user, "vicemayor", user(org, "supervisor").id).status_code == 201
    # The delegation is visible to both parties only.
    assert len(client.get("/api/v1/delegations", headers=as_user("supervisor")).json()) == 1
    assert client.get("/api/v1/delegations", headers=as_user("mayor")).json() == []


def test_a_task_signed_by_a_substitute_records_holder_and_actor(client, org, as_user) -> None:
    from luoshi.org.models import Unit
    from luoshi.tasks.models import TaskEvent

    zjj = org.execute(select(Unit.id).where(Unit.code == "WH-ZJJ")).scalar_one()
    sup = as_user("supervisor")
    task = client.post("/api/v1/tasks", json={"title": "城市更新试点", "deadline": (utcnow() + timedelta(days=60))
                                              .date().isoformat(), "lead_unit_id": zjj}, headers=sup).json()
    task = client.post(f"/api/v1/tasks/{task['id']}/transitions", json={"action": "issue", "version": task["version"]},
                       headers=sup).json()
    head, liaison = user(org, "zjj_head"), user(org, "zjj_liaison")
    assert _delegate(client, as_user, "zjj_head", liaison.id).status_code == 201
    signed = client.post(f"/api/v1/tasks/{task['id']}/transitions", json={"action": "sign", "version": task["version"]},
                         headers={**as_user("zjj_liaison"), "X-Act-For": str(head.id)})
    assert signed.status_code == 200, signed.text
    event = org.execute(select(TaskEvent).where(TaskEvent.task_id == task["id"],
                                                TaskEvent.action == "sign")).scalar_one()
    assert (event.actor_id, event.on_behalf_of_id) == (liaison.id, head.id)
    audit = org.execute(select(AuditEntry).where(AuditEntry.action == "task.sign")).scalars().all()
    assert [(a.actor_id, a.on_behalf_of_id) for a in audit] == [(liaison.id, head.id)]


def test_a_substitute_can_follow_the_holders_notifications_live(client, org, as_user, connection) -> None:
    from sqlalchemy.orm import Session

    from luoshi.notifications.stream import stream_sessions

    client.app.dependency_overrides[stream_sessions] = lambda: (
        lambda: Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False))
    head, liaison = user(org, "zjj_head"), user(org, "zjj_liaison")
    made = _delegate(client, as_user, "zjj_head", liaison.id)
    acting = {**as_user("zjj_liaison"), "X-Act-For": str(head.id)}
    token = client.post("/api/v1/notifications/stream-token", headers=acting).json()["token"]
    note = send(org, [head.id], kind="supervision", title="给负责人的督办")[0]
    org.commit()
    with client.stream("GET", f"/api/v1/notifications/stream?max_seconds=0&token={token}",
                       headers={"Last-Event-ID": str(note.id - 1)}) as response:
        body = "".join(response.iter_text())
    assert response.status_code == 200 and "给负责人的督办" in body
    # Once the delegation is revoked the token no longer opens the holder's stream.
    client.post(f"/api/v1/delegations/{made.json()['id']}/revoke", headers=as_user("zjj_head"))
    assert client.get(f"/api/v1/notifications/stream?max_seconds=0&token={token}").status_code == 403
