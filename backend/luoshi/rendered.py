"""Rendered answers, each with its gzip form made once, when a client first accepts it: the
tree's (``tasks.tree_cache``) and the to-do's (``todo.service``), kept in memory
(``luoshi.memo.Built``) under their ETags.

A tag names the content exactly (the caller, the day, and stamps every write bumps), so a kept
body is never stale: a change makes a new key and the old entry ages out. Each process keeps
its own; nothing is shared, so app instances stay stateless. ``not_modified`` and ``send``
answer with one kept, under its tag, as both reads do.
"""

import gzip

from fastapi import Response

from luoshi.security import JSON

# What every answer kept under a tag is sent with: a client keeps it but asks again, sending
# the tag, and the body depends on whether it accepts gzip.
_HEADERS = {"Cache-Control": "private, no-cache", "Vary": "Accept-Encoding"}


class Rendered:
    """One rendered body, and its gzip form made once, when a client first accepts it."""

    def __init__(self, plain: bytes) -> None:
        self.plain = plain
        self._gzipped: bytes | None = None

    def gzipped(self) -> bytes:
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.plain, compresslevel=6)
        return self._gzipped

    @property
    def size(self) -> int:
        """What the entry may come to hold; the compressed form is a fraction of the plain one."""
        return len(self.plain) + len(self.plain) // 4


def accepts_gzip(accept_encoding: str | None) -> bool:
    return "gzip" in (accept_encoding or "").lower()


def not_modified(tag: str) -> Response:
    """304: the client holds the answer tagged ``tag``."""
    return Response(status_code=304, headers={**_HEADERS, "ETag": tag})


def send(rendered: Rendered, tag: str, gzip: bool) -> Response:
    """The answer as JSON under ``tag``, gzip-compressed when ``gzip``."""
    if gzip:
        return Response(rendered.gzipped(), media_type=JSON,
                        headers={**_HEADERS, "ETag": tag, "Content-Encoding": "gzip"})
    return Response(rendered.plain, media_type=JSON, headers={**_HEADERS, "ETag": tag})
