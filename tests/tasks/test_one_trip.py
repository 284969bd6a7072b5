"""The most requested reads read the caller, do their work and commit in one trip to the
thread pool (security.in_one_trip), and refuse exactly as every other route does."""

import anyio.to_thread
import pytest
from sqlalchemy import func, select

from luoshi.audit.models import AuditEntry
from luoshi.auth.models import AuthSession
from luoshi.db import utcnow
from luoshi.users.models import User
from tests.conftest import token_for
from tests.tasks.conftest import TASKS

HOT = {
    "list": lambda root: (TASKS, {"limit": 50}),
    "detail": lambda root: (f"{TASKS}/{root}", None),
    "tree": lambda root: (f"{TASKS}/{root}/tree", None),
    "todo": lambda root: ("/api/v1/todo", None),
    "me": lambda root: ("/api/v1/auth/me", None),
    "unread count": lambda root: ("/api/v1/notifications/unread-count", None),
    "dashboard": lambda root: ("/api/v1/dashboard", None),
}


@pytest.fixture
def root(act_as, make_task) -> int:
    task = make_task(lead="WH-FGW", coop=["WH-ZJJ"], days=30)
    act_as("supervisor").act(task["id"], "issue")
    return task["id"]


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
@pytest.mark.parametrize("name", HOT)
def test_a_hot_read_refuses_a_token_whose_session_or_account_ended(client, org, root, name, change, code):
    token = token_for(org, "supervisor")
    change(org)
    org.commit()
    path, params = HOT[name](root)
    resp = client.get(path, params=params, headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401
    assert resp.json()["code"] == code


@pytest.mark.parametrize("name", HOT)
def test_a_hot_read_refuses_a_missing_token(client, root, name):
    path, params = HOT[name](root)
    resp = client.get(path, params=params)
    assert resp.status_code == 401


@pytest.mark.parametrize(("path", "username", "permission"), [
    (TASKS, "auditor", "tasks:read"),
    ("/api/v1/dashboard", "fgw_liaison", "dashboards:read"),
])
def test_a_hot_read_refuses_a_caller_without_its_permission_and_records_the_denial(
        client, as_user, org, root, path, username, permission):
    def denials() -> int:
        return org.execute(select(func.count()).select_from(AuditEntry)
                           .where(AuditEntry.action == "permission.denied")).scalar_one()

    before = denials()
    resp = client.get(path, headers=as_user(username))
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
