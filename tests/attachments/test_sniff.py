"""File types are told by their content; names do not count."""

import pytest

from luoshi.attachments.sniff import FileKind, extension_of, sniff
from tests.attachments import samples


@pytest.mark.parametrize(("data", "kind"), [
    (samples.PDF, FileKind.pdf),
    (samples.PNG, FileKind.png),
    (samples.JPG, FileKind.jpg),
    (samples.DOC, FileKind.doc),
    (samples.XLS, FileKind.xls),
    (samples.DOCX, FileKind.docx),
    (samples.OFD, FileKind.ofd),
    (samples.xlsx(), FileKind.xlsx),
])
def test_allowed_kinds_are_recognised(data, kind):
    assert sniff(data) == kind


@pytest.mark.parametrize("data", [
    samples.PLAIN_ZIP, samples.OTHER_OLE2, samples.EXE, samples.HTML, b"", b"PK\x03\x04broken",
])
def test_anything_else_is_refused(data):
    assert sniff(data) is None


def test_extension_is_lower_cased_last_suffix():
    assert extension_of("报告.附件.DOCX") == "docx"
    assert extension_of("noext") == ""
