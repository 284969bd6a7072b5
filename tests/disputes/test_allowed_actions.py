"""A dispute's ``allowed_actions`` against its decision endpoint, for the office, the disputing lead
unit, a cooperating unit and a leader: what is listed is accepted, what is not is refused (403 or
409)."""

import pytest

from luoshi.tasks.models import AssignmentState, Task, TaskStatus
from tests.listed import try_each
from tests.reports.factory import make_task, unit

CALLERS = ("supervisor", "zjj_liaison", "swj_liaison", "mayor")


@pytest.fixture
def disputed(client, org, as_user, clock):
    """市住建局 says the office's task is not its business, before signing."""
    task = make_task(org, status=TaskStatus.assigned, cooperating=("WH-SWJ",),
                     cooperating_state=AssignmentState.assigned)
    raised = client.post(f"/api/v1/tasks/{task.id}/disputes", json={"reason": "该事项属市发改委职责"},
                         headers=as_user("zjj_liaison"))
    assert raised.status_code == 201, raised.text
    assert raised.json()["allowed_actions"] == []
    return task, raised.json()["id"]


def _check(client, org, as_user, connection, task_id: int, dispute_id: int,
           callers: tuple[str, ...] = CALLERS) -> dict[str, list[str]]:
    bodies = {"reassign": {"decision": "reassign", "new_lead_unit_id": unit(org, "WH-FGW").id},
              "reject": {"decision": "reject", "reason": "属本单位职责，请签收"}}
    listed = {}
    for username in callers:
        rows = client.get(f"/api/v1/tasks/{task_id}/disputes", headers=as_user(username))
        assert rows.status_code == 200, (username, rows.text)
        listed[username] = next(r for r in rows.json() if r["id"] == dispute_id)["allowed_actions"]
        try_each(connection, listed[username], bodies, lambda d, u=username: client.post(
            f"/api/v1/disputes/{dispute_id}/decision", json=bodies[d], headers=as_user(u)), who=username)
    return listed


@pytest.mark.parametrize(("status", "office"), [
    (TaskStatus.assigned, ["reassign", "reject"]),
    # Reassigning is for a task still waiting to be signed for; the dispute can still be rejected.
    (TaskStatus.suspended, ["reject"]),
    (TaskStatus.cancelled, ["reject"]),
])
def test_the_office_decides_what_it_is_offered(status, office, client, org, as_user, connection, disputed):
    task, did = disputed
    org.expire_all()
    org.get(Task, task.id).status = status
    org.commit()
    assert _check(client, org, as_user, connection, task.id, did) == {
        "supervisor": office, "zjj_liaison": [], "swj_liaison": [], "mayor": []}


def test_nothing_is_offered_once_decided(client, org, as_user, connection, disputed):
    task, did = disputed
    done = client.post(f"/api/v1/disputes/{did}/decision", json={"decision": "reject", "reason": "请签收"},
                       headers=as_user("supervisor"))
    assert done.status_code == 200 and done.json()["allowed_actions"] == []
    assert _check(client, org, as_user, connection, task.id, did) == {u: [] for u in CALLERS}


def test_a_superseded_dispute_can_no_longer_be_rejected(client, org, as_user, connection, disputed):
    """The office gave the task to another lead unit by editing it: the disputing unit's row is
    gone, so there is nothing to send back to signing; reassigning again is still possible."""
    task, did = disputed
    current = client.get(f"/api/v1/tasks/{task.id}", headers=as_user("supervisor")).json()
    moved = client.patch(f"/api/v1/tasks/{task.id}", json={"lead_unit_id": unit(org, "WH-ZWJ").id},
                         headers={**as_user("supervisor"), "If-Match": str(current["version"])})
    assert moved.status_code == 200, moved.text
    # The old lead unit no longer sees the task; the new one has nothing to decide.
    assert _check(client, org, as_user, connection, task.id, did, ("supervisor", "zwj_liaison", "mayor")) == {
        "supervisor": ["reassign"], "zwj_liaison": [], "mayor": []}
