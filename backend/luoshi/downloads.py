"""Headers for files the API hands out (attachments, the ledger, bulletins)."""

from urllib.parse import quote

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """The exact (e.g. Chinese) name per RFC 5987 / 6266, and an ASCII name for old clients.

    Without ``fallback`` the ASCII name is ``filename`` with every other character as ``_``.
    """
    ascii_name = fallback or filename
    ascii_name = "".join(c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else "_" for c in ascii_name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
