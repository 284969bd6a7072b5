"""The most requested reads, and the other reads of the task page, read the caller, do their
work and commit in one trip to the thread pool (security.in_one_trip), and refuse exactly as
every other route does."""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.orm import Session

from luoshi.audit.models import AuditEntry
from luoshi.auth.models import AuthSession
from luoshi.db import utcnow
from luoshi.org.models import Unit
from luoshi.settings import get_settings
from luoshi.tasks import ledger
from luoshi.users.models import User
from tests.attachments import samples
from tests.conftest import app_on, token_for
from tests.tasks.conftest import TASKS, Caller, in_days, task_body

HOT = {
    "list": lambda root: (TASKS, {"limit": 50}),
    "detail": lambda root: (f"{TASKS}/{root}", None),
    "tree": lambda root: (f"{TASKS}/{root}/tree", None),
    "todo": lambda root: ("/api/v1/todo", None),
    "me": lambda root: ("/api/v1/auth/me", None),
    "unread count": lambda root: ("/api/v1/notifications/unread-count", None),
    "dashboard": lambda root: ("/api/v1/dashboard", None),
}

Seed = Callable[[Callable[[str], Any], dict[str, int], int], None]


def _nothing(act_as, units, task_id) -> None:  # type: ignore[no-untyped-def]
    """The issued task already has its history, its sign-for obligations and its parts."""


def _seed(path: str, body: Callable[[dict[str, int]], dict[str, Any]], by: str = "fgw_liaison",
          sign: bool = True) -> Seed:
    """Post one record under the task (the lead unit signs for it first, when asked to); the
    body is built from the unit ids by code."""

    def seed(act_as, units, task_id) -> None:  # type: ignore[no-untyped-def]
        if sign:
            act_as("fgw_liaison").act(task_id, "sign")
        made = act_as(by).post(f"{TASKS}/{task_id}/{path}", body(units))
        assert made.status_code == 201, made.text

    return seed


def _attach(act_as, units, task_id) -> None:  # type: ignore[no-untyped-def]
    lead = act_as("fgw_liaison")
    made = lead.client.post(f"{TASKS}/{task_id}/attachments", files={"file": ("方案.pdf", samples.PDF)},
                            headers=lead.headers)
    assert made.status_code == 201, made.text


# The task page's other reads, each asked by the lead unit's liaison (fgw_liaison): what puts a
# record there, and what the answer must then show (built inside the trip, nothing left to load).
SIDE: dict[str, tuple[Seed, Callable[[Any], bool]]] = {
    "events": (_nothing, lambda body: [e["action"] for e in body] == ["create", "issue"]),
    "obligations": (_nothing, lambda body: sorted((o["kind"], o["unit_name"]) for o in body) == [
        ("complete", "市住建局"), ("complete", "市发改委"), ("sign", "市住建局"), ("sign", "市发改委")]),
    "extension-requests": (
        _seed("extension-requests", lambda _: {"requested_deadline_date": in_days(40), "reason": "需等待省级批复"}),
        lambda body: [r["status"] for r in body] == ["pending"]),
    "disputes": (_seed("disputes", lambda _: {"reason": "该事项属市住建局职责"}, sign=False),
                 lambda body: [d["status"] for d in body] == ["pending"] and body[0]["allowed_actions"] == []),
    "attachments": (_attach, lambda body: [a["filename"] for a in body] == ["方案.pdf"]),
    "reports": (_seed("reports", lambda _: {"progress_text": "已完成方案起草"}),
                lambda body: [r["progress_text"] for r in body["items"]] == ["已完成方案起草"]
                and body["items"][0]["unit"]["short_name"] == "市发改委"
                and body["items"][0]["created_by"]["display_name"] and body["next_cursor"] is None),
    "reports/consolidation": (_nothing, lambda body: [s["unit"]["short_name"] for s in body["sources"]]
                              == ["市住建局"] and body["missing_unit_ids"] == [body["sources"][0]["unit"]["id"]]),
    "supervision-actions": (_seed("supervision-actions", lambda u: {"unit_id": u["WH-FGW"], "level": "urge",
                                                                    "content": "请加快"}, by="supervisor", sign=False),
                            lambda body: [(a["level"], a["allowed_actions"]) for a in body] == [("urge", [])]),
    "coordination-requests": (
        _seed("coordination-requests", lambda u: {"subject": "数据共享接口", "content": "需市住建局开放项目数据接口",
                                                  "consultation": "已于9月20日召开会商会，双方同意共享方案",
                                                  "consulted_unit_ids": [u["WH-ZJJ"]]}),
        lambda body: [c["subject"] for c in body] == ["数据共享接口"]),
    "instructions": (_seed("instructions", lambda _: {"content": "请抓紧落实"}, by="mayor", sign=False),
                     lambda body: [(i["content"], i["allowed_actions"]) for i in body] == [("请抓紧落实", ["answer"])]),
}


def _under_task(path: str) -> Callable[[int], tuple[str, None]]:
    return lambda root: (f"{TASKS}/{root}/{path}", None)


READS = {**HOT, **{name: _under_task(name) for name in SIDE}}


@pytest.fixture(scope="module")
def _issued(org_engine: Engine) -> Iterator[tuple[Connection, int]]:
    """Once per database for the module: a task led by 市发改委 with 市住建局 cooperating,
    issued, on the demo organisation; rolled back after the module's last test."""
    conn = org_engine.connect()
    outer = conn.begin()
    try:
        with Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False) as db:
            units = {code: uid for uid, code in db.execute(select(Unit.id, Unit.code)).all()}
            with TestClient(app_on(conn)) as client:
                office = Caller(client, {"Authorization": f"Bearer {token_for(db, 'supervisor')}"})
                made = office.post(TASKS, task_body(units, lead="WH-FGW", coop=["WH-ZJJ"], days=30))
                assert made.status_code == 201, made.text
                office.act(made.json()["id"], "issue")
        yield conn, made.json()["id"]
    finally:
        outer.rollback()
        conn.close()


@pytest.fixture
def connection(_issued: tuple[Connection, int]) -> Iterator[Connection]:
    """Each test runs in a savepoint over the module's organisation and task, rolled back after
    it: what a test changes (a session ended, an account disabled, a record posted) is undone
    before the next, as if each had its own setup."""
    conn, _ = _issued
    case = conn.begin_nested()
    yield conn
    case.rollback()


@pytest.fixture
def root(_issued: tuple[Connection, int]) -> int:
    return _issued[1]


@pytest.fixture
def trips(monkeypatch) -> list[str]:
    """The name of every function sent to the thread pool."""
    sent: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def counting(func, *args, **kwargs):  # type: ignore[no-untyped-def]
        target = getattr(func, "func", func)  # starlette sends a functools.partial
        sent.append(getattr(target, "__qualname__", repr(target)))
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    return sent


@pytest.mark.parametrize("name", HOT)
def test_a_hot_read_takes_one_trip_to_the_thread_pool(client, as_user, root, trips, name):
    path, params = HOT[name](root)
    headers = as_user("supervisor")
    trips.clear()
    resp = client.get(path, params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    assert trips == ["in_one_trip.<locals>.serve"]


@pytest.mark.parametrize("name", SIDE)
def test_a_read_of_the_task_page_takes_one_trip_and_answers_in_full(
        client, as_user, act_as, unit_ids, root, trips, attachment_dir, name):
    seed, shows = SIDE[name]
    seed(act_as, unit_ids, root)
    path, params = READS[name](root)
    headers = as_user("fgw_liaison")
    trips.clear()
    resp = client.get(path, params=params, headers=headers)
    assert resp.status_code == 200, resp.text
    assert trips == ["in_one_trip.<locals>.serve"]
    assert shows(resp.json()), resp.json()


@pytest.mark.parametrize("name", SIDE)
def test_a_read_of_the_task_page_out_of_scope_is_not_found(client, as_user, root, trips, name):
    path, params = READS[name](root)
    resp = client.get(path, params=params, headers=as_user("swj_liaison"))
    assert resp.status_code == 404
    assert resp.json()["code"] == "task.not_found"
    assert trips == ["in_one_trip.<locals>.serve", "end_transaction"]  # the refusal is rolled back


def test_an_unchanged_tree_is_answered_in_one_trip(client, as_user, root, trips):
    headers = as_user("supervisor")
    tag = client.get(f"{TASKS}/{root}/tree", headers=headers).headers["etag"]
    trips.clear()
    resp = client.get(f"{TASKS}/{root}/tree", headers={**headers, "If-None-Match": tag})
    assert resp.status_code == 304
    assert len(trips) == 1


def test_a_route_that_reads_the_caller_first_commits_after_its_handler(client, as_user, root, trips):
    """The contrast: a plain ``def`` read takes a trip for the caller, one for its handler, one
    for FastAPI's check of its response and one for the commit."""
    headers = as_user("supervisor")
    trips.clear()
    assert client.get("/api/v1/supervision-actions", headers=headers).status_code == 200
    assert len(trips) == 4
    assert trips[0] == "get_current_user" and trips[-1] == "end_transaction"


def _end_session(org) -> None:
    session = org.execute(select(AuthSession).order_by(AuthSession.id.desc())).scalars().first()
    session.revoked_at = utcnow()


def _disable_account(org) -> None:
    org.execute(select(User).where(User.username == "supervisor")).scalar_one().is_active = False


@pytest.mark.parametrize(("change", "code"), [
    (_end_session, "auth.session_ended"),
    (_disable_account, "auth.account_disabled"),
])
@pytest.mark.parametrize("name", READS)
def test_a_hot_read_refuses_a_token_whose_session_or_account_ended(client, org, root, name, change, code):
    token = token_for(org, "supervisor")
    change(org)
    org.commit()
    path, params = READS[name](root)
    resp = client.get(path, params=params, headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401
    assert resp.json()["code"] == code


@pytest.mark.parametrize("name", READS)
def test_a_hot_read_refuses_a_missing_token(client, root, name):
    path, params = READS[name](root)
    resp = client.get(path, params=params)
    assert resp.status_code == 401


@pytest.mark.parametrize(("path", "username", "permission"), [
    (TASKS, "auditor", "tasks:read"),
    ("/api/v1/dashboard", "fgw_liaison", "dashboards:read"),
    (f"{TASKS}/{{root}}/reports/consolidation", "zjj_liaison", "reports:consolidate"),
])
def test_a_hot_read_refuses_a_caller_without_its_permission_and_records_the_denial(
        client, as_user, org, root, path, username, permission):
    def denials() -> int:
        return org.execute(select(func.count()).select_from(AuditEntry)
                           .where(AuditEntry.action == "permission.denied")).scalar_one()

    before = denials()
    resp = client.get(path.format(root=root), headers=as_user(username))
    assert resp.status_code == 403
    assert resp.json()["code"] == "permission.denied"
    assert denials() == before + 1
    entry = org.execute(select(AuditEntry).where(AuditEntry.action == "permission.denied")
                        .order_by(AuditEntry.id.desc())).scalars().first()
    assert entry.detail == {"permission": permission}


def test_a_hot_read_out_of_scope_is_not_found_and_keeps_the_session_usable(client, as_user, act_as, make_task):
    """A refusal inside the trip leaves the transaction to be rolled back at the request's end."""
    hidden = make_task(lead="WH-ZJJ", days=30)
    act_as("supervisor").act(hidden["id"], "issue")
    headers = as_user("swj_liaison")
    assert client.get(f"{TASKS}/{hidden['id']}", headers=headers).status_code == 404
    assert client.get(f"{TASKS}/{hidden['id']}/tree", headers=headers).status_code == 404
    assert client.get(TASKS, headers=headers).status_code == 200


@pytest.fixture
def one_shared_thread(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The app with a single thread for everything but ``in_one_trip``'s reads (ask for it
    before ``client``: the thread count is set as the app starts)."""
    monkeypatch.setattr(get_settings(), "worker_threads", 1)


def test_hot_reads_answer_while_an_export_holds_every_shared_thread(
        one_shared_thread, client, as_user, root, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The reads run in a lane of their own (``Settings.read_threads``): before it, the to-do
    waited for the export's thread."""
    supervisor, liaison = as_user("supervisor"), as_user("fgw_liaison")
    started, release = threading.Event(), threading.Event()
    real_export = ledger.export

    def slow_export(*args, **kwargs):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(timeout=30)
        return real_export(*args, **kwargs)

    monkeypatch.setattr(ledger, "export", slow_export)
    with ThreadPoolExecutor(max_workers=2) as pool:
        try:
            export = pool.submit(client.get, f"{TASKS}/ledger.xlsx", headers=supervisor)
            assert started.wait(timeout=10), "the export never started"
            # One at a time: the test's requests share one connection, in nested savepoints.
            answered = pool.submit(client.get, "/api/v1/todo", headers=liaison).result(timeout=10)
            assert answered.status_code == 200
            signs = next(g for g in answered.json()["groups"] if g["kind"] == "sign")
            assert [item["task_id"] for item in signs["items"]] == [root]
            listed = pool.submit(client.get, TASKS, params={"limit": 5}, headers=supervisor).result(timeout=10)
            assert listed.status_code == 200 and [t["id"] for t in listed.json()["items"]] == [root]
            assert not export.done()
        finally:
            release.set()
        assert export.result(timeout=30).status_code == 200


def test_a_read_thread_count_out_of_range_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from luoshi.settings import Settings

    monkeypatch.setenv("LUOSHI_READ_THREADS", "0")
    with pytest.raises(ValidationError, match="read_threads"):
        Settings()
