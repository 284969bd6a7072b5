"""Two reviewers deciding one report at the same moment, committing for real on PostgreSQL:
exactly one decision lands (the report's version column), the other is told to reload."""

import threading
import time

import pytest
from sqlalchemy import func, select

from luoshi.demo.load import load_org
from luoshi.errors import AppError
from luoshi.reports import service
from luoshi.reports.models import Report
from luoshi.reports.schemas import ReportCreate, ReportReview
from luoshi.tasks.models import TaskEvent
from tests.reports.factory import make_task
from tests.tasks.test_race import _caller, factory  # noqa: F401 - the PostgreSQL database of its own


@pytest.fixture
def slow_checks(monkeypatch):
    """Hold each decision a moment after its checks, so the second arrives while the first is inside."""
    checks = service._may

    def slow(*args):  # type: ignore[no-untyped-def]
        allowed = checks(*args)
        time.sleep(0.3)
        return allowed

    monkeypatch.setattr(service, "_may", slow)


def _decide(factory, barrier, report_id, decision):  # type: ignore[no-untyped-def]  # noqa: F811
    with factory() as session:
        current = _caller(session, "supervisor")
        barrier.wait()
        try:
            service.review(session, current, report_id, ReportReview(decision=decision, reason="再核实"))
            session.commit()
            return 200
        except AppError as exc:
            session.rollback()
            return exc.status


def test_two_reviews_never_both_land(factory, slow_checks):  # noqa: F811
    with factory() as session:
        load_org(session)
        session.commit()
        task = make_task(session, cooperating=())
        zjj = _caller(session, "zjj_liaison")
        report = service.create_report(session, zjj, task.id, ReportCreate(progress_text="进展"))
        service.submit(session, zjj, report.id)
        session.commit()
    barrier = threading.Barrier(2)
    results: list[int] = []
    threads = [threading.Thread(target=lambda d=d: results.append(_decide(factory, barrier, report.id, d)))
               for d in ("accept", "return")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [200, 409]
    with factory() as session:
        stored = session.get(Report, report.id)
        assert stored is not None and stored.status in ("accepted", "returned") and stored.version == 3
        decided = session.execute(select(func.count()).select_from(TaskEvent).where(
            TaskEvent.action.in_(["report_accepted", "report_returned"]))).scalar_one()
        assert decided == 1
