"""Small files of every allowed kind (and some impostors), built in memory."""

import io
import zipfile

from openpyxl import Workbook

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip(names: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _ole2(stream: str) -> bytes:
    # Header, then a directory sector holding the stream's UTF-16LE name (what a reader looks for).
    return OLE2 + b"\x00" * 504 + "Root Entry".encode("utf-16-le") + b"\x00" * 54 + \
        stream.encode("utf-16-le") + b"\x00" * 400


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
DOC = _ole2("WordDocument")
XLS = _ole2("Workbook")
DOCX = _zip({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
             "word/document.xml": b"<w:document/>"})
OFD = _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>",
            "Doc_0/Pages/Page_0/Content.xml": b"<ofd:Page/>"})
PLAIN_ZIP = _zip({"readme.txt": b"hello", "data.csv": b"a,b\n1,2\n"})
OTHER_OLE2 = _ole2("PowerPoint Document")
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
HTML = b"<html><script>alert(1)</script></html>"


def xlsx() -> bytes:
    buf = io.BytesIO()
    book = Workbook()
    book.active.append(["任务", "进展"])
    book.save(buf)
    return buf.getvalue()
