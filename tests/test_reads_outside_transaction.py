"""On PostgreSQL the hot reads (security.in_one_trip) send no BEGIN and no COMMIT: psycopg sends
each as a round trip of its own (db.read_outside_transaction). Writes keep their transactions.

Runs the real session factory against a database of its own: the other tests' sessions live
inside a rolled-back test transaction, which such a read must (and does) leave alone.
"""

from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import luoshi.db as dbmod
from luoshi.audit.models import AuditEntry
from luoshi.deadlines.calendar import local_today
from luoshi.demo.load import load_org
from luoshi.main import create_app
from luoshi.security import CurrentUser
from luoshi.settings import get_settings
from luoshi.tasks import lifecycle, service
from luoshi.tasks.models import Task, TaskEvent
from luoshi.tasks.schemas import TaskCreate, TransitionRequest
from luoshi.tasks.transitions import Action
from luoshi.users.models import User
from tests.conftest import token_for

TASKS = "/api/v1/tasks"


@pytest.fixture
def pg(pg_database, point_app_at) -> str:
    point_app_at(pg_database)  # set up after the database, so its connections close before the drop
    return pg_database


@pytest.fixture
def task_id(pg) -> int:
    with dbmod.get_sessionmaker().begin() as session:
        load_org(session)
        session.flush()
        sup = CurrentUser.of(session.execute(select(User).where(User.username == "supervisor")).scalar_one())
        lead = session.execute(select(User.unit_id).where(User.username == "fgw_liaison")).scalar_one()
        task = service.create_task(session, sup, TaskCreate(
            title="往返测试事项", lead_unit_id=lead, deadline=local_today().replace(year=local_today().year + 1)))
        lifecycle.transition(session, sup, task.id, TransitionRequest(action=Action.issue), None)
        return task.id


@pytest.fixture
def commands(monkeypatch) -> list[bytes]:
    """Every command psycopg sends outside a query: BEGIN, COMMIT, ROLLBACK."""
    sent: list[bytes] = []
    base = psycopg._connection_base.BaseConnection
    exec_command = base._exec_command

    def counting(self, command, *args, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(bytes(command) if isinstance(command, bytes | bytearray) else command.as_bytes(self))
        return exec_command(self, command, *args, **kwargs)

    monkeypatch.setattr(base, "_exec_command", counting)
    return sent


@pytest.fixture
def headers(pg, task_id) -> dict[str, dict[str, str]]:
    with dbmod.get_sessionmaker()() as session:
        return {name: {"Authorization": f"Bearer {token_for(session, name)}"}
                for name in ("supervisor", "fgw_liaison")}


@pytest.fixture
def client(pg) -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


def test_hot_reads_send_no_begin_or_commit(client, headers, task_id, commands):
    sup, lead = headers["supervisor"], headers["fgw_liaison"]
    reads = [
        ("/api/v1/auth/me", sup, lambda body: body["username"] == "supervisor"),
        (TASKS, sup, lambda body: [t["id"] for t in body["items"]] == [task_id]),
        (f"{TASKS}/{task_id}", lead, lambda body: body["status"] == "assigned" and "sign" in body["allowed_actions"]),
        (f"{TASKS}/{task_id}/tree", sup, lambda body: body["id"] == task_id),
        (f"{TASKS}/{task_id}/events", sup, lambda body: [e["action"] for e in body] == ["create", "issue"]),
        ("/api/v1/todo", lead, lambda body: [g["count"] for g in body["groups"] if g["kind"] == "sign"] == [1]),
        ("/api/v1/notifications/unread-count", lead, lambda body: body["unread"] >= 0),
        ("/api/v1/dashboard", sup, lambda body: "units" in body),
    ]
    for path, who, expected in reads:
        commands.clear()
        resp = client.get(path, headers=who)
        assert resp.status_code == 200, (path, resp.text)
        assert expected(resp.json()), (path, resp.json())
        assert commands == [], path


def test_a_write_keeps_its_transaction_after_reads_on_the_same_connections(client, headers, task_id, commands):
    lead = headers["fgw_liaison"]
    for _ in range(3):  # the pool hands back the connections the reads used
        assert client.get(f"{TASKS}/{task_id}", headers=lead).status_code == 200
    commands.clear()
    resp = client.post(f"{TASKS}/{task_id}/transitions", json={"action": "sign"}, headers=lead)
    assert resp.status_code == 200, resp.text
    # BEGIN names the isolation level the pool restored: the server's default, read at connect.
    assert commands[0].startswith(b"BEGIN") and commands[-1] == b"COMMIT"
    with Session(dbmod.get_engine()) as session:
        assert session.get(Task, task_id).status == "in_progress"  # type: ignore[union-attr]
        actions = session.execute(select(TaskEvent.action).where(TaskEvent.task_id == task_id)
                                  .order_by(TaskEvent.id)).scalars().all()
        assert actions == ["create", "issue", "sign"]
    # A refused write changes nothing: its transaction is rolled back whole.
    resp = client.post(f"{TASKS}/{task_id}/transitions", json={"action": "sign"}, headers=lead)
    assert resp.status_code == 409
    with Session(dbmod.get_engine()) as session:
        assert session.execute(select(func.count()).select_from(TaskEvent)
                               .where(TaskEvent.task_id == task_id)).scalar_one() == 3


def test_a_refused_hot_read_still_records_the_denial_in_a_transaction(client, headers, commands):
    commands.clear()
    resp = client.get("/api/v1/dashboard", headers=headers["fgw_liaison"])
    assert resp.status_code == 403 and resp.json()["code"] == "permission.denied"
    # Nothing for the read; a transaction for the audit entry.
    assert [c.split()[0] for c in commands] == [b"BEGIN", b"COMMIT"]
    with Session(dbmod.get_engine()) as session:
        entry = session.execute(select(AuditEntry).where(AuditEntry.action == "permission.denied")).scalar_one()
        assert entry.detail == {"permission": "dashboards:read"}


def test_connections_go_back_to_the_pool_with_transactions(client, headers, task_id):
    pool_size = get_settings().db_pool_size
    for _ in range(pool_size):
        assert client.get(f"{TASKS}/{task_id}/tree", headers=headers["supervisor"]).status_code == 200
    engine = dbmod.get_engine()
    held = [engine.raw_connection() for _ in range(engine.pool.checkedin())]
    try:
        assert held and all(isinstance(c.dbapi_connection, psycopg.Connection) for c in held)
        assert not any(c.dbapi_connection.autocommit for c in held)
    finally:
        for c in held:
            c.close()
