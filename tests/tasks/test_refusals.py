"""Every refused request answers with the right status and code and leaves the database as it was."""

import pytest

from tests.tasks.conftest import TASKS, in_days, snapshot


@pytest.fixture
def running(act_as, make_task):
    """A task signed for by its lead unit (发改委) with 住建局 cooperating."""
    task = make_task(lead="WH-FGW", coop=["WH-ZJJ"])
    act_as("supervisor").act(task["id"], "issue")
    return act_as("fgw_liaison").act(task["id"], "sign")


def refused(db, call, status: int, code: str | None = None, field: str | None = None):
    before = snapshot(db)
    resp = call()
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert resp.headers["content-type"].startswith("application/problem+json")
    if code:
        assert body["code"] == code
    if field:
        assert field in [e["field"] for e in body.get("errors", [])], body
    assert snapshot(db) == before
    return body


def test_wrong_status_is_409(db, act_as, running):
    sup = act_as("supervisor")
    url = f"{TASKS}/{running['id']}/transitions"
    body = refused(db, lambda: sup.post(url, {"action": "approve"}), 409, "task.invalid_transition")
    assert "办理中" in body["detail"]
    refused(db, lambda: sup.post(url, {"action": "issue"}), 409, "task.invalid_transition")
    refused(db, lambda: act_as("fgw_liaison").post(url, {"action": "sign"}), 409, "task.invalid_transition")
    act_as("zjj_liaison").act(running["id"], "sign")
    refused(db, lambda: act_as("zjj_liaison").post(url, {"action": "sign"}), 409, "task.assignment_not_pending")
    refused(db, lambda: act_as("fgw_liaison").post(url, {"action": "submit"}), 409,
            "task.cooperating_not_reported")


def test_wrong_role_or_capacity_is_403_and_audited(db, act_as, running):
    url = f"{TASKS}/{running['id']}/transitions"
    refused(db, lambda: act_as("fgw_liaison").post(url, {"action": "cancel", "reason": "x"}), 403,
            "task.transition_denied")
    refused(db, lambda: act_as("zjj_liaison").post(url, {"action": "submit"}), 403, "task.transition_denied")
    refused(db, lambda: act_as("mayor").post(url, {"action": "suspend", "reason": "x"}), 403)
    refused(db, lambda: act_as("fgw_liaison").patch(f"{TASKS}/{running['id']}", {"title": "改标题"},
                                                     headers={"If-Match": str(running["version"])}), 403)


def test_out_of_scope_is_404(db, act_as, running):
    for user in ("swj_liaison", "jiangan_supervisor", "vicemayor", "admin", "auditor"):
        caller = act_as(user)
        refused(db, lambda c=caller: c.post(f"{TASKS}/{running['id']}/transitions", {"action": "sign"}), 404)
        refused(db, lambda c=caller: c.get(f"{TASKS}/{running['id']}"), 404, "task.not_found")
    refused(db, lambda: act_as("supervisor").get(f"{TASKS}/999999"), 404, "task.not_found")


def test_versions_412_and_428(db, act_as, running):
    sup, url = act_as("supervisor"), f"{TASKS}/{running['id']}"
    stale = running["version"] - 1
    refused(db, lambda: sup.post(f"{url}/transitions", {"action": "suspend", "reason": "x", "version": stale}),
            412, "resource.version_mismatch")
    refused(db, lambda: sup.post(f"{url}/transitions", {"action": "suspend", "reason": "x"},
                                 headers={"If-Match": f'"{stale}"'}), 412)
    refused(db, lambda: sup.patch(url, {"title": "新标题"}), 428, "resource.version_required")
    refused(db, lambda: sup.patch(url, {"title": "新标题"}, headers={"If-Match": str(stale)}), 412)
    ok = sup.patch(url, {"title": "新标题"}, headers={"If-Match": str(running["version"])})
    assert ok.status_code == 200 and ok.json()["version"] == running["version"] + 1
    assert ok.json()["title"] == "新标题"


def test_reasons_are_required(db, act_as, running):
    url = f"{TASKS}/{running['id']}/transitions"
    for action in ("suspend", "cancel"):
        refused(db, lambda a=action: act_as("supervisor").post(url, {"action": a, "reason": "  "}), 422,
                "task.reason_required", "reason")


@pytest.mark.parametrize("change, field", [
    ({"source_ref": "武政办[2018]105号"}, "source_ref"),
    ({"deadline": "2020-01-01"}, "deadline"),
    ({"deadline": "明天"}, "deadline"),
    ({"title": ""}, "title"),
    ({"lead_unit_id": 999999}, "lead_unit_id"),
    ({"cooperating_unit_ids": [1, 1]}, "cooperating_unit_ids"),
    ({"source_type": "小道消息"}, "source_type"),
    ({"feedback_cycle": "dates"}, "feedback_dates"),
    ({"milestones": [{"title": "节点", "planned_date": "2099-01-01"}]}, "milestones"),
    ({"leader_id": 1}, "leader_id"),
    ({"weight": 0}, "weight"),
    ({"surprise": 1}, "surprise"),
])
def test_bad_input_is_422_naming_the_field(db, act_as, unit_ids, change, field):
    body = {"title": "推进优化营商环境", "lead_unit_id": unit_ids["WH-FGW"], "deadline": in_days(30), **change}
    refused(db, lambda: act_as("supervisor").post(TASKS, body), 422, field=field)


def test_decomposition_rules(db, act_as, make_task, unit_ids, running):
    fgw = act_as("fgw_liaison")
    child = {"title": "细化分解", "parent_id": running["id"], "lead_unit_id": unit_ids["WH-FGW"]}
    refused(db, lambda: fgw.post(TASKS, {**child, "deadline": in_days(61)}), 422, field="deadline")
    refused(db, lambda: fgw.post(TASKS, {**child, "deadline": in_days(10), "lead_unit_id": unit_ids["WH-JYJ"]}),
            422, field="lead_unit_id")
    refused(db, lambda: act_as("zjj_liaison").post(TASKS, {**child, "deadline": in_days(10)}), 403,
            "task.decompose_denied")
    refused(db, lambda: act_as("fgw_liaison").post(TASKS, {**child, "parent_id": None, "deadline": in_days(10)}),
            403)
    # A cooperating unit may lead a child; so may the lead unit itself.
    ok = fgw.post(TASKS, {**child, "deadline": in_days(10), "lead_unit_id": unit_ids["WH-ZJJ"]})
    assert ok.status_code == 201, ok.text
    assert ok.json()["issuer_unit"]["id"] == unit_ids["WH-FGW"]


def test_a_parent_with_an_open_child_cannot_complete_and_cancel_cascades(db, act_as, make_task):
    sup, ja = act_as("supervisor"), act_as("jiangan_liaison")
    parent = make_task(lead="WH-JA")
    sup.act(parent["id"], "issue")
    ja.act(parent["id"], "sign")
    child = make_task(lead="WH-JA-DZ", parent=parent["id"], by="jiangan_liaison", days=20)
    ja.act(child["id"], "issue")
    act_as("dazhi_liaison").act(child["id"], "sign")
    grandchild = make_task(lead="WH-JA-DZ-SQ1", parent=child["id"], by="dazhi_liaison", days=10)
    ja.report_completion(parent["id"])
    refused(db, lambda: ja.post(f"{TASKS}/{parent['id']}/transitions", {"action": "submit"}), 409,
            "task.children_open")
    cancelled = sup.act(parent["id"], "cancel", reason="工作调整")
    assert cancelled["status"] == "cancelled"
    for t in (child, grandchild):
        got = sup.get(f"{TASKS}/{t['id']}").json()
        assert got["status"] == "cancelled" and got["deadline_state"] is None
        assert sup.get(f"{TASKS}/{t['id']}/events").json()[-1]["payload"] == {"cascaded_from": parent["id"]}
    refused(db, lambda: sup.post(f"{TASKS}/{child['id']}/transitions", {"action": "reopen", "reason": "x"}),
            409, "task.invalid_transition")
