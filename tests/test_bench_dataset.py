"""The benchmark's dataset (``make bench``) is written with raw bulk inserts, so nothing but a
run would notice it drifting from the schema or the loop's rules. Here a small one is built in a
database of its own, on each backend, and read back through the app: every to-do queue the
office and a unit work from has what the dataset put in it, and the records agree with each other.
"""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from bench.dataset import TODAY, Dataset, generate
from luoshi.db import make_engine, session_factory
from luoshi.deadlines.calendar import local_date
from luoshi.deadlines.models import Obligation
from luoshi.demo.load import load_org
from luoshi.disputes.models import Dispute
from luoshi.extensions.models import ExtensionRequest
from luoshi.main import create_app
from luoshi.org.models import Unit
from luoshi.reports.models import Report
from luoshi.supervision.models import CoordinationRequest
from luoshi.tasks.models import Assignment, Task
from tests.conftest import _migrated, token_for

OPEN = ("assigned", "in_progress", "pending_review")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def bench_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with _migrated(request.param, tmp_path_factory.mktemp("bench")) as url:
        engine = make_engine(url)
        with Session(engine) as session:
            load_org(session)
            session.commit()
        try:
            yield engine
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def dataset(bench_engine: Engine) -> Dataset:
    return generate(bench_engine, total_tasks=3000, big_tree=600, obligations=9000, units=200)


@pytest.fixture(scope="module")
def client(bench_engine: Engine, dataset: Dataset) -> Iterator[TestClient]:
    app = create_app()

    async def _factory():
        return lambda writes: Session(bench_engine, expire_on_commit=False)

    app.dependency_overrides[session_factory] = _factory
    with TestClient(app) as c:
        yield c


def _count(engine: Engine, model, *where) -> int:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def _todo(client: TestClient, engine: Engine, username: str) -> dict[str, int]:
    with Session(engine) as session:
        token = token_for(session, username)
    resp = client.get("/api/v1/todo", params={"limit": 5}, headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    return {group["kind"]: group["count"] for group in resp.json()["groups"]}


def test_the_counts_reported_are_what_was_written(bench_engine: Engine, dataset: Dataset) -> None:
    assert (dataset.tasks, dataset.units, dataset.obligations) == (3000, 200, 9000)
    assert _count(bench_engine, Task) == 3000
    assert _count(bench_engine, Report) == dataset.reports > 0
    assert _count(bench_engine, ExtensionRequest) == dataset.extension_requests > 0
    assert _count(bench_engine, Dispute) == dataset.disputes > 0
    assert _count(bench_engine, CoordinationRequest) == dataset.coordination_requests > 0


def test_each_met_report_date_points_at_a_report_sent_for_it(bench_engine: Engine, dataset: Dataset) -> None:
    with Session(bench_engine) as session:
        met = session.execute(select(Obligation.fulfilled_ref, Obligation.task_id, Obligation.unit_id,
                                     Obligation.due_date, Obligation.state)
                              .where(Obligation.fulfilled_at.is_not(None))).all()
        reports = {r.id: r for r in session.execute(select(Report.id, Report.task_id, Report.unit_id,
                                                            Report.status, Report.submitted_at))}
        open_past = session.execute(select(func.count()).select_from(Obligation).where(
            Obligation.closed_at.is_(None), Obligation.due_date < TODAY,
            Obligation.state != "overdue")).scalar_one()
    assert met and len(met) < dataset.obligations
    for ref, task_id, unit_id, due, state in met:
        report = reports[int(ref.removeprefix("report:"))]
        assert (report.task_id, report.unit_id) == (task_id, unit_id)
        assert report.status != "pending_unit_approval" and report.submitted_at is not None
        assert state == ("on_time" if local_date(report.submitted_at) <= due else "late")
    assert open_past == 0  # a date passed and not met is red


def test_pending_disputes_and_approved_extensions_agree_with_their_tasks(bench_engine: Engine,
                                                                         dataset: Dataset) -> None:
    with Session(bench_engine) as session:
        disputed = session.execute(
            select(Task.status, Assignment.state).select_from(Dispute)
            .join(Assignment, Assignment.task_id == Dispute.task_id).join(Task, Task.id == Dispute.task_id)
            .where(Dispute.status == "pending", Assignment.unit_id == Dispute.unit_id)).all()
        extended = session.execute(
            select(Task.deadline_date, Task.original_deadline_date, ExtensionRequest.requested_deadline_date)
            .join(Task, Task.id == ExtensionRequest.task_id).where(ExtensionRequest.status == "approved")).all()
    assert disputed and set(disputed) == {("assigned", "disputed")}
    assert extended
    for deadline, original, requested in extended:
        assert deadline == requested and original < deadline


def test_the_office_finds_every_waiting_queue_on_its_todo(client: TestClient, bench_engine: Engine) -> None:
    groups = _todo(client, bench_engine, "supervisor")
    open_task = Task.status.in_(OPEN)
    with Session(bench_engine) as session:
        def count(model, *where) -> int:  # type: ignore[no-untyped-def]
            return session.execute(select(func.count()).select_from(model).join(Task, Task.id == model.task_id)
                                   .where(open_task, *where)).scalar_one()

        to_review = count(Report, Report.status == "submitted", Report.capacity == "lead")
        extensions = count(ExtensionRequest, ExtensionRequest.status == "pending")
        awaiting_approval = session.execute(
            select(func.count()).select_from(Task).where(Task.status == "pending_review")).scalar_one()
        disputes = count(Dispute, Dispute.status == "pending")
        coordination = count(CoordinationRequest, CoordinationRequest.status == "submitted")
    assert min(to_review, extensions, disputes, coordination) > 0
    assert groups["review"] == to_review
    assert groups["approve"] == extensions + awaiting_approval
    assert groups["respond"] == disputes + coordination


def test_a_unit_finds_what_it_owes_and_its_partners_parts(client: TestClient, bench_engine: Engine) -> None:
    groups = _todo(client, bench_engine, "fgw_liaison")
    with Session(bench_engine) as session:
        fgw = session.execute(select(Unit.id).where(Unit.code == "WH-FGW")).scalar_one()

        def count(query) -> int:  # type: ignore[no-untyped-def]
            return session.execute(select(func.count()).select_from(query.subquery())).scalar_one()

        to_sign = count(select(Assignment.id).join(Task).where(
            Assignment.unit_id == fgw, Assignment.state == "assigned", Task.status.in_(OPEN)))
        leading = count(select(Task.id).where(Task.lead_unit_id == fgw, Task.status == "in_progress"))
        parts_owed = count(select(Assignment.id).join(Task).where(
            Assignment.unit_id == fgw, Assignment.state == "signed", Assignment.capacity == "cooperating",
            Task.status.in_(("assigned", "in_progress"))))
        parts_in = count(select(Report.id).join(Task, Task.id == Report.task_id).where(
            Task.lead_unit_id == fgw, Task.status.in_(OPEN), Report.capacity == "cooperating",
            Report.status == "submitted"))
    assert leading > 0 and parts_in > 0
    assert groups["sign"] == to_sign
    assert groups["report"] == leading + parts_owed
    assert groups["review"] == parts_in


def _sqlite_todo_plan(client: TestClient, engine: Engine, username: str) -> list[str]:
    """The steps of SQLite's plan for ``username``'s to-do statement."""
    sent: list[str] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "UNION ALL" in statement:
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert set(_todo(client, engine, username)) == {"sign", "report", "review", "respond", "approve"}
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    [statement] = sent
    # The fences' LIMIT -1 is bound; the to-do's other values are written into the statement.
    with engine.connect() as conn:
        return [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, (-1,) * statement.count("?"))]


@pytest.mark.parametrize("bench_engine", ["sqlite"], indirect=True)
def test_sqlite_reads_the_offices_queues_through_their_indexes(client: TestClient, bench_engine: Engine) -> None:
    """The city office issued nearly every task. Offered the jurisdiction's issuers as an index
    key, SQLite scanned every task for those awaiting approval (``db.sqlite_unindexed``); they
    are ranked from an index alone, the issuer tested there too (migration 0011). The reports
    waiting for review come from their index alone (migration 0009), and each probes its task."""
    plan = _sqlite_todo_plan(client, bench_engine, "supervisor")
    on_tasks = [step for step in plan if " tasks " in f"{step} "]
    assert "SEARCH tasks USING COVERING INDEX ix_tasks_status_deadline_issuer (status=?)" in on_tasks
    assert "SCAN tasks" not in on_tasks
    assert all(step == "SEARCH tasks USING INTEGER PRIMARY KEY (rowid=?)" for step in on_tasks
               if "ix_tasks_status_deadline_issuer" not in step)
    assert "SEARCH reports USING COVERING INDEX ix_reports_review_queue (status=? AND capacity=?)" in plan


@pytest.mark.parametrize("bench_engine", ["sqlite"], indirect=True)
def test_sqlite_ranks_a_units_assignments_from_their_index_alone(client: TestClient, bench_engine: Engine) -> None:
    """The parts a unit owes are found by unit, state and capacity, and counted and ranked from
    the index (migration 0010); only the rows the to-do shows are read from the table, by id."""
    plan = _sqlite_todo_plan(client, bench_engine, "fgw_liaison")
    on_assignments = [step for step in plan if " task_assignments " in f"{step} "]
    by_id = "SEARCH task_assignments USING INTEGER PRIMARY KEY (rowid=?)"
    assert [step for step in on_assignments if step != by_id] == [
        "SEARCH task_assignments USING COVERING INDEX ix_task_assignments_unit_queue (unit_id=? AND state=?)",
        "SEARCH task_assignments USING COVERING INDEX ix_task_assignments_unit_queue "
        "(unit_id=? AND state=? AND capacity=?)",
    ]
    assert on_assignments.count(by_id) == 2  # each part's top rows


@pytest.mark.parametrize("bench_engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("status", ["suspended", "pending_review"])
def test_sqlite_lists_a_status_newest_first_through_the_status_index(client: TestClient, bench_engine: Engine,
                                                                     status: str) -> None:
    """``ix_tasks_status`` is not made redundant by ``ix_tasks_status_deadline_issuer``, which
    also leads with the status: SQLite's index on the status alone holds each status's tasks
    in id order, the list's order, so a page is read from its top. Without it SQLite scanned
    every task for a status few tasks are in (on the bench dataset a list of suspended tasks
    took 34 ms instead of 0.01)."""
    with Session(bench_engine) as session:
        token = token_for(session, "supervisor")
    sent: list[tuple[str, tuple]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "ORDER BY tasks.id DESC" in statement:
            sent.append((statement, parameters))

    event.listen(bench_engine, "before_cursor_execute", capture)
    try:
        resp = client.get("/api/v1/tasks", params={"status": status, "limit": 50},
                          headers={"Authorization": f"Bearer {token}"})
    finally:
        event.remove(bench_engine, "before_cursor_execute", capture)
    assert resp.status_code == 200
    assert {item["status"] for item in resp.json()["items"]} <= {status}
    [(statement, parameters)] = sent
    with bench_engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    assert "SEARCH tasks USING INDEX ix_tasks_status (status=?)" in plan
    assert not any(step.startswith("USE TEMP B-TREE FOR ORDER BY") for step in plan)
