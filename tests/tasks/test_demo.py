"""The demo programmes load through the real services and show a living system."""

from sqlalchemy import func, select

from luoshi.demo.tasks import load_tasks
from luoshi.tasks.deadline_state import DeadlineClock
from luoshi.tasks.models import Task, TaskEvent, TaskStatus
from tests.tasks.conftest import TASKS


def test_demo_tasks_cover_every_status_and_deadline_state(org, act_as):
    load_tasks(org)
    org.commit()
    tasks = org.execute(select(Task)).scalars().all()
    assert {t.status for t in tasks} == set(TaskStatus)
    clock = DeadlineClock.now()
    states = {clock.of(t) for t in tasks}
    assert {"overdue", "due_soon", "normal", "on_time", "late"} <= states
    assert any(t.return_count for t in tasks) and max(t.depth for t in tasks) >= 3
    assert org.execute(select(func.count()).select_from(TaskEvent)).scalar_one() > len(tasks)
    # The Shanwei office sees its six command HQs, and not Wuhan's programme.
    roots = act_as("sw_supervisor").get(TASKS, params={"q": "指挥部", "limit": 50}).json()["items"]
    assert len([t for t in roots if t["depth"] == 0]) == 6
    assert not act_as("sw_supervisor").get(TASKS, params={"q": "大调研"}).json()["items"]
    wuhan = act_as("supervisor").get(TASKS, params={"q": "大调研大落实"}).json()["items"]
    tree = act_as("supervisor").get(f"{TASKS}/{wuhan[-1]['root_id']}/tree").json()
    assert tree["rollup"]["overdue_count"] >= 1 and tree["rollup"]["worst_deadline_state"] == "overdue"
