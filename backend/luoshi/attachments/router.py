from fastapi import File, Response, UploadFile
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from luoshi.attachments import service
from luoshi.attachments.schemas import AttachmentRead
from luoshi.db import SessionDep
from luoshi.downloads import content_disposition
from luoshi.routing import Router
from luoshi.security import CredentialsDep, CurrentUser, CurrentUserDep, in_one_trip

router = Router(prefix="/api/v1", tags=["attachments"])
UPLOAD = File(description="pdf, ofd, doc, docx, xls, xlsx, jpg or png, judged by content; size limited")


@router.get("/tasks/{task_id}/attachments", operation_id="attachments-list", response_model=list[AttachmentRead])
async def list_attachments(task_id: int, session: SessionDep, credentials: CredentialsDep) -> Response:
    """The task's files and those of the reports the caller may see."""
    return await in_one_trip(session, credentials, _attachments, task_id)


def _attachments(session: Session, current: CurrentUser, task_id: int) -> list[AttachmentRead]:
    return [AttachmentRead.model_validate(a) for a in service.list_for_task(session, current, task_id)]


@router.post("/tasks/{task_id}/attachments", operation_id="attachments-upload-task", response_model=AttachmentRead,
             status_code=201)
def upload_to_task(task_id: int, session: SessionDep, current: CurrentUserDep, file: UploadFile = UPLOAD):
    """Attach a file to the task (multipart/form-data, field `file`)."""
    return service.upload_to_task(session, current, task_id, file.file, file.filename)


@router.post("/reports/{report_id}/attachments", operation_id="attachments-upload-report",
             response_model=AttachmentRead, status_code=201)
def upload_to_report(report_id: int, session: SessionDep, current: CurrentUserDep, file: UploadFile = UPLOAD):
    """Attach a file to a report the caller's unit is still drafting."""
    return service.upload_to_report(session, current, report_id, file.file, file.filename)


@router.get("/attachments/{attachment_id}/download", operation_id="attachments-download",
            response_class=FileResponse, responses={200: {"content": {"application/octet-stream": {}}}})
def download(attachment_id: int, session: SessionDep, current: CurrentUserDep):
    """The file itself, for those who may see its task."""
    attachment, path = service.for_download(session, current, attachment_id)
    return FileResponse(path, media_type=attachment.media_type, headers={
        "Content-Disposition": content_disposition(attachment.filename),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
    })


@router.delete("/attachments/{attachment_id}", operation_id="attachments-delete", status_code=204)
def delete_attachment(attachment_id: int, session: SessionDep, current: CurrentUserDep) -> None:
    """Remove a file from a report still being drafted, or one the caller's unit added to a task."""
    service.remove(session, current, attachment_id)
