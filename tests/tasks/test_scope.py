"""Data scope (BOLA): every task route, asked by every role from an unrelated unit, answers 404.

The routes come from the OpenAPI document, so a new route under /api/v1/tasks/{task_id} is
covered the day it is added (and fails here until it is given a request body below).
"""

import pytest
from sqlalchemy import select

from luoshi.org.models import Unit
from luoshi.users.models import User, UserRole
from tests.tasks.conftest import TASKS, in_days

# A valid body per operation, so a 404 cannot hide behind a 422.
BODIES = {
    "tasks-update": {"title": "越权修改"},
    "tasks-transition": {"action": "sign"},
    "tasks-assignment-waive": {"reason": "越权豁免"},
    "reports-create": {"kind": "progress", "progress_text": "越权报送"},
    "extensions-create": {"requested_deadline_date": in_days(90), "reason": "越权申请"},
    "disputes-create": {"reason": "越权退回"},
}
MULTIPART = {"attachments-upload-task": {"file": ("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")}}

UNRELATED = ["swj_liaison", "jyj_head", "vicemayor", "jiangan_supervisor", "admin", "auditor", "secadmin"]


@pytest.fixture
def jyj_head(org):
    unit_id = org.execute(select(Unit.id).where(Unit.code == "WH-JYJ")).scalar_one()
    password = org.execute(select(User.password_hash).limit(1)).scalar_one()
    user = User(username="jyj_head", display_name="教育局负责人", unit_id=unit_id, password_hash=password)
    user.role_rows = [UserRole(role="unit_head")]
    org.add(user)
    org.commit()


def task_routes(app) -> list[tuple[str, str, str, dict | None]]:
    spec = app.openapi()
    out = []
    for path, item in spec["paths"].items():
        if path.startswith("/api/v1/tasks/{task_id}"):
            for method, op in item.items():
                schema = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
                body = BODIES.get(op["operationId"]) or (sample(spec, schema) if schema else None)
                out.append((method.upper(), path, op["operationId"], body))
    return out


def sample(spec: dict, schema: dict) -> object:
    """A minimal valid value for a JSON schema: required fields only, plausible values."""
    if "$ref" in schema:
        return sample(spec, spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    if "anyOf" in schema:
        return sample(spec, next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        return {k: sample(spec, v) for k, v in schema.get("properties", {}).items()
                if k in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return in_days(30)
    if schema.get("format") == "date-time":
        return in_days(30) + "T09:00:00+08:00"
    return "测试内容（越权访问）"


def test_every_task_route_is_404_for_every_unrelated_role(app, act_as, make_task, jyj_head):
    task = make_task(lead="WH-FGW", coop=["WH-ZJJ"])
    act_as("supervisor").act(task["id"], "issue")
    act_as("fgw_liaison").act(task["id"], "sign")
    assignment_id = task["assignments"][0]["id"]
    routes = task_routes(app)
    assert len(routes) >= 7
    for username in UNRELATED:
        caller = act_as(username)
        for method, path, op_id, body in routes:
            url = path.replace("{task_id}", str(task["id"])).replace("{assignment_id}", str(assignment_id))
            assert "{" not in url, f"give {op_id} its path parameters"
            if method == "GET":
                resp = caller.get(url)
            elif op_id in MULTIPART:
                resp = caller.client.post(url, files=MULTIPART[op_id], headers=caller.headers)
            else:
                send = caller.patch if method == "PATCH" else caller.post
                resp = send(url, body, headers={"If-Match": str(task["version"])})
            assert resp.status_code == 404, (username, method, path, resp.status_code, resp.text)
            assert resp.json()["code"].endswith("not_found")
        child = caller.post(TASKS, {"title": "越权分解", "parent_id": task["id"], "deadline": in_days(5)})
        assert child.status_code in (403, 404), child.text
        listed = caller.get(TASKS)
        assert listed.status_code in (200, 403)
        if listed.status_code == 200:
            assert all(t["id"] != task["id"] for t in listed.json()["items"])


def test_who_sees_what(act_as, make_task, user_ids):
    sup = act_as("supervisor")
    root = make_task(lead="WH-JA", leader_id=user_ids["vicemayor"])
    sup.act(root["id"], "issue")
    act_as("jiangan_liaison").act(root["id"], "sign")
    child = make_task(lead="WH-JA-DZ", parent=root["id"], by="jiangan_liaison", days=30)
    act_as("jiangan_liaison").act(child["id"], "issue")
    other = make_task(lead="WH-FGW")
    sup.act(other["id"], "issue")

    def visible(username: str) -> set[int]:
        return {t["id"] for t in act_as(username).get(TASKS, params={"limit": 200}).json()["items"]}

    everything = {root["id"], child["id"], other["id"]}
    assert visible("supervisor") == everything
    assert visible("mayor") == everything  # the chief leader sees the jurisdiction
    assert visible("vicemayor") == {root["id"], child["id"]}  # in charge of the root and below
    assert visible("jiangan_supervisor") == {root["id"], child["id"]}  # led within the district
    assert visible("jiangan_liaison") == {root["id"], child["id"]}  # leads the root, issued the child
    assert visible("dazhi_liaison") == {child["id"]}
    assert visible("fgw_liaison") == {other["id"]}
    # The street sees the root only as context: title, deadline, lead unit.
    detail = act_as("dazhi_liaison").get(f"{TASKS}/{child['id']}").json()
    assert detail["ancestors"] == [{"id": root["id"], "title": root["title"], "deadline": root["deadline"],
                                    "lead_unit": root["lead_unit"]}]
    assert act_as("dazhi_liaison").get(f"{TASKS}/{root['id']}").status_code == 404
    # The district office sees but does not manage what the city office issued.
    assert act_as("jiangan_supervisor").get(f"{TASKS}/{root['id']}").json()["allowed_actions"] == []
    assert act_as("jiangan_supervisor").get(f"{TASKS}/{child['id']}").json()["allowed_actions"] == [
        "suspend", "cancel", "edit", "decompose", "supervise", "attach"]


def test_a_changed_caller_is_scoped_afresh_on_the_next_request(act_as, make_task, org, unit_ids):
    """Statements are built once per caller scope and reused (luoshi.memo): a user moved to
    another unit, or given another role, must be scoped by what they are now, token unchanged."""
    task = make_task(lead="WH-FGW")
    act_as("supervisor").act(task["id"], "issue")
    liaison = act_as("fgw_liaison")
    assert liaison.get(f"{TASKS}/{task['id']}").status_code == 200
    assert liaison.get(f"{TASKS}/{task['id']}/tree").status_code == 200
    assert [t["id"] for t in liaison.get(TASKS).json()["items"]] == [task["id"]]
    sign = next(g for g in liaison.get("/api/v1/todo").json()["groups"] if g["kind"] == "sign")
    assert [i["task_id"] for i in sign["items"]] == [task["id"]]

    user = org.execute(select(User).where(User.username == "fgw_liaison")).scalar_one()
    user.unit_id = unit_ids["WH-JYJ"]
    org.commit()
    assert liaison.get(f"{TASKS}/{task['id']}").status_code == 404
    assert liaison.get(f"{TASKS}/{task['id']}/tree").status_code == 404
    assert liaison.get(TASKS).json()["items"] == []
    assert liaison.get("/api/v1/todo").json()["total"] == 0

    user.unit_id = unit_ids["WH-FGW"]
    org.execute(UserRole.__table__.delete().where(UserRole.user_id == user.id))
    org.add(UserRole(user_id=user.id, role="leader"))
    org.commit()
    # A leader sees what they are in charge of: not this task.
    assert liaison.get(f"{TASKS}/{task['id']}").status_code == 404
    assert liaison.get(TASKS).json()["items"] == []
