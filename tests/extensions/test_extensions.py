"""Extension requests: asked in time by the lead unit, decided by the office (or the leader)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from luoshi.deadlines.calendar import local_today
from luoshi.extensions.models import ExtensionRequest
from luoshi.settings import get_settings
from luoshi.tasks.models import Task, TaskEvent, TaskStatus
from tests.reports.factory import make_task

TODAY = local_today()
D10, D30, D40 = (str(TODAY + timedelta(days=n)) for n in (10, 30, 40))


@pytest.fixture
def fixed_clock(clock):
    return clock


@pytest.fixture
def task(org, fixed_clock):
    return make_task(org, deadline=TODAY + timedelta(days=10))


def ask(client, headers, task_id, days=30, reason="需等待省级批复"):
    new = (TODAY + timedelta(days=days)).isoformat()
    return client.post(f"/api/v1/tasks/{task_id}/extension-requests",
                       json={"requested_deadline_date": new, "reason": reason}, headers=headers)


def decide(client, headers, request_id, decision, reason=None):
    return client.post(f"/api/v1/extension-requests/{request_id}/decision",
                       json={"decision": decision, "reason": reason}, headers=headers)


def test_approval_moves_the_deadline_and_keeps_the_original(client, org, as_user, task):
    created = ask(client, as_user("zjj_liaison"), task.id)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "pending"
    assert created.json()["current_deadline_date"] == D10
    approved = decide(client, as_user("supervisor"), created.json()["id"], "approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    org.expire_all()
    moved = org.get(Task, task.id)
    assert str(moved.deadline_date) == D30
    assert str(moved.original_deadline_date) == D10
    # A second extension still keeps the first deadline as the original.
    second = ask(client, as_user("zjj_liaison"), task.id, days=40)
    decide(client, as_user("supervisor"), second.json()["id"], "approve")
    org.expire_all()
    assert str(org.get(Task, task.id).original_deadline_date) == D10
    history = client.get(f"/api/v1/tasks/{task.id}/extension-requests", headers=as_user("vicemayor"))
    assert [r["current_deadline_date"] for r in history.json()] == [D10, D30]
    actions = org.execute(select(TaskEvent.action).where(TaskEvent.task_id == task.id)
                          .order_by(TaskEvent.id)).scalars().all()
    assert actions == ["extension_requested", "extension_approved"] * 2


def test_rejection_needs_a_reason_and_leaves_the_deadline(client, org, as_user, task):
    rid = ask(client, as_user("zjj_liaison"), task.id).json()["id"]
    no_reason = decide(client, as_user("supervisor"), rid, "reject")
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    rejected = decide(client, as_user("supervisor"), rid, "reject", "理由不充分")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert rejected.json()["decision_reason"] == "理由不充分"
    org.expire_all()
    assert str(org.get(Task, task.id).deadline_date) == D10
    assert decide(client, as_user("supervisor"), rid, "approve").status_code == 409


def test_only_the_lead_unit_may_ask_and_only_in_time(client, org, as_user, task, fixed_clock):
    assert ask(client, as_user("swj_liaison"), task.id).status_code == 403  # cooperating unit
    assert ask(client, as_user("supervisor"), task.id).status_code == 403
    assert ask(client, as_user("jyj_liaison"), task.id).status_code == 404  # unrelated unit
    not_later = ask(client, as_user("zjj_liaison"), task.id, days=5)
    assert not_later.status_code == 422 and not_later.json()["errors"][0]["field"] == "requested_deadline_date"
    assert ask(client, as_user("zjj_liaison"), task.id, reason="").status_code == 422
    assert ask(client, as_user("zjj_liaison"), task.id).status_code == 201
    assert ask(client, as_user("zjj_liaison"), task.id, days=50).status_code == 409  # one pending at a time
    late = make_task(org, deadline=TODAY - timedelta(days=1))
    assert ask(client, as_user("zjj_liaison"), late.id, days=40).status_code == 409
    assert org.execute(select(func.count()).select_from(ExtensionRequest)).scalar_one() == 1


def test_a_sub_task_cannot_outrun_its_parent(client, org, as_user, fixed_clock):
    parent = make_task(org, deadline=TODAY + timedelta(days=20))
    child = make_task(org, parent=parent, lead="WH-SWJ", cooperating=(), deadline=TODAY + timedelta(days=10))
    beyond = ask(client, as_user("swj_liaison"), child.id, days=25)
    assert beyond.status_code == 422 and beyond.json()["errors"][0]["field"] == "requested_deadline_date"
    assert ask(client, as_user("swj_liaison"), child.id, days=20).status_code == 201


def test_closed_tasks_take_no_extension(client, org, as_user, fixed_clock):
    done = make_task(org, status=TaskStatus.completed)
    assert ask(client, as_user("zjj_liaison"), done.id).status_code == 409


def test_leader_decides_when_the_setting_says_so(client, org, as_user, task):
    rid = ask(client, as_user("zjj_liaison"), task.id).json()["id"]
    settings = get_settings()
    settings.extension_decided_by = "leader"
    try:
        assert decide(client, as_user("supervisor"), rid, "approve").status_code == 403
        assert decide(client, as_user("vicemayor"), rid, "approve").status_code == 200
    finally:
        settings.extension_decided_by = "supervisor"


def test_unit_staff_and_leaders_cannot_decide_by_default(client, org, as_user, task):
    rid = ask(client, as_user("zjj_liaison"), task.id).json()["id"]
    assert decide(client, as_user("zjj_head"), rid, "approve").status_code == 403
    assert decide(client, as_user("vicemayor"), rid, "approve").status_code == 403
    assert decide(client, as_user("jyj_liaison"), rid, "approve").status_code == 404
    assert decide(client, as_user("supervisor"), 999999, "approve").status_code == 404
