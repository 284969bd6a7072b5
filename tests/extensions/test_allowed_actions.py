"""An extension request's ``allowed_actions`` against its decision endpoint, for the office, the lead
and a cooperating unit, the leader in charge and a leader with nothing to do with the task, in the
task's statuses: what is listed is accepted, what is not is refused (403 or 409)."""

from datetime import timedelta

import pytest

from luoshi.deadlines.calendar import local_today
from luoshi.settings import get_settings
from luoshi.tasks.models import Task, TaskStatus
from tests.listed import try_each
from tests.reports.factory import make_task

CALLERS = ("supervisor", "zjj_liaison", "swj_liaison", "vicemayor", "mayor")
DECISIONS = {"approve": {"decision": "approve"}, "reject": {"decision": "reject", "reason": "理由不充分"}}


@pytest.fixture
def pending(client, org, as_user, clock):
    """A pending request from the lead unit (市住建局) on an office task led by 副市长."""
    task = make_task(org, deadline=local_today() + timedelta(days=10))
    asked = client.post(f"/api/v1/tasks/{task.id}/extension-requests", headers=as_user("zjj_liaison"), json={
        "requested_deadline_date": str(local_today() + timedelta(days=30)), "reason": "需等待省级批复"})
    assert asked.status_code == 201, asked.text
    return task, asked.json()["id"]


def _listed(client, as_user, task_id: int, request_id: int) -> dict[str, list[str]]:
    out = {}
    for username in CALLERS:
        rows = client.get(f"/api/v1/tasks/{task_id}/extension-requests", headers=as_user(username))
        assert rows.status_code == 200, (username, rows.text)
        out[username] = next(r for r in rows.json() if r["id"] == request_id)["allowed_actions"]
    return out


def _check(client, as_user, connection, task_id: int, request_id: int) -> dict[str, list[str]]:
    listed = _listed(client, as_user, task_id, request_id)
    for username, actions in listed.items():
        try_each(connection, actions, DECISIONS, lambda d, u=username: client.post(
            f"/api/v1/extension-requests/{request_id}/decision", json=DECISIONS[d], headers=as_user(u)),
            who=username)
    return listed


@pytest.mark.parametrize(("status", "office"), [
    (TaskStatus.in_progress, ["approve", "reject"]),
    (TaskStatus.assigned, ["approve", "reject"]),
    # The deadline no longer matters once the task is submitted or closed, but the request is
    # still answered, so the office can clear it.
    (TaskStatus.pending_review, ["reject"]),
    (TaskStatus.suspended, ["reject"]),
    (TaskStatus.completed, ["reject"]),
    (TaskStatus.cancelled, ["reject"]),
])
def test_the_office_decides_what_it_is_offered(status, office, client, org, as_user, connection, pending):
    task, rid = pending
    org.get(Task, task.id).status = status
    org.commit()
    listed = _check(client, as_user, connection, task.id, rid)
    assert listed == {"supervisor": office, "zjj_liaison": [], "swj_liaison": [], "vicemayor": [], "mayor": []}


def test_nothing_is_offered_once_decided(client, as_user, connection, pending):
    task, rid = pending
    decided = client.post(f"/api/v1/extension-requests/{rid}/decision", json=DECISIONS["approve"],
                          headers=as_user("supervisor"))
    assert decided.status_code == 200 and decided.json()["allowed_actions"] == []
    assert _check(client, as_user, connection, task.id, rid) == {u: [] for u in CALLERS}


def test_the_leader_in_charge_decides_when_the_setting_says_so(client, as_user, connection, pending):
    task, rid = pending
    settings = get_settings()
    settings.extension_decided_by = "leader"
    try:
        listed = _check(client, as_user, connection, task.id, rid)
    finally:
        settings.extension_decided_by = "supervisor"
    assert listed == {"supervisor": [], "zjj_liaison": [], "swj_liaison": [],
                      "vicemayor": ["approve", "reject"], "mayor": []}


def test_the_lead_unit_sees_its_new_request_without_actions(client, as_user, org, clock):
    task = make_task(org, deadline=local_today() + timedelta(days=10))
    asked = client.post(f"/api/v1/tasks/{task.id}/extension-requests", headers=as_user("zjj_liaison"), json={
        "requested_deadline_date": str(local_today() + timedelta(days=30)), "reason": "需等待省级批复"})
    assert asked.json()["allowed_actions"] == []
