"""Rules for reports back: who writes, who approves, who receives, and what each step changes."""


from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from luoshi.audit.service import record
from luoshi.clock import utcnow
from luoshi.errors import Conflict, NotFound, PreconditionFailed, Unprocessable
from luoshi.pagination import decode_cursor, encode_cursor
from luoshi.permissions import Permission
from luoshi.reports import repository as repo
from luoshi.reports import task_hooks  # noqa: F401 - the task loop's hooks go with the report rules
from luoshi.reports.consolidation import consolidate
from luoshi.reports.messages import ACTION_NAMES, STATUS_NAMES, named
from luoshi.reports.models import EDITABLE, REPORT_TEXT_FIELDS, UNSENT, Report, ReportCapacity, ReportKind, ReportStatus
from luoshi.reports.moves import move
from luoshi.reports.rules import REASON_REQUIRED, WHO, Actor, ReportAction, target
from luoshi.reports.schemas import Consolidation, ReportCreate, ReportRead, ReportReview, ReportUpdate, UnitApproval
from luoshi.security import CurrentUser, denied
from luoshi.settings import get_settings
from luoshi.tasks.access import TaskContext, add_event, conflict_on_stale, flush, load_task, load_task_of
from luoshi.tasks.models import TaskStatus
from luoshi.tasks.transitions import Party, Refusal, Request


def _field_error(field: str, zh: str, en: str, code: str = "reports.incomplete") -> Unprocessable:
    return Unprocessable(code, errors=[{"field": field, "message": {"zh": zh, "en": en}}])  # type: ignore[dict-item]


def _visible(ctx: TaskContext, current: CurrentUser, report: Report) -> bool:
    """A unit sees its own reports in every state; once sent, a report is seen by everyone who
    sees the task in full, except that a cooperating unit sees only its own."""
    if ctx.is_participant and report.unit_id == current.unit_id:
        return True
    return report.status not in UNSENT and not (ctx.is_cooperating and not ctx.is_lead)


def visible_condition(ctx: TaskContext, current: CurrentUser) -> ColumnElement[bool]:
    """The SQL form of ``_visible`` for the reports of one task."""
    own_unit = current.unit_id if ctx.is_participant else None
    return repo.visible_condition(own_unit, sees_sent=not (ctx.is_cooperating and not ctx.is_lead))


def _may(ctx: TaskContext, current: CurrentUser, report: Report, actor: Actor) -> bool:
    own = ctx.is_participant and report.unit_id == current.unit_id
    if actor is Actor.author:
        return own and current.can(Permission.tasks_handle)
    if actor is Actor.unit_head:
        return own and current.can(Permission.reports_approve_unit)
    if report.capacity == ReportCapacity.lead:
        # The office reviews; for a decomposed task the unit that decomposed it does.
        return ctx.is_manager and (current.can(Permission.reports_review) or Party.issuing_unit in ctx.parties)
    return ctx.is_lead and current.can(Permission.tasks_handle)


def allowed_actions(ctx: TaskContext, current: CurrentUser, report: Report) -> list[str]:
    status = ReportStatus(report.status)
    actions = ["edit"] if status in EDITABLE and _may(ctx, current, report, Actor.author) else []
    for action, actor in WHO.items():
        if target(status, action) is not None and _may(ctx, current, report, actor):
            actions.append(action.value)
    return actions


def present(ctx: TaskContext, current: CurrentUser, report: Report) -> ReportRead:
    read = ReportRead.model_validate(report)
    read.allowed_actions = allowed_actions(ctx, current, report)
    return read


def _load(session: Session, current: CurrentUser, report_id: int) -> tuple[TaskContext, Report]:
    report = repo.get(session, report_id)
    if report is None:
        raise NotFound("reports.not_found")
    ctx = load_task_of(session, current, report.task_id, "reports.not_found")
    if not _visible(ctx, current, report):
        raise NotFound("reports.not_found")
    return ctx, report


def visible_report(session: Session, current: CurrentUser, ctx: TaskContext, report_id: int) -> Report | None:
    report = repo.get(session, report_id)
    return report if report is not None and _visible(ctx, current, report) else None


def editable_report(session: Session, current: CurrentUser, report_id: int) -> tuple[TaskContext, Report]:
    """A report the caller's unit may still change (to attach a file): 404, 403 or 409 otherwise."""
    ctx, report = _load(session, current, report_id)
    if not _may(ctx, current, report, Actor.author):
        raise denied(current, Permission.tasks_handle.value, "report")
    if report.status not in EDITABLE:
        raise Conflict("reports.not_editable")
    return ctx, report


def list_reports(
    session: Session, current: CurrentUser, task_id: int, *, cursor: str | None, limit: int,
) -> tuple[list[ReportRead], str | None]:
    ctx = load_task(session, current, task_id)
    before = decode_cursor(cursor, 1)
    visible = visible_condition(ctx, current)
    rows = repo.page(session, task_id, visible, before_id=int(before[0]) if before else None, limit=limit + 1)
    next_cursor = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return [present(ctx, current, r) for r in rows[:limit]], next_cursor


def get_report(session: Session, current: CurrentUser, report_id: int) -> ReportRead:
    ctx, report = _load(session, current, report_id)
    return present(ctx, current, report)


def _require_in_progress(ctx: TaskContext) -> None:
    if ctx.task.status != TaskStatus.in_progress:
        raise Conflict("reports.task_not_in_progress")


def _apply(report: Report, data: ReportCreate | ReportUpdate | Consolidation, only_set: bool) -> None:
    values = data.model_dump(exclude_unset=only_set, include=set(REPORT_TEXT_FIELDS))
    for name, value in values.items():
        if value is None and name != "percent_done":
            value = ""
        setattr(report, name, value)


def create_report(session: Session, current: CurrentUser, task_id: int, data: ReportCreate) -> ReportRead:
    ctx = load_task(session, current, task_id)
    refusal = ctx.check(Request.report)
    if refusal == Refusal.forbidden:
        raise denied(current, Permission.tasks_handle.value, "report")
    if data.consolidate and not ctx.is_lead:
        raise denied(current, "reports:consolidate", "report")
    _require_in_progress(ctx)
    assert ctx.assignment is not None
    if refusal is not None:  # in progress, so the unit's own row has not been signed for
        raise Conflict("reports.not_signed")
    if repo.open_report(session, task_id, current.unit_id) is not None:
        raise Conflict("reports.open_exists")
    report = Report(
        task_id=task_id, unit_id=current.unit_id, capacity=ctx.assignment.capacity, kind=data.kind,
        status=ReportStatus.draft, created_by_id=current.id, updated_by_id=current.id,
        progress_text="", problems="", next_steps="", support_needed="", highlights_good="",
        highlights_bad="", source_report_ids=[],
    )
    if data.consolidate:
        prefill = consolidate(session, ctx, ReportKind(data.kind))
        _apply(report, prefill, only_set=False)
        report.source_report_ids = prefill.source_report_ids
    _apply(report, data, only_set=True)
    session.add(report)
    flush(session)
    add_event(session, current, ctx.task, "report_drafted", assignment_id=ctx.assignment.id,
              payload={"report_id": report.id, "kind": report.kind, "consolidated": data.consolidate})
    flush(session)
    return present(ctx, current, report)


def update_report(
    session: Session, current: CurrentUser, report_id: int, data: ReportUpdate, if_match: str | None,
) -> ReportRead:
    ctx, report = _load(session, current, report_id)
    if not _may(ctx, current, report, Actor.author):
        raise denied(current, Permission.tasks_handle.value, "report")
    if report.status not in EDITABLE:
        raise Conflict("reports.not_editable")
    if if_match is not None and if_match.strip('W/"') != str(report.version):
        raise PreconditionFailed()
    _apply(report, data, only_set=True)
    if data.kind is not None:
        report.kind = data.kind
    report.updated_by_id = current.id
    flush(session)
    record(session, "report.update", current.actor, target_type="report", target_id=report.id,
           detail={"task_id": report.task_id, "fields": sorted(data.model_fields_set)})
    return present(ctx, current, report)


def consolidation(session: Session, current: CurrentUser, task_id: int, kind: ReportKind) -> Consolidation:
    ctx = load_task(session, current, task_id)
    if not (ctx.is_lead and current.can(Permission.tasks_handle)):
        raise denied(current, "reports:consolidate", "report")
    return consolidate(session, ctx, kind)


def _check_complete(report: Report) -> None:
    if not report.progress_text.strip():
        raise _field_error("progress_text", "请填写进展情况", "the progress narrative is required")
    if report.kind == ReportKind.completion:
        if report.percent_done is None:
            report.percent_done = 100
        if report.percent_done != 100:
            raise _field_error("percent_done", "办结报告的完成进度应为 100", "a completion report is 100% done")


def _act(
    session: Session, current: CurrentUser, report_id: int, action: ReportAction, reason: str | None = None,
) -> tuple[TaskContext, Report]:
    ctx, report = _load(session, current, report_id)
    if not _may(ctx, current, report, WHO[action]):
        raise denied(current, f"reports:{action.value}", "report")
    to = target(ReportStatus(report.status), action)
    if to is None:
        raise Conflict("reports.invalid_transition", params={
            "status": named(STATUS_NAMES, report.status), "action": named(ACTION_NAMES, action.value)})
    if action in REASON_REQUIRED and not (reason or "").strip():
        raise _field_error("reason", "退回须说明理由", "a reason is required to return", "validation.failed")
    if action == ReportAction.submit:
        _require_in_progress(ctx)
        _check_complete(report)
        if get_settings().unit_head_approval_required:
            if not current.can(Permission.reports_approve_unit):
                to = ReportStatus.pending_unit_approval
            else:  # the unit head sends it: that is the approval (单位把关)
                report.unit_approved_by_id, report.unit_approved_at = current.id, utcnow()
    elif ctx.task.status not in (TaskStatus.in_progress, TaskStatus.pending_review):
        raise Conflict("reports.task_not_in_progress")
    with conflict_on_stale():
        move(session, current.actor, ctx.task, report, action, to, reason)
    return ctx, report


def submit(session: Session, current: CurrentUser, report_id: int) -> ReportRead:
    ctx, report = _act(session, current, report_id, ReportAction.submit)
    return present(ctx, current, report)


def approve_unit(session: Session, current: CurrentUser, report_id: int, data: UnitApproval) -> ReportRead:
    action = ReportAction.approve_unit if data.decision == "approve" else ReportAction.return_unit
    ctx, report = _act(session, current, report_id, action, data.reason)
    return present(ctx, current, report)


def review(session: Session, current: CurrentUser, report_id: int, data: ReportReview) -> ReportRead:
    action = ReportAction.accept if data.decision == "accept" else ReportAction.return_
    ctx, report = _act(session, current, report_id, action, data.reason)
    return present(ctx, current, report)
