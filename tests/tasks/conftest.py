"""Helpers for task tests: act as a demo user, look up units and users, build a small tree."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from luoshi.deadlines.calendar import local_today
from luoshi.org.models import Unit
from luoshi.tasks.models import Assignment, Task, TaskEvent
from luoshi.users.models import User

TASKS = "/api/v1/tasks"


class Caller:
    def __init__(self, client, headers: dict[str, str]) -> None:
        self.client, self.headers = client, headers

    def get(self, url: str, **kw: Any):
        return self.client.get(url, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def post(self, url: str, json: Any = None, **kw: Any):
        return self.client.post(url, json=json, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def patch(self, url: str, json: Any = None, **kw: Any):
        return self.client.patch(url, json=json, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def report_completion(self, task_id: int) -> dict[str, Any]:
        """The lead unit's completion report (reports domain), sent to the office."""
        resp = self.post(f"{TASKS}/{task_id}/reports", {"kind": "completion", "percent_done": 100,
                                                        "progress_text": "已按要求完成"})
        assert resp.status_code == 201, resp.text
        sent = self.post(f"/api/v1/reports/{resp.json()['id']}/submit")
        assert sent.status_code == 200, sent.text
        return sent.json()

    def act(self, task_id: int, action: str, reason: str | None = None, version: int | None = None,
            expect: int = 200) -> dict[str, Any]:
        body: dict[str, Any] = {"action": action}
        if reason is not None:
            body["reason"] = reason
        if version is not None:
            body["version"] = version
        resp = self.post(f"{TASKS}/{task_id}/transitions", body)
        assert resp.status_code == expect, resp.text
        return resp.json()


@pytest.fixture
def act_as(client, as_user):
    cache: dict[str, Caller] = {}

    def _caller(username: str) -> Caller:
        if username not in cache:
            cache[username] = Caller(client, as_user(username))
        return cache[username]

    return _caller


@pytest.fixture
def unit_ids(org) -> dict[str, int]:
    return {code: uid for uid, code in org.execute(select(Unit.id, Unit.code)).all()}


@pytest.fixture
def user_ids(org) -> dict[str, int]:
    return {name: uid for uid, name in org.execute(select(User.id, User.username)).all()}


def in_days(n: int) -> str:
    return (local_today() + timedelta(days=n)).isoformat()


def task_body(unit_ids: dict[str, int], lead: str | None = "WH-FGW", coop: list[str] | None = None,
              parent: int | None = None, days: int = 60, title: str = "优化营商环境专项行动",
              **extra: Any) -> dict[str, Any]:
    """What ``make_task`` posts to create a task."""
    body = {"title": title, "content": "按方案推进", "deadline": in_days(days),
            "source_type": "leader_instruction", "source_ref": "武政办〔2018〕105号",
            "cooperating_unit_ids": [unit_ids[c] for c in coop or []], **extra}
    if lead is not None:
        body["lead_unit_id"] = unit_ids[lead]
    if parent is not None:
        body["parent_id"] = parent
    return body


@pytest.fixture
def make_task(act_as, unit_ids, user_ids):
    """``make_task(lead="WH-FGW", coop=["WH-ZJJ"], parent=None, by="supervisor", days=60)``."""

    def _make(*, by: str = "supervisor", **fields: Any) -> dict[str, Any]:
        resp = act_as(by).post(TASKS, task_body(unit_ids, **fields))
        assert resp.status_code == 201, resp.text
        return resp.json()

    return _make


def snapshot(db) -> tuple:
    """Everything a refused request must leave untouched."""
    db.expire_all()
    tasks = db.execute(select(Task.id, Task.status, Task.version, Task.progress, Task.lead_unit_id,
                              Task.deadline_date).order_by(Task.id)).all()
    assignments = db.execute(select(Assignment.id, Assignment.unit_id, Assignment.state)
                             .order_by(Assignment.id)).all()
    events = db.execute(select(func.count()).select_from(TaskEvent)).scalar_one()
    return tuple(tasks), tuple(assignments), events
