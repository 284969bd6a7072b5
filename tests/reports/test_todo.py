"""What reports, extensions and disputes add to the to-do of each role."""

from datetime import timedelta

from luoshi.settings import get_settings
from luoshi.tasks.models import AssignmentState, TaskStatus
from tests.reports.factory import make_task

TODO = "/api/v1/todo"


def waiting(client, headers) -> dict[str, list[str]]:
    body = client.get(TODO, headers=headers).json()
    return {g["kind"]: [i["ref_type"] for i in g["items"]] for g in body["groups"] if g["count"]}


def test_reports_extensions_and_disputes_wait_on_the_right_people(client, org, as_user):
    task = make_task(org, cooperating=("WH-SWJ",))
    waiting_task = make_task(org, status=TaskStatus.assigned, lead="WH-FGW", cooperating=(),
                             lead_state=AssignmentState.assigned)
    swj, zjj, fgw, sup = (as_user(u) for u in ("swj_liaison", "zjj_liaison", "fgw_liaison", "supervisor"))
    part = client.post(f"/api/v1/tasks/{task.id}/reports", json={"progress_text": "部分"}, headers=swj).json()
    client.post(f"/api/v1/reports/{part['id']}/submit", headers=swj)
    assert "report" in waiting(client, zjj).get("review", [])
    lead = client.post(f"/api/v1/tasks/{task.id}/reports", json={"progress_text": "汇总"}, headers=zjj).json()
    settings = get_settings()
    settings.unit_head_approval_required = True
    try:
        client.post(f"/api/v1/reports/{lead['id']}/submit", headers=zjj)
    finally:
        settings.unit_head_approval_required = False
    assert waiting(client, as_user("zjj_head")).get("approve") == ["report"]
    client.post(f"/api/v1/reports/{lead['id']}/approve-unit", headers=as_user("zjj_head"))
    client.post(f"/api/v1/tasks/{task.id}/extension-requests", headers=zjj, json={
        "requested_deadline_date": str(task.deadline_date + timedelta(days=10)), "reason": "等待批复"})
    client.post(f"/api/v1/tasks/{waiting_task.id}/disputes", json={"reason": "不属本单位"}, headers=fgw)
    office = waiting(client, sup)
    assert office["review"] == ["report"] and office["approve"] == ["extension"]
    assert office["respond"] == ["dispute"]
    assert waiting(client, as_user("jiangan_supervisor")) == {}
    assert "review" not in waiting(client, as_user("jyj_liaison"))
