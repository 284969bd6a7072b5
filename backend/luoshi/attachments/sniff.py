"""What a file is, judged by its bytes rather than its name.

The allowed kinds are the ones offices exchange: pdf, ofd (版式文件, GB/T 33190), doc, docx,
xls, xlsx, jpg, png. OFD, docx and xlsx are all zip containers and doc and xls are both OLE2
compound files, so the container is opened far enough to tell them apart: a zip's central
directory names its parts, an OLE2 directory names its streams.
"""

import io
import zipfile
from enum import StrEnum


class FileKind(StrEnum):
    pdf = "pdf"
    ofd = "ofd"
    doc = "doc"
    docx = "docx"
    xls = "xls"
    xlsx = "xlsx"
    jpg = "jpg"
    png = "png"


MEDIA_TYPES: dict[FileKind, str] = {
    FileKind.pdf: "application/pdf",
    FileKind.ofd: "application/ofd",
    FileKind.doc: "application/msword",
    FileKind.docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.xls: "application/vnd.ms-excel",
    FileKind.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.jpg: "image/jpeg",
    FileKind.png: "image/png",
}

# The extensions a file of each kind may carry; anything else means the name lies.
EXTENSIONS: dict[FileKind, frozenset[str]] = {
    FileKind.pdf: frozenset({"pdf"}),
    FileKind.ofd: frozenset({"ofd"}),
    FileKind.doc: frozenset({"doc"}),
    FileKind.docx: frozenset({"docx"}),
    FileKind.xls: frozenset({"xls"}),
    FileKind.xlsx: frozenset({"xlsx"}),
    FileKind.jpg: frozenset({"jpg", "jpeg"}),
    FileKind.png: frozenset({"png"}),
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A real office container has a few hundred parts at most; more is a decoy or a bomb.
MAX_ZIP_ENTRIES = 5000


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _ole2_kind(data: bytes) -> FileKind | None:
    """Stream names sit in the OLE2 directory as UTF-16LE; Word has WordDocument, Excel a Workbook."""
    if _utf16("WordDocument") in data:
        return FileKind.doc
    if _utf16("Workbook") in data or _utf16("Book\x00") in data:
        return FileKind.xls
    return None


def _zip_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return None
            names = {info.filename.lstrip("/") for info in infos}
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return FileKind.docx
        if "xl/workbook.xml" in names:
            return FileKind.xlsx
        return None
    # OFD: the entry file OFD.xml at the root and at least one document under Doc_N/.
    if "OFD.xml" in names and any(n.startswith("Doc_") and n.endswith("Document.xml") for n in names):
        return FileKind.ofd
    return None


def sniff(data: bytes) -> FileKind | None:
    """The kind of the file, or None when it is none of the allowed kinds."""
    if data.startswith(b"%PDF-"):
        return FileKind.pdf
    if data.startswith(b"\xff\xd8\xff"):
        return FileKind.jpg
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.png
    if data.startswith(OLE2_MAGIC):
        return _ole2_kind(data)
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data)
    return None


def extension_of(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
