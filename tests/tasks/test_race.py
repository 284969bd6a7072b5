"""Two transitions on one task at the same moment, committing for real on PostgreSQL: never both.

Runs against a database of its own (created and dropped here), because the threads need to
see each other's commits, which the rolled-back test transaction would hide.
"""

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from luoshi.db import make_engine
from luoshi.deadlines.calendar import local_today
from luoshi.demo.load import load_org
from luoshi.errors import AppError
from luoshi.security import CurrentUser
from luoshi.tasks import lifecycle, service
from luoshi.tasks.models import Task, TaskEvent
from luoshi.tasks.schemas import TaskCreate, TransitionRequest
from luoshi.tasks.transitions import Action
from luoshi.users.models import User


@pytest.fixture
def factory(pg_database):  # type: ignore[no-untyped-def]
    engine = make_engine(pg_database)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def _caller(session: Session, username: str) -> CurrentUser:
    user = session.execute(select(User).where(User.username == username)).scalar_one()
    return CurrentUser.of(user)


def _attempt(factory, barrier: threading.Barrier, username: str, task_id: int, body: dict) -> int:  # type: ignore[no-untyped-def]
    with factory() as session:
        current = _caller(session, username)
        barrier.wait()
        try:
            lifecycle.transition(session, current, task_id, TransitionRequest(**body), None)
            session.commit()
            return 200
        except AppError as exc:
            session.rollback()
            return exc.status


def _race(factory, task_id: int, *attempts: tuple[str, dict]) -> list[int]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(len(attempts))
    results: list[int] = []
    threads = [threading.Thread(target=lambda u=u, b=b: results.append(_attempt(factory, barrier, u, task_id, b)))
               for u, b in attempts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(results)


@pytest.fixture
def slow_moves():
    """Hold every move a moment after its checks, so the second caller arrives while the first is inside."""
    def pause(_move) -> None:  # type: ignore[no-untyped-def]
        time.sleep(0.3)

    for hooks in lifecycle.GUARDS.values():
        hooks.append(pause)
    yield
    for hooks in lifecycle.GUARDS.values():
        hooks.remove(pause)


def test_concurrent_transitions_never_both_succeed(factory, slow_moves):
    with factory.begin() as session:
        load_org(session)
        session.flush()
        sup = _caller(session, "supervisor")
        lead = session.execute(select(User.unit_id).where(User.username == "fgw_liaison")).scalar_one()
        task = service.create_task(session, sup, TaskCreate(
            title="并发测试事项", lead_unit_id=lead, deadline=local_today().replace(year=local_today().year + 1)))
        task_id = task.id
        lifecycle.transition(session, sup, task_id, TransitionRequest(action=Action.issue), None)

    # The same move twice: the second finds the task already signed.
    assert _race(factory, task_id, ("fgw_liaison", {"action": "sign"}), ("fgw_head", {"action": "sign"})) == [200, 409]

    with factory() as session:
        version = session.get(Task, task_id).version  # type: ignore[union-attr]
    # Two different moves from the same version: one wins, the other is told the task changed.
    results = _race(factory, task_id,
                    ("supervisor", {"action": "suspend", "reason": "暂缓", "version": version}),
                    ("fgw_liaison", {"action": "submit", "version": version}))
    assert results[0] == 200 and results[1] in (409, 412)

    with factory() as session:
        task = session.get(Task, task_id)
        assert task is not None and task.version == version + 1
        events = session.execute(
            select(TaskEvent.action, func.count()).where(TaskEvent.task_id == task_id).group_by(TaskEvent.action)
        ).all()
        counts = dict(events)
        assert counts["sign"] == 1 and counts.get("suspend", 0) + counts.get("submit", 0) == 1
