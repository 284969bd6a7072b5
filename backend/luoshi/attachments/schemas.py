from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from luoshi.attachments.sniff import FileKind


class AttachmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    task_id: int
    report_id: int | None = Field(description="Set when the file belongs to a report")
    filename: str = Field(description="The name it was uploaded with")
    kind: FileKind = Field(description="The type found in the content (not taken from the name)")
    media_type: str
    size_bytes: int
    sha256: str = Field(description="SHA-256 of the content, hex")
    unit_id: int = Field(description="The uploader's unit")
    uploaded_by_id: int
    created_at: datetime
