"""Rendered answers kept in memory, each with its gzip form made once, when a client first
accepts it: the tree's (``tasks.tree_cache``) and the to-do's (``todo.service``).

Each is kept under its ETag, which names the content exactly (the caller, the day, and stamps
every write bumps), so a kept body is never stale: a change makes a new key and the old entry
ages out. Each process keeps its own; nothing is shared, so app instances stay stateless.
"""

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable


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


class RenderedCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, Rendered] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._rendering: dict[str, threading.Lock] = {}

    def get(self, key: str) -> Rendered | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def get_or_render(self, key: str, render: Callable[[], bytes]) -> Rendered:
        """The cached entry, or render it; concurrent misses of one key wait for a single render
        instead of each building the same 10,000-node tree."""
        entry = self.get(key)
        if entry is not None:
            return entry
        with self._lock:
            rendering = self._rendering.setdefault(key, threading.Lock())
        with rendering:
            entry = self.get(key)
            if entry is None:
                entry = Rendered(render())
                self.put(key, entry)
        with self._lock:
            self._rendering.pop(key, None)
        return entry

    def put(self, key: str, entry: Rendered) -> None:
        if entry.size > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._bytes += entry.size
            while self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= evicted.size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
