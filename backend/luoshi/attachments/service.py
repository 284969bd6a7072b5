"""Rules for attachments: who may add files where, what files are accepted, who may fetch them."""

import re
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

import luoshi.attachments.messages  # noqa: F401 - registers the error codes
from luoshi.attachments import storage
from luoshi.attachments.models import Attachment
from luoshi.attachments.sniff import EXTENSIONS, MEDIA_TYPES, FileKind, extension_of, sniff
from luoshi.errors import AppError, Conflict, NotFound, Unprocessable
from luoshi.reports import service as reports
from luoshi.reports.models import Report
from luoshi.security import CurrentUser, denied
from luoshi.settings import get_settings
from luoshi.tasks.access import TaskContext, add_event, flush, load_task, load_task_of
from luoshi.tasks.models import CLOSED_STATUSES
from luoshi.tasks.transitions import Refusal, Request

# Path separators, quotes and control characters have no place in a name sent back in a header.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]')


def _problem(status: int, code: str, **params: object) -> AppError:
    return AppError(code, status=status, params=params,
                    errors=[{"field": "file", "message": {"zh": "文件不符合要求", "en": "file rejected"}}])  # type: ignore[dict-item]


def clean_filename(name: str | None, kind: FileKind) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")[:200]
    return base or f"attachment.{kind.value}"


def _read_checked(stream: BinaryIO, filename: str | None) -> tuple[bytes, FileKind]:
    """The whole file, refused when too big (413), not an allowed type by content (415), or
    named as something it is not (422)."""
    limit = get_settings().attachment_max_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _problem(413, "attachments.too_large", limit=f"{limit // (1024 * 1024)} MB" if limit >= 1 << 20
                       else f"{limit} B")
    if not data:
        raise Unprocessable("attachments.empty", errors=[{"field": "file", "message": {  # type: ignore[dict-item]
            "zh": "文件为空", "en": "the file is empty"}}])
    kind = sniff(data)
    if kind is None:
        raise _problem(415, "attachments.type_not_allowed")
    ext = extension_of(filename or "")
    if ext and ext not in EXTENSIONS[kind]:
        raise Unprocessable("attachments.extension_mismatch", errors=[{"field": "file", "message": {  # type: ignore[dict-item]
            "zh": f"文件内容为 {kind.value}，扩展名却是 .{ext}",
            "en": f"the content is {kind.value} but the name ends in .{ext}"}}])
    return data, kind


def _save(
    session: Session, current: CurrentUser, ctx: TaskContext, stream: BinaryIO, filename: str | None,
    report: Report | None = None,
) -> Attachment:
    data, kind = _read_checked(stream, filename)
    sha256 = storage.store(data)
    attachment = Attachment(
        task_id=ctx.task.id, report_id=report.id if report else None, filename=clean_filename(filename, kind),
        kind=kind, media_type=MEDIA_TYPES[kind], size_bytes=len(data), sha256=sha256, unit_id=current.unit_id,
        uploaded_by_id=current.id,
    )
    session.add(attachment)
    flush(session)
    add_event(session, current, ctx.task, "attachment_added",
              payload={"attachment_id": attachment.id, "report_id": attachment.report_id,
                       "filename": attachment.filename, "sha256": sha256, "size_bytes": len(data)})
    flush(session)
    return attachment


def upload_to_task(
    session: Session, current: CurrentUser, task_id: int, stream: BinaryIO, filename: str | None,
) -> Attachment:
    ctx = load_task(session, current, task_id)
    refusal = ctx.check(Request.attach)
    if refusal == Refusal.forbidden:
        raise denied(current, "attachments:upload", "attachment")
    if refusal is not None:
        raise Conflict("attachments.task_closed")
    return _save(session, current, ctx, stream, filename)


def upload_to_report(
    session: Session, current: CurrentUser, report_id: int, stream: BinaryIO, filename: str | None,
) -> Attachment:
    ctx, report = reports.editable_report(session, current, report_id)
    return _save(session, current, ctx, stream, filename, report)


def list_for_task(session: Session, current: CurrentUser, task_id: int) -> Sequence[Attachment]:
    """The task's own files and those of the reports the caller may see."""
    ctx = load_task(session, current, task_id)
    visible_reports = select(Report.id).where(Report.task_id == task_id, reports.visible_condition(ctx, current))
    return session.execute(
        select(Attachment).where(
            Attachment.task_id == task_id,
            or_(Attachment.report_id.is_(None), Attachment.report_id.in_(visible_reports)),
        ).order_by(Attachment.id)
    ).scalars().all()


def for_download(session: Session, current: CurrentUser, attachment_id: int) -> tuple[Attachment, Path]:
    """The file, for those who may see its task (and its report): 404 for everyone else."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("attachments.not_found")
    ctx = load_task_of(session, current, attachment.task_id, "attachments.not_found")
    if attachment.report_id is not None and reports.visible_report(session, current, ctx, attachment.report_id) is None:
        raise NotFound("attachments.not_found")
    path = storage.path_for(attachment.sha256)
    if not path.is_file():
        raise NotFound("attachments.file_missing")
    return attachment, path


def remove(session: Session, current: CurrentUser, attachment_id: int) -> None:
    """Take a file off a report still being drafted, or off a task (its uploader's unit only).

    The bytes stay in the store: other records may name the same digest."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("attachments.not_found")
    if attachment.report_id is not None:
        ctx, _ = reports.editable_report(session, current, attachment.report_id)
    else:
        ctx = load_task_of(session, current, attachment.task_id, "attachments.not_found")
        if attachment.unit_id != current.unit_id:
            raise denied(current, "attachments:remove", "attachment")
        if ctx.task.status in CLOSED_STATUSES:
            raise Conflict("attachments.task_closed")
    add_event(session, current, ctx.task, "attachment_removed",
              payload={"attachment_id": attachment.id, "report_id": attachment.report_id,
                       "filename": attachment.filename, "sha256": attachment.sha256})
    session.delete(attachment)
    flush(session)
