"""BOLA: every report, extension, dispute and attachment route, asked by every role from a unit
that has nothing to do with the task, answers 404 exactly as for an id that does not exist."""

import pytest

from luoshi.tasks.models import TaskStatus
from tests.attachments import samples
from tests.reports.factory import make_task

MISSING = 999_999
# One account per role, none of them connected to the tasks below (lead 市住建局, cooperating
# 市商务局, issued by the city office, no leader in charge).
OUTSIDERS = ["jyj_liaison", "fgw_head", "dazhi_liaison", "jiangan_supervisor", "vicemayor", "admin",
             "auditor", "secadmin"]


@pytest.fixture
def objects(org, client, as_user, attachment_dir):
    task = make_task(org, cooperating=("WH-SWJ",), leader=None)
    waiting = make_task(org, status=TaskStatus.assigned, cooperating=(), leader=None)
    zjj, swj = as_user("zjj_liaison"), as_user("swj_liaison")
    part = client.post(f"/api/v1/tasks/{task.id}/reports", json={"progress_text": "配合部分"}, headers=swj).json()
    client.post(f"/api/v1/reports/{part['id']}/submit", headers=swj)
    draft = client.post(f"/api/v1/tasks/{task.id}/reports", json={"progress_text": "草稿"}, headers=zjj).json()
    file = client.post(f"/api/v1/tasks/{task.id}/attachments", files={"file": ("a.pdf", samples.PDF)},
                       headers=zjj).json()
    extension = client.post(f"/api/v1/tasks/{task.id}/extension-requests", headers=zjj, json={
        "requested_deadline_date": str(task.deadline_date.replace(year=task.deadline_date.year + 1)),
        "reason": "需要更多时间"}).json()
    dispute = client.post(f"/api/v1/tasks/{waiting.id}/disputes", json={"reason": "不属本单位职责"},
                          headers=zjj).json()
    return {"task": task.id, "waiting": waiting.id, "report": part["id"], "draft": draft["id"],
            "attachment": file["id"], "extension": extension["id"], "dispute": dispute["id"]}


@pytest.fixture
def outsiders(as_user):
    return {username: as_user(username) for username in OUTSIDERS}


ROUTES = [
    ("GET", "/api/v1/tasks/{task}/reports", None),
    ("POST", "/api/v1/tasks/{task}/reports", {"progress_text": "x"}),
    ("GET", "/api/v1/tasks/{task}/reports/consolidation", None),
    ("GET", "/api/v1/reports/{report}", None),
    ("GET", "/api/v1/reports/{draft}", None),
    ("PATCH", "/api/v1/reports/{draft}", {"problems": "x"}),
    ("POST", "/api/v1/reports/{draft}/submit", None),
    ("POST", "/api/v1/reports/{report}/approve-unit", {"decision": "approve"}),
    ("POST", "/api/v1/reports/{report}/review", {"decision": "accept"}),
    ("POST", "/api/v1/reports/{draft}/attachments", "file"),
    ("GET", "/api/v1/tasks/{task}/extension-requests", None),
    ("POST", "/api/v1/tasks/{task}/extension-requests", {"requested_deadline_date": "2099-01-01", "reason": "xx"}),
    ("POST", "/api/v1/extension-requests/{extension}/decision", {"decision": "approve"}),
    ("GET", "/api/v1/tasks/{waiting}/disputes", None),
    ("POST", "/api/v1/tasks/{waiting}/disputes", {"reason": "不是我们的"}),
    ("POST", "/api/v1/disputes/{dispute}/decision", {"decision": "reject", "reason": "请签收"}),
    ("GET", "/api/v1/tasks/{task}/attachments", None),
    ("POST", "/api/v1/tasks/{task}/attachments", "file"),
    ("GET", "/api/v1/attachments/{attachment}/download", None),
    ("DELETE", "/api/v1/attachments/{attachment}", None),
]


def call(client, method, template, body, ids, headers):
    url = template.format(**ids)
    if body == "file":
        return client.request(method, url, files={"file": ("a.pdf", samples.PDF)}, headers=headers)
    if body is None:
        return client.request(method, url, headers=headers)
    return client.request(method, url, json=body, headers=headers)


def test_outsiders_get_404_as_for_a_missing_id_and_change_nothing(client, org, as_user, outsiders, objects):
    missing = {key: MISSING for key in objects}
    leaks = []
    for method, template, body in ROUTES:
        for username, headers in outsiders.items():
            real = call(client, method, template, body, objects, headers)
            ghost = call(client, method, template, body, missing, headers)
            if real.status_code != 404 or real.json()["code"] != ghost.json()["code"] or ghost.status_code != 404:
                leaks.append((method, template, username, real.status_code, real.json().get("code")))
    assert leaks == []
    zjj = as_user("zjj_liaison")
    draft = client.get(f"/api/v1/reports/{objects['draft']}", headers=zjj).json()
    assert draft["status"] == "draft" and draft["problems"] == "" and draft["attachments"] == []
    part = client.get(f"/api/v1/reports/{objects['report']}", headers=zjj).json()
    assert part["status"] == "submitted"
    assert client.get(f"/api/v1/tasks/{objects['task']}/extension-requests", headers=zjj).json()[0]["status"] == \
        "pending"
    assert len(client.get(f"/api/v1/tasks/{objects['task']}/attachments", headers=zjj).json()) == 1
    assert client.get(f"/api/v1/tasks/{objects['waiting']}/disputes", headers=zjj).json()[0]["status"] == "pending"
