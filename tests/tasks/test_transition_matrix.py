"""The whole transition table over HTTP: every status × every action × every party.

For each status a task is brought there through the API; then every caller tries every action
inside a savepoint that is rolled back. What the table allows succeeds; everything else is
refused with 403 or 409 (test_refusals proves a refusal changes nothing). The
``allowed_actions`` the API returns match the table for every caller.
"""

import pytest

from luoshi.tasks.models import TaskStatus
from luoshi.tasks.transitions import ACTION_PARTIES, Action, Party, transition_actions
from tests.tasks.conftest import TASKS

# Who is who: (username, parties) for the office's task A (lead 发改委, cooperating 住建局) and
# the district's task C (decomposed by 江岸区 to 大智街道).
A_CALLERS = {
    "supervisor": {Party.supervisor, Party.issuing_unit},
    "fgw_head": {Party.lead}, "zjj_liaison": {Party.cooperating}, "mayor": set(),
}
C_CALLERS = {"jiangan_liaison": {Party.issuing_unit}, "dazhi_liaison": {Party.lead},
             "supervisor": {Party.supervisor}}

# The state of each caller's own assignment once the task has reached a status.
OWN = {
    TaskStatus.draft: {"lead": "assigned", "cooperating": "assigned"},
    TaskStatus.assigned: {"lead": "assigned", "cooperating": "assigned"},
}
AFTER_SIGN = {"lead": "signed", "cooperating": "reported"}


def _own_state(status: str, parties: set[Party]) -> str | None:
    states = OWN.get(TaskStatus(status), AFTER_SIGN)
    if Party.lead in parties:
        return "done" if status == TaskStatus.completed else states["lead"]
    if Party.cooperating in parties:
        return "done" if status == TaskStatus.completed else states["cooperating"]
    return None


def expected(status: str, action: Action, parties: set[Party]) -> int:
    ps = frozenset(parties)
    if action.value in transition_actions(status, ps, _own_state(status, parties)):
        return 200
    if not ACTION_PARTIES[action] & ps:
        return 403  # no role or capacity for this action in any status
    return 409  # not in this status for this caller, or a guard of the loop (own row already signed)


def _bring(act_as, task_id: int, lead: str, manager: str, status: str, coop: str | None = None) -> None:
    """Move a fresh draft to ``status`` through the API."""
    if status == TaskStatus.draft:
        return
    act_as(manager).act(task_id, "issue")
    if status == TaskStatus.assigned:
        return
    act_as(lead).act(task_id, "sign")
    if coop is not None:
        part = act_as(coop).post(f"{TASKS}/{task_id}/reports", {"kind": "progress", "progress_text": "配合部分完成"})
        assert act_as(coop).post(f"/api/v1/reports/{part.json()['id']}/submit").status_code == 200
    act_as(lead).report_completion(task_id)
    if status == TaskStatus.in_progress:
        return
    if status in (TaskStatus.suspended, TaskStatus.cancelled):
        act_as(manager).act(task_id, "suspend" if status == TaskStatus.suspended else "cancel", reason="测试")
        return
    act_as(lead).act(task_id, "submit")
    if status == TaskStatus.completed:
        act_as(manager).act(task_id, "approve")


@pytest.mark.parametrize("status", list(TaskStatus))
def test_every_status_action_and_party(status, act_as, make_task, connection):
    a = make_task(lead="WH-FGW", coop=["WH-ZJJ"])
    _bring(act_as, a["id"], "fgw_liaison", "supervisor", status, coop="zjj_liaison")
    parent = make_task(lead="WH-JA")
    act_as("supervisor").act(parent["id"], "issue")
    act_as("jiangan_liaison").act(parent["id"], "sign")
    c = make_task(lead="WH-JA-DZ", parent=parent["id"], by="jiangan_liaison", title="街道子任务", days=30)
    _bring(act_as, c["id"], "dazhi_liaison", "jiangan_liaison", status)
    for task, callers in ((a, A_CALLERS), (c, C_CALLERS)):
        for username, parties in callers.items():
            caller = act_as(username)
            before = caller.get(f"{TASKS}/{task['id']}")
            if not parties:
                assert before.status_code in (200, 404)
            if before.status_code == 200:
                assert before.json()["status"] == status
                want = transition_actions(status, frozenset(parties), _own_state(status, parties))
                listed = before.json()["allowed_actions"]
                assert [a for a in listed if a in set(Action)] == want, (username, status)
            for action in Action:
                code = expected(status, action, parties)
                if before.status_code == 404:
                    code = 404
                savepoint = connection.begin_nested()
                try:
                    resp = caller.post(f"{TASKS}/{task['id']}/transitions",
                                       {"action": action.value, "reason": "理由"})
                    assert resp.status_code == code, (username, status, action, resp.text)
                    if code != 200:
                        assert resp.json()["code"] in ("task.invalid_transition", "task.transition_denied",
                                                       "task.assignment_not_pending", "task.not_found")
                finally:
                    savepoint.rollback()
