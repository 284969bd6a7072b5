from typing import Annotated

from fastapi import Header, Query
from sqlalchemy.orm import Session

from luoshi.db import SessionDep
from luoshi.pagination import Page
from luoshi.reports import service
from luoshi.reports import todo as _todo  # noqa: F401 - registers the to-do provider
from luoshi.reports.models import ReportKind
from luoshi.reports.schemas import Consolidation, ReportCreate, ReportRead, ReportReview, ReportUpdate, UnitApproval
from luoshi.routing import Router
from luoshi.security import CredentialsDep, CurrentUser, CurrentUserDep, in_one_trip

router = Router(prefix="/api/v1", tags=["reports"])


@router.get("/tasks/{task_id}/reports", operation_id="reports-list", response_model=Page[ReportRead])
async def list_reports(
    task_id: int,
    session: SessionDep,
    credentials: CredentialsDep,
    cursor: Annotated[str | None, Query(description="From `next_cursor` of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ReportRead]:
    """The task's reports the caller may see, newest first."""
    return await in_one_trip(session, credentials, _reports, task_id, cursor, limit)


def _reports(session: Session, current: CurrentUser, task_id: int, cursor: str | None,
             limit: int) -> Page[ReportRead]:
    items, next_cursor = service.list_reports(session, current, task_id, cursor=cursor, limit=limit)
    return Page[ReportRead](items=items, next_cursor=next_cursor)


@router.post("/tasks/{task_id}/reports", operation_id="reports-create", response_model=ReportRead, status_code=201)
def create_report(task_id: int, data: ReportCreate, session: SessionDep, current: CurrentUserDep):
    """Start a draft report for the caller's unit (the lead unit may pre-fill it from its cooperating units)."""
    return service.create_report(session, current, task_id, data)


@router.get("/tasks/{task_id}/reports/consolidation", operation_id="reports-consolidation",
            response_model=Consolidation)
async def consolidation(
    task_id: int,
    session: SessionDep,
    credentials: CredentialsDep,
    kind: Annotated[ReportKind, Query(description="The kind of report to pre-fill")] = ReportKind.progress,
) -> Consolidation:
    """The lead unit's report pre-filled from the cooperating units' latest reports (nothing is saved)."""
    return await in_one_trip(session, credentials, service.consolidation, task_id, kind)


@router.get("/reports/{report_id}", operation_id="reports-get", response_model=ReportRead)
def get_report(report_id: int, session: SessionDep, current: CurrentUserDep):
    """One report with its attachments and what the caller may do with it."""
    return service.get_report(session, current, report_id)


@router.patch("/reports/{report_id}", operation_id="reports-update", response_model=ReportRead)
def update_report(
    report_id: int,
    data: ReportUpdate,
    session: SessionDep,
    current: CurrentUserDep,
    if_match: Annotated[str | None, Header(description="The report's version; 412 if it changed")] = None,
):
    """Edit a draft (or a returned report) of the caller's unit."""
    return service.update_report(session, current, report_id, data, if_match)


@router.post("/reports/{report_id}/submit", operation_id="reports-submit", response_model=ReportRead)
def submit_report(report_id: int, session: SessionDep, current: CurrentUserDep):
    """Send the report on: to the unit head first when the office requires it (单位把关), else to its recipient."""
    return service.submit(session, current, report_id)


@router.post("/reports/{report_id}/approve-unit", operation_id="reports-approve-unit", response_model=ReportRead)
def approve_unit(report_id: int, session: SessionDep, current: CurrentUserDep, data: UnitApproval | None = None):
    """The unit head approves the report (单位把关) or returns it to the drafter with a reason."""
    return service.approve_unit(session, current, report_id, data or UnitApproval())


@router.post("/reports/{report_id}/review", operation_id="reports-review", response_model=ReportRead)
def review_report(report_id: int, data: ReportReview, session: SessionDep, current: CurrentUserDep):
    """The recipient accepts the report, or returns it with a reason (counted against the unit)."""
    return service.review(session, current, report_id, data)
