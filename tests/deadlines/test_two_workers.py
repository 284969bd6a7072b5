"""Two workers scanning the same PostgreSQL database at the same moment, committing for real:
every event and every notification is written exactly once."""

import threading
from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from luoshi.db import make_engine
from luoshi.deadlines.jobs import deadline_tick, sync_tasks
from luoshi.deadlines.models import DeadlineEvent, Obligation
from luoshi.demo.load import load_org
from luoshi.notifications.models import Notification
from tests.deadlines.factory import issued_task
from tests.deadlines.test_scan import at_beijing

TASKS = 150


@pytest.fixture
def committed_pg(pg_database):  # type: ignore[no-untyped-def]
    engine = make_engine(pg_database)
    yield engine
    engine.dispose()


def _race(factory: sessionmaker[Session], job) -> list[dict]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(2)
    results: list[dict] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            with factory.begin() as session:
                results.append(job(session))
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_two_workers_never_send_twice(committed_pg, clock) -> None:
    factory = sessionmaker(bind=committed_pg, expire_on_commit=False)
    clock.set(at_beijing(2026, 9, 1))
    with factory.begin() as session:
        load_org(session)
        for i in range(TASKS):
            issued_task(session, deadline=date(2026, 10, 16), cycle="weekly", title=f"任务{i}")
    clock.advance(seconds=30)
    synced = _race(factory, sync_tasks)
    assert sorted(r.get("tasks", 0) for r in synced) == [0, TASKS]
    with factory() as session:
        total = session.execute(select(func.count()).select_from(Obligation)).scalar_one()
        assert total == TASKS * 2 * 8  # per unit: sign, six weekly reports, the final date
    # Day by day through National Day and beyond, both workers scan at once each day.
    for day in (date(2026, 9, 10), date(2026, 9, 29), date(2026, 10, 9), date(2026, 10, 13),
                date(2026, 10, 17), date(2026, 10, 22)):
        clock.set(at_beijing(day.year, day.month, day.day))
        results = _race(factory, deadline_tick)
        # Both ran at once; whichever got the scan lock wrote, the other wrote nothing.
        assert all(r["events"] >= 0 and r["notifications"] >= 0 for r in results)
    with factory() as session:
        dupes = session.execute(text(
            "SELECT count(*) FROM (SELECT obligation_id, kind, value, due_date FROM deadline_events "
            "GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d")).scalar_one()
        assert dupes == 0
        notes = session.execute(text(
            "SELECT count(*) FROM (SELECT recipient_id, obligation_id, kind, title FROM notifications "
            "GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d")).scalar_one()
        assert notes == 0
        # Every lead unit's final deadline climbed the whole ladder exactly once.
        rungs = session.execute(select(func.count()).select_from(DeadlineEvent).where(
            DeadlineEvent.kind == "ladder", DeadlineEvent.value == "office")).scalar_one()
        assert rungs == TASKS * 2  # lead and cooperating final dates each reach the last rung
        leader_notes = session.execute(select(func.count()).select_from(Notification).where(
            Notification.title.like("【预警·分管领导】%"))).scalar_one()
        assert leader_notes == TASKS
        # A further day with nothing new writes nothing.
        before = session.execute(select(func.count()).select_from(Notification)).scalar_one()
    results = _race(factory, deadline_tick)
    assert [r["claimed"] for r in results] == [0, 0]
    with factory() as session:
        assert session.execute(select(func.count()).select_from(Notification)).scalar_one() == before
