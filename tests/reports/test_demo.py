"""The demo shows reports in every state, decided extensions and disputes."""

from sqlalchemy import select

from luoshi.demo.reports import load_reports
from luoshi.demo.tasks import load_tasks
from luoshi.disputes.models import Dispute
from luoshi.extensions.models import ExtensionRequest
from luoshi.reports.models import Report, ReportStatus
from luoshi.tasks.models import Task


def test_demo_reports_extensions_and_disputes(org, client, as_user):
    load_tasks(org)
    load_reports(org)
    org.commit()
    assert set(org.execute(select(Report.status)).scalars()) == set(ReportStatus)
    assert {"approved", "rejected", "pending"} <= set(org.execute(select(ExtensionRequest.status)).scalars())
    assert {"pending", "rejected", "reassigned"} <= set(org.execute(select(Dispute.status)).scalars())
    approved = org.execute(select(ExtensionRequest).where(ExtensionRequest.status == "approved")).scalar_one()
    task = org.get(Task, approved.task_id)
    assert task.deadline_date == approved.requested_deadline_date
    assert task.original_deadline_date == approved.current_deadline_date
    # The unit head finds the report waiting for approval; the office sees what was sent.
    waiting = org.execute(select(Report).where(Report.status == "pending_unit_approval")).scalar_one()
    resp = client.get(f"/api/v1/reports/{waiting.id}", headers=as_user("fgw_head"))
    assert resp.status_code == 200 and "approve_unit" in resp.json()["allowed_actions"]
    # Every task the office completed carries the completion report it accepted.
    completed = org.execute(select(Task.id).where(Task.status == "completed")).scalars().all()
    accepted = set(org.execute(select(Report.task_id).where(
        Report.kind == "completion", Report.status == "accepted")).scalars())
    assert completed and set(completed) <= accepted
