"""``editable_fields`` on a task against PATCH: every field the detail lists is accepted from that
caller, every other field of TaskUpdate is refused (403 or 409; progress on a task with sub-tasks
is 422, the roll-up's rule). The office (which changes the lead unit only before it signs), the
lead unit (before and after signing, with and without sub-tasks), a cooperating unit and a leader
who only reads."""

from typing import Any

import pytest

from luoshi.tasks.schemas import TaskUpdate
from tests.listed import try_each
from tests.tasks.conftest import TASKS, in_days
from tests.tasks.test_transition_matrix import _bring

ALL = list(TaskUpdate.model_fields)
SIGNED_FOR = [f for f in ALL if f != "lead_unit_id"]  # the office's, once the lead unit has signed
LEAD = ["milestones", "progress"]
CALLERS = ("supervisor", "fgw_liaison", "zjj_liaison", "mayor")


@pytest.fixture
def values(unit_ids, user_ids) -> dict[str, Any]:
    """A valid change of every field TaskUpdate takes (the office's task: lead 发改委, cooperating 住建局)."""
    out = {
        "title": "调整后的标题", "content": "新的办理要求", "lead_unit_id": unit_ids["WH-SWJ"],
        "cooperating_unit_ids": [unit_ids["WH-ZWJ"]], "leader_id": user_ids["vicemayor"],
        "deadline": in_days(50), "source_type": "meeting_decision", "source_ref": "武政办〔2018〕106号",
        "source_date": in_days(0), "category": "营商环境", "priority": "high", "feedback_cycle": "monthly",
        "deadline_day_count": "working", "feedback_dates": [in_days(20)], "weight": 2.0, "tags": ["重点"],
        "milestones": [{"title": "完成方案编制", "planned_date": in_days(20)}], "progress": 40,
    }
    assert set(out) == set(ALL)  # a new field of TaskUpdate needs a value here
    return out


def _check(act_as, connection, task_id: int, values: dict[str, Any]) -> dict[str, list[str]]:
    listed = {}
    for username in CALLERS:
        caller = act_as(username)
        current = caller.get(f"{TASKS}/{task_id}").json()
        listed[username] = current["editable_fields"]
        may_edit = "edit" in current["allowed_actions"]
        assert bool(listed[username]) == may_edit, username

        def send(field: str, caller=caller, version=current["version"]):
            return caller.patch(f"{TASKS}/{task_id}", {field: values[field]}, headers={"If-Match": str(version)})

        # A parent's progress is listed for no one; whoever may edit the task is told why (422 on
        # the field) rather than refused.
        rolled_up = may_edit and current["children_count"] > 0
        try_each(connection, listed[username], [f for f in ALL if not (rolled_up and f == "progress")], send,
                 who=username)
        if rolled_up:
            refused = send("progress")
            assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "progress", refused.text
    return listed



@pytest.mark.parametrize(("status", "lead"), [("in_progress", LEAD), ("pending_review", []), ("suspended", [])])
def test_office_everything_lead_progress_and_milestones(status, lead, act_as, make_task, connection, values):
    task = make_task(lead="WH-FGW", coop=["WH-ZJJ"])
    _bring(act_as, task["id"], "fgw_liaison", "supervisor", status, coop="zjj_liaison")
    assert _check(act_as, connection, task["id"], values) == {
        "supervisor": SIGNED_FOR, "fgw_liaison": lead, "zjj_liaison": [], "mayor": []}


def test_the_lead_unit_edits_nothing_before_signing(act_as, make_task, connection, values):
    task = make_task(lead="WH-FGW", coop=["WH-ZJJ"])
    _bring(act_as, task["id"], "fgw_liaison", "supervisor", "assigned")
    assert _check(act_as, connection, task["id"], values) == {
        "supervisor": ALL, "fgw_liaison": [], "zjj_liaison": [], "mayor": []}


def test_no_one_sets_the_progress_of_a_task_with_sub_tasks(act_as, make_task, connection, values):
    task = make_task(lead="WH-FGW", coop=["WH-ZJJ"])
    _bring(act_as, task["id"], "fgw_liaison", "supervisor", "in_progress", coop="zjj_liaison")
    make_task(lead="WH-FGW", parent=task["id"], by="fgw_liaison", title="分解事项", days=30)
    assert _check(act_as, connection, task["id"], values) == {
        "supervisor": [f for f in SIGNED_FOR if f != "progress"], "fgw_liaison": ["milestones"],
        "zjj_liaison": [], "mayor": []}


@pytest.mark.parametrize("status", ["completed", "cancelled"])
def test_nothing_is_editable_once_closed(status, act_as, make_task, connection, values):
    task = make_task(lead="WH-FGW", coop=["WH-ZJJ"])
    _bring(act_as, task["id"], "fgw_liaison", "supervisor", status, coop="zjj_liaison")
    assert _check(act_as, connection, task["id"], values) == {u: [] for u in CALLERS}
