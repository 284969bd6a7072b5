"""Disputes: "not ours" before signing; the office reassigns (clock restarts) or rejects."""

import pytest
from sqlalchemy import select

from luoshi.tasks.models import Assignment, AssignmentState, Capacity, Task, TaskEvent, TaskStatus
from tests.reports.factory import assignment, make_task, unit


@pytest.fixture
def task(org, clock):
    return make_task(org, status=TaskStatus.assigned, cooperating=("WH-SWJ",),
                     cooperating_state=AssignmentState.assigned)


def raise_(client, headers, task_id, reason="该事项属市商务局职责", **extra):
    return client.post(f"/api/v1/tasks/{task_id}/disputes", json={"reason": reason, **extra}, headers=headers)


def decide(client, headers, dispute_id, **body):
    return client.post(f"/api/v1/disputes/{dispute_id}/decision", json=body, headers=headers)


def test_reassign_moves_the_lead_and_restarts_the_sign_clock(client, org, as_user, task, clock):
    raised = raise_(client, as_user("zjj_liaison"), task.id, suggested_unit_id=unit(org, "WH-FGW").id)
    assert raised.status_code == 201, raised.text
    assert assignment(org, task, "WH-ZJJ").state == AssignmentState.disputed
    clock.advance(hours=5)
    fgw = unit(org, "WH-FGW").id
    done = decide(client, as_user("supervisor"), raised.json()["id"], decision="reassign", new_lead_unit_id=fgw)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "reassigned" and done.json()["new_lead_unit_id"] == fgw
    org.expire_all()
    moved = org.get(Task, task.id)
    assert moved.lead_unit_id == fgw and moved.status == TaskStatus.assigned
    rows = org.execute(select(Assignment).where(Assignment.task_id == task.id)).scalars().all()
    assert {(r.unit_id, r.capacity, r.state) for r in rows} == {
        (fgw, Capacity.lead, AssignmentState.assigned),
        (unit(org, "WH-SWJ").id, Capacity.cooperating, AssignmentState.assigned),
    }
    assert next(r for r in rows if r.unit_id == fgw).assigned_at == clock.now
    # The old lead unit no longer sees the task; the new one does.
    assert client.get(f"/api/v1/tasks/{task.id}/disputes", headers=as_user("zjj_liaison")).status_code == 404
    assert client.get(f"/api/v1/tasks/{task.id}/disputes", headers=as_user("fgw_liaison")).status_code == 200
    actions = org.execute(select(TaskEvent.action).where(TaskEvent.task_id == task.id)
                          .order_by(TaskEvent.id)).scalars().all()
    assert actions == ["assignment.dispute", "reassign"]
    reassigned = org.execute(select(TaskEvent).where(TaskEvent.action == "reassign")).scalar_one()
    assert reassigned.payload["dispute_id"] == raised.json()["id"] and reassigned.payload["to_unit_id"] == fgw


def test_reassigning_to_a_cooperating_unit_promotes_its_row(client, org, as_user, task):
    did = raise_(client, as_user("zjj_liaison"), task.id).json()["id"]
    swj = unit(org, "WH-SWJ").id
    assert decide(client, as_user("supervisor"), did, decision="reassign", new_lead_unit_id=swj).status_code == 200
    org.expire_all()
    rows = org.execute(select(Assignment).where(Assignment.task_id == task.id)).scalars().all()
    assert [(r.unit_id, r.capacity) for r in rows] == [(swj, Capacity.lead)]


def test_reject_means_the_unit_must_sign(client, org, as_user, task):
    did = raise_(client, as_user("zjj_liaison"), task.id).json()["id"]
    no_reason = decide(client, as_user("supervisor"), did, decision="reject")
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    rejected = decide(client, as_user("supervisor"), did, decision="reject", reason="属你单位职责，请签收")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert assignment(org, task, "WH-ZJJ").state == AssignmentState.assigned
    assert decide(client, as_user("supervisor"), did, decision="reject", reason="again").status_code == 409


def test_bad_decisions_change_nothing(client, org, as_user, task):
    did = raise_(client, as_user("zjj_liaison"), task.id).json()["id"]
    sup = as_user("supervisor")
    missing = decide(client, sup, did, decision="reassign")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "new_lead_unit_id"
    same = decide(client, sup, did, decision="reassign", new_lead_unit_id=task.lead_unit_id)
    assert same.status_code == 422
    assert decide(client, sup, did, decision="reassign", new_lead_unit_id=999999).status_code == 422
    assert decide(client, sup, did, decision="maybe").status_code == 422
    assert decide(client, as_user("zjj_head"), did, decision="reject", reason="x").status_code == 403
    assert decide(client, as_user("jyj_liaison"), did, decision="reject", reason="x").status_code == 404
    org.expire_all()
    assert org.get(Task, task.id).lead_unit_id == unit(org, "WH-ZJJ").id
    assert assignment(org, task, "WH-ZJJ").state == AssignmentState.disputed


def test_only_the_lead_unit_before_signing(client, org, as_user, task):
    assert raise_(client, as_user("swj_liaison"), task.id).status_code == 403
    assert raise_(client, as_user("supervisor"), task.id).status_code == 403
    assert raise_(client, as_user("jyj_liaison"), task.id).status_code == 404
    assert raise_(client, as_user("zjj_liaison"), task.id, reason="").status_code == 422
    assert raise_(client, as_user("zjj_liaison"), task.id).status_code == 201
    assert raise_(client, as_user("zjj_liaison"), task.id).status_code == 409  # already disputed
    signed = make_task(org)
    assert raise_(client, as_user("zjj_liaison"), signed.id).status_code == 409
