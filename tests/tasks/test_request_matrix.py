"""The requests a task takes without a status change (edit, decompose, report, extension, dispute,
supervision, instruction, coordination) against ``transitions.REQUESTS``, for every status and
caller: what ``allowed_actions`` lists succeeds at its own endpoint, and what it does not list is
refused with exactly the 403 or 409 that the table's verdict names. Each try is rolled back.
"""

from typing import Any

import pytest

from luoshi.tasks.models import TaskStatus
from luoshi.tasks.transitions import Request
from tests.attachments import samples
from tests.tasks.conftest import TASKS, in_days
from tests.tasks.test_transition_matrix import _bring

# The office's task: lead 发改委, cooperating 住建局; 市长 is the chief leader (批示).
CALLERS = ("supervisor", "fgw_liaison", "zjj_liaison", "mayor")


def _send(caller, username: str, request: Request, task: dict[str, Any], unit_ids: dict[str, int]):
    tid = task["id"]
    match request:
        case Request.edit:  # the lead unit edits its progress; the office anything
            body = {"progress": 40} if username == "fgw_liaison" else {"title": "调整后的标题"}
            return caller.patch(f"{TASKS}/{tid}", body, headers={"If-Match": str(task["version"])})
        case Request.decompose:
            return caller.post(TASKS, {"title": "分解事项", "content": "细化落实", "parent_id": tid,
                                       "lead_unit_id": unit_ids["WH-FGW"], "deadline": in_days(10),
                                       "source_type": "leader_instruction"})
        case Request.report:
            return caller.post(f"{TASKS}/{tid}/reports", {"kind": "progress", "progress_text": "本周进展"})
        case Request.request_extension:
            return caller.post(f"{TASKS}/{tid}/extension-requests",
                               {"requested_deadline_date": in_days(70), "reason": "工程量增加"})
        case Request.dispute:
            return caller.post(f"{TASKS}/{tid}/disputes", {"reason": "不属于本单位职责"})
        case Request.supervise:
            return caller.post(f"/api/v1/tasks/{tid}/supervision-actions",
                               {"unit_id": unit_ids["WH-FGW"], "level": "reminder", "content": "请抓紧办理"})
        case Request.instruct:
            return caller.post(f"/api/v1/tasks/{tid}/instructions", {"content": "请加快推进"})
        case Request.coordinate:
            return caller.post(f"/api/v1/tasks/{tid}/coordination-requests", {
                "subject": "用地协调", "content": "需市级层面协调用地指标",
                "consultation": "已于本月与住建局会商两次，未能解决",
                "consulted_unit_ids": [unit_ids["WH-ZJJ"]]})
        case Request.attach:
            return caller.post(f"{TASKS}/{tid}/attachments",
                               files={"file": ("整改方案.pdf", samples.PDF, "application/pdf")})
    raise AssertionError(request)


@pytest.mark.parametrize("status", list(TaskStatus))
def test_every_request_in_every_status(status, act_as, make_task, unit_ids, connection):
    task = make_task(lead="WH-FGW", coop=["WH-ZJJ"])
    _bring(act_as, task["id"], "fgw_liaison", "supervisor", status, coop="zjj_liaison")
    seen_allowed, seen_refused = set(), set()
    for username in CALLERS:
        caller = act_as(username)
        read = caller.get(f"{TASKS}/{task['id']}")
        if read.status_code == 404:
            assert username.endswith("_liaison") and status == TaskStatus.draft  # a draft is the office's
            continue
        assert read.status_code == 200, read.text
        current = read.json()
        listed = set(current["allowed_actions"])
        for request in Request:
            savepoint = connection.begin_nested()
            try:
                resp = _send(caller, username, request, current, unit_ids)
                if request.value in listed:
                    assert resp.status_code in (200, 201), (username, status, request, resp.text)
                    seen_allowed.add((username, request))
                else:
                    assert resp.status_code in (403, 409), (username, status, request, resp.text)
                    seen_refused.add((username, request))
            finally:
                savepoint.rollback()
    # The table really is exercised both ways in the statuses where work happens.
    if status == TaskStatus.in_progress:
        assert {("fgw_liaison", Request.report), ("zjj_liaison", Request.report),
                ("fgw_liaison", Request.request_extension), ("supervisor", Request.supervise),
                ("mayor", Request.instruct), ("fgw_liaison", Request.coordinate),
                ("supervisor", Request.edit), ("fgw_liaison", Request.edit),
                ("zjj_liaison", Request.attach), ("supervisor", Request.attach)} <= seen_allowed
        assert {("zjj_liaison", Request.decompose), ("fgw_liaison", Request.dispute),
                ("mayor", Request.supervise), ("supervisor", Request.report),
                ("mayor", Request.attach)} <= seen_refused
    if status == TaskStatus.assigned:
        assert ("fgw_liaison", Request.dispute) in seen_allowed
        assert ("zjj_liaison", Request.report) in seen_refused  # the task is not under way yet


@pytest.mark.parametrize(("username", "request_", "status", "code"), [
    ("zjj_liaison", Request.decompose, TaskStatus.in_progress, 403),  # no capacity, whatever the status
    ("mayor", Request.supervise, TaskStatus.in_progress, 403),
    ("supervisor", Request.report, TaskStatus.in_progress, 403),
    ("fgw_liaison", Request.dispute, TaskStatus.in_progress, 409),  # the lead, but after signing
    ("fgw_liaison", Request.report, TaskStatus.assigned, 409),  # the lead, before signing
    ("supervisor", Request.supervise, TaskStatus.completed, 409),
    ("supervisor", Request.edit, TaskStatus.cancelled, 409),
])
def test_refusals_match_the_tables_verdict(username, request_, status, code, act_as, make_task, unit_ids):
    task = make_task(lead="WH-FGW", coop=["WH-ZJJ"])
    _bring(act_as, task["id"], "fgw_liaison", "supervisor", status, coop="zjj_liaison")
    caller = act_as(username)
    current = caller.get(f"{TASKS}/{task['id']}").json()
    assert request_.value not in current["allowed_actions"]
    before = act_as("supervisor").get(f"{TASKS}/{task['id']}/events").json()
    resp = _send(caller, username, request_, current, unit_ids)
    assert resp.status_code == code, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert act_as("supervisor").get(f"{TASKS}/{task['id']}/events").json() == before
