"""The acceptance loop over HTTP, through the task core's own endpoints: issue → units sign →
cooperating report → lead consolidates → submit → return → resubmit → approve."""

import pytest
from sqlalchemy import select

from luoshi.reports.models import Report
from luoshi.settings import get_settings
from luoshi.tasks.models import TaskEvent
from tests.tasks.conftest import TASKS, Caller, in_days


@pytest.fixture
def act_as(client, as_user):
    return lambda username: Caller(client, as_user(username))


@pytest.fixture(autouse=True)
def completion_report_required():
    settings = get_settings()
    before = settings.completion_report_required
    settings.completion_report_required = True
    yield
    settings.completion_report_required = before


def test_completion_needs_a_report_and_the_task_loop_settles_it(act_as, org):
    sup, fgw, zjj = act_as("supervisor"), act_as("fgw_liaison"), act_as("zjj_liaison")
    units = {u["short_name"]: u["id"] for u in sup.get("/api/v1/units").json()}
    task = sup.post(TASKS, {"title": "优化营商环境", "content": "按方案推进", "deadline": in_days(60),
                            "lead_unit_id": units["市发改委"], "cooperating_unit_ids": [units["市住建局"]]}).json()
    tid = task["id"]
    sup.act(tid, "issue")
    fgw.act(tid, "sign")
    zjj.act(tid, "sign")

    part = zjj.post(f"{TASKS}/{tid}/reports", {"progress_text": "住建领域审批时限压缩 30%", "percent_done": 100,
                                              "kind": "completion"}).json()
    assert zjj.post(f"/api/v1/reports/{part['id']}/submit").json()["status"] == "submitted"
    # Without its own completion report the lead unit cannot ask for completion.
    refused = fgw.post(f"{TASKS}/{tid}/transitions", {"action": "submit"})
    assert refused.status_code == 409 and refused.json()["code"] == "reports.completion_required"

    lead = fgw.post(f"{TASKS}/{tid}/reports", {"kind": "completion", "consolidate": True}).json()
    assert lead["progress_text"] == "【市住建局】住建领域审批时限压缩 30%"
    assert fgw.post(f"/api/v1/reports/{lead['id']}/submit").json()["status"] == "submitted"
    assert fgw.act(tid, "submit")["status"] == "pending_review"

    # Returning the task returns the completion report with the same reason.
    sup.act(tid, "return", reason="佐证材料不全")
    returned = fgw.get(f"/api/v1/reports/{lead['id']}").json()
    assert returned["status"] == "returned" and returned["return_reason"] == "佐证材料不全"
    fgw.post(f"{TASKS}/{tid}/transitions", {"action": "submit"})
    assert fgw.get(f"{TASKS}/{tid}").json()["status"] == "in_progress"  # refused: report not resent
    fgw.patch(f"/api/v1/reports/{lead['id']}", {"support_needed": "补充佐证材料已上传"})
    fgw.post(f"/api/v1/reports/{lead['id']}/submit")
    fgw.act(tid, "submit")
    done = sup.act(tid, "approve")
    assert done["status"] == "completed"
    org.expire_all()
    assert org.get(Report, lead["id"]).status == "accepted"
    history = org.execute(select(TaskEvent.action).where(TaskEvent.task_id == tid).order_by(TaskEvent.id)).scalars()
    assert [a for a in history if a not in ("create", "issue", "sign", "report_drafted")] == [
        "assignment.report", "report_submitted", "report_submitted", "submit", "return", "report_returned",
        "report_submitted", "submit", "approve", "report_accepted",
    ]
