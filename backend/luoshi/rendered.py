"""Rendered answers, each with its gzip form made once, when a client first accepts it: the
tree's (``tasks.tree_cache``) and the to-do's (``todo.service``), kept in memory
(``luoshi.memo.Built``) under their ETags.

A tag names the content exactly (the caller, the day, and stamps every write bumps), so a kept
body is never stale: a change makes a new key and the old entry ages out. Each process keeps
its own; nothing is shared, so app instances stay stateless.
"""

import gzip


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
