"""Who decides an extension request is stated once (``luoshi.extensions.rules``) and read in two
forms: the decision endpoint tests the loaded task in Python, the to-do selects in SQL. For every
kind of caller (the office, another office, an issuing unit, the lead unit, a cooperating unit,
the leader in charge, a leader with no part in the task), on tasks with and without a leader in
charge and under both settings, a request offers a decision exactly when it is on the caller's
to-do, and both agree with the rule."""

from datetime import timedelta
from typing import get_args

import pytest

from luoshi.deadlines.calendar import local_today
from luoshi.extensions.rules import DECIDERS
from luoshi.permissions import Role
from luoshi.settings import Settings, get_settings
from luoshi.users.models import UserRole
from tests.reports.factory import make_task, user

SETTINGS = get_args(Settings.model_fields["extension_decided_by"].annotation)
CALLERS = ("supervisor", "jiangan_supervisor", "zjj_liaison", "zjj_head", "swj_liaison", "vicemayor", "mayor")

# Who decides each request, by setting: the office's (市政府督查室) tasks led by 副市长 or by no
# leader, and a task 市住建局 issued to 市商务局 (led by 副市长), which lies in the office's
# jurisdiction too. Nobody else: not the issuing unit, not 江岸区督查室, not the 市长.
EXPECTED = {
    "supervisor": {"led": {"supervisor"}, "unled": {"supervisor"}, "issued_by_unit": {"supervisor"}},
    "leader": {"led": {"vicemayor"}, "unled": {"supervisor"}, "issued_by_unit": {"vicemayor"}},
}


def test_every_setting_has_its_deciders():
    assert set(DECIDERS) == set(SETTINGS) == set(EXPECTED)


@pytest.fixture
def requests(client, org, as_user, clock) -> dict[str, tuple[int, int]]:
    """A pending request from the lead unit on each task: name -> (task id, request id)."""
    # 市住建局's head also holds the leader role, so extensions:decide is not what keeps the issuing
    # unit from deciding.
    org.add(UserRole(user_id=user(org, "zjj_head").id, role=Role.leader))
    org.commit()
    deadline = local_today() + timedelta(days=10)
    tasks = {
        "led": (make_task(org, title="分管领导牵头事项", deadline=deadline), "zjj_liaison"),
        "unled": (make_task(org, title="无分管领导事项", leader=None, deadline=deadline), "zjj_liaison"),
        "issued_by_unit": (make_task(org, title="住建局交办事项", issuer="WH-ZJJ", lead="WH-SWJ", cooperating=(),
                                     deadline=deadline), "swj_liaison"),
    }
    out = {}
    for name, (task, lead) in tasks.items():
        asked = client.post(f"/api/v1/tasks/{task.id}/extension-requests", headers=as_user(lead), json={
            "requested_deadline_date": str(deadline + timedelta(days=20)), "reason": "需等待省级批复"})
        assert asked.status_code == 201, asked.text
        out[name] = (task.id, asked.json()["id"])
    return out


def _offered(client, headers, task_id: int, request_id: int) -> bool:
    """The endpoint's side: the request lists a decision (all three tasks are under way, so one
    who decides may approve and reject)."""
    rows = client.get(f"/api/v1/tasks/{task_id}/extension-requests", headers=headers)
    assert rows.status_code in (200, 404), rows.text
    return rows.status_code == 200 and bool(next(r for r in rows.json() if r["id"] == request_id)["allowed_actions"])


def _on_todo(client, headers) -> set[int]:
    """The to-do's side: the extension requests in the caller's approve group."""
    body = client.get("/api/v1/todo", headers=headers).json()
    return {i["ref_id"] for g in body["groups"] for i in g["items"] if i["ref_type"] == "extension"}


@pytest.mark.parametrize("setting", SETTINGS)
def test_the_endpoint_and_the_todo_agree_on_who_decides(setting, client, as_user, requests):
    settings = get_settings()
    before = settings.extension_decided_by
    settings.extension_decided_by = setting
    try:
        by_endpoint: dict[str, set[str]] = {name: set() for name in requests}
        by_todo: dict[str, set[str]] = {name: set() for name in requests}
        for username in CALLERS:
            headers = as_user(username)
            todo = _on_todo(client, headers)
            for name, (task_id, request_id) in requests.items():
                if _offered(client, headers, task_id, request_id):
                    by_endpoint[name].add(username)
                if request_id in todo:
                    by_todo[name].add(username)
    finally:
        settings.extension_decided_by = before
    assert by_endpoint == by_todo == EXPECTED[setting]
